"""indexes for the audit log page: newest first, by person, by kind, within a period

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_audit_log_at', 'audit_log', ['at', 'id'])
    op.create_index('ix_audit_log_actor', 'audit_log', ['actor', 'at'])
    op.create_index('ix_audit_log_kind', 'audit_log', ['action', 'object_type', 'at'])


def downgrade() -> None:
    op.drop_index('ix_audit_log_kind', table_name='audit_log')
    op.drop_index('ix_audit_log_actor', table_name='audit_log')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
