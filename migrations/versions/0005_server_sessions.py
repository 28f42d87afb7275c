"""server-side sessions; sign-in attempts counted per name and source address

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'user_sessions',
        sa.Column('id_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_reason', sa.String(length=20), nullable=True),
        sa.Column('code_hash', sa.String(length=64), nullable=True),
        sa.Column('code_seal', sa.String(length=64), nullable=True),
        sa.Column('code_expires', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id_hash'),
        sa.UniqueConstraint('code_hash'),
    )
    op.create_index('ix_user_sessions_user', 'user_sessions', ['user_id'], unique=False)
    op.create_index('ix_user_sessions_expires', 'user_sessions', ['expires_at'], unique=False)
    op.drop_index('ix_sign_in_failures_name', table_name='sign_in_failures')
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=64), nullable=False,
                                      server_default=''))
    op.create_index('ix_sign_in_failures_name', 'sign_in_failures', ['name', 'source', 'at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_sign_in_failures_name', table_name='sign_in_failures')
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_column('source')
    op.create_index('ix_sign_in_failures_name', 'sign_in_failures', ['name', 'at'],
                    unique=False)
    op.drop_index('ix_user_sessions_expires', table_name='user_sessions')
    op.drop_index('ix_user_sessions_user', table_name='user_sessions')
    op.drop_table('user_sessions')
