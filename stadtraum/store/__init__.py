"""Storage: the SQLAlchemy models and engine (SQLite embedded, PostgreSQL in production), the
read queries, the schema migration, the catalogue store, campaigns, the audit log and the change
counter.

May use: the shared base (criteria, vocab, config, errors). Everything that reads or writes the
database goes through here; nothing here knows about statistics, maps or pages.
"""
