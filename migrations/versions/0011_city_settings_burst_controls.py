"""city settings in the database (environment variables stay the defaults), and the burst
detector's controls per campaign

Existing campaigns keep the detector as before: on, floor 10, factor 5.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 18:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'city_settings',
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Text(), nullable=True),
        sa.Column('blob', sa.LargeBinary(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('burst_enabled', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
        batch_op.add_column(sa.Column('burst_floor', sa.Integer(), server_default='10',
                                      nullable=False))
        batch_op.add_column(sa.Column('burst_factor', sa.Integer(), server_default='5',
                                      nullable=False))
        batch_op.create_check_constraint('ck_burst_floor', 'burst_floor BETWEEN 1 AND 10000')
        batch_op.create_check_constraint('ck_burst_factor', 'burst_factor BETWEEN 1 AND 100')


def downgrade() -> None:
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint('ck_burst_factor', type_='check')
        batch_op.drop_constraint('ck_burst_floor', type_='check')
        batch_op.drop_column('burst_factor')
        batch_op.drop_column('burst_floor')
        batch_op.drop_column('burst_enabled')
    op.drop_table('city_settings')
