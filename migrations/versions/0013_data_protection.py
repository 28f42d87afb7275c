"""data protection: comment moderation, tombstones of deleted responses, retention and the
public results switch per campaign

Existing comments are marked released (they were shown to planners before moderation
existed); new ones wait for a moderator unless the campaign releases them automatically.
Existing campaigns keep their raw data 24 months after closing; a campaign closed before this
migration counts as closed now, so no retention ends earlier than 24 months from today.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 11:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='released',
                                      nullable=False))
        batch_op.add_column(sa.Column('shown_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('hidden_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('moderated_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('moderated_at', sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.alter_column('status', server_default='new')
        batch_op.create_check_constraint('ck_status_vocab',
                                         "status IN ('new', 'released', 'hidden')")
        batch_op.create_index('ix_comments_status', ['status', 'id'])
    op.create_table(
        'response_tombstones',
        sa.Column('id', _BIG_ID, autoincrement=True, nullable=False),
        sa.Column('response_id', sa.BigInteger(), nullable=True),
        sa.Column('uuid_hash', sa.String(length=64), nullable=True),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('change_seq', sa.BigInteger(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('response_id'),
        sa.UniqueConstraint('uuid_hash'),
    )
    op.create_index('ix_response_tombstones_seq', 'response_tombstones', ['change_seq'])
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comments_auto_release', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('results_public', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_check_constraint('ck_retention_months',
                                         'retention_months BETWEEN 1 AND 600')
    op.execute("UPDATE campaigns SET retention_months = 24")
    op.execute("UPDATE campaigns SET closed_at = CURRENT_TIMESTAMP WHERE status = 'closed'")


def downgrade() -> None:
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint('ck_retention_months', type_='check')
        batch_op.drop_column('results_public')
        batch_op.drop_column('purged_at')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('retention_months')
        batch_op.drop_column('comments_auto_release')
    op.drop_index('ix_response_tombstones_seq', table_name='response_tombstones')
    op.drop_table('response_tombstones')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_status')
        batch_op.drop_constraint('ck_status_vocab', type_='check')
        batch_op.drop_column('moderated_at')
        batch_op.drop_column('moderated_by')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('shown_text')
        batch_op.drop_column('status')
