"""one-time invitation codes for the citizens' form; index for the burst check

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 03:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_required', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    op.create_table(
        'invitation_codes',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('batch', sa.Integer(), nullable=False),
        sa.Column('used', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('campaign_id', 'code_hash', name='uq_invitation_code'),
    )
    op.create_index('ix_responses_area_time', 'responses',
                    ['campaign_id', 'area_id', 'mode', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_responses_area_time', table_name='responses')
    op.drop_table('invitation_codes')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('invitation_required')
