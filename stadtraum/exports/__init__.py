"""Exports: writing tables that are safe to open in a spreadsheet (formulas neutralised) and
the streamed export of the valid responses.

May use: analysis (the export streams the engine's arrays), accounts (the export checks its
actor), store and the shared base.
"""
