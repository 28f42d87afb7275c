"""The ``stadtraum`` command: argument parsing (``main``) and what each sub-command does
(``commands``). Thin: every command calls the same use cases as the pages.

May use every package except ``ui``.
"""
