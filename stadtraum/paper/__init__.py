"""Paper forms: the printable questionnaire, the CSV/XLSX template with its column contract,
reading the cells and rows of a typed-in file, and importing it (all or nothing, idempotent).

May use: exports (formula-safe templates), collect (payload and submit), files, accounts (the
import checks its actor), store and the shared base.
"""
