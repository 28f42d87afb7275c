"""campaigns page: a row version against lost updates, the allowed modes of collection, a
target number of responses for every area and per area

Existing campaigns keep working as before: version 1, every mode allowed, no target.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL_MODES = 'street,focus_group,paper,online'  # vocab.MODES as of this revision
MAX_TARGET = 100_000


def upgrade() -> None:
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('allowed_modes', sa.String(length=60),
                                      server_default=ALL_MODES, nullable=False))
        batch_op.add_column(sa.Column('default_target', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('ck_campaign_modes', "allowed_modes <> ''")
        batch_op.create_check_constraint('ck_campaign_default_target',
                                         f'default_target BETWEEN 1 AND {MAX_TARGET}')
    op.create_table(
        'campaign_targets',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('target', sa.Integer(), nullable=False),
        sa.CheckConstraint(f'target BETWEEN 0 AND {MAX_TARGET}', name='ck_target'),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id']),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'area_id'),
    )


def downgrade() -> None:
    op.drop_table('campaign_targets')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint('ck_campaign_default_target', type_='check')
        batch_op.drop_constraint('ck_campaign_modes', type_='check')
        batch_op.drop_column('default_target')
        batch_op.drop_column('allowed_modes')
        batch_op.drop_column('version')
