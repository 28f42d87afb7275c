"""``stadtraum bench``: the performance targets of DESIGN §8, each measured against a naive
implementation in the same run (statistics, submit, memory, map path, export).

May use every capability below the CLI, and demo for the data.
"""
