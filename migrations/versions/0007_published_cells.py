"""published snapshot of a campaign's results: the only source of public figures

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'published_cells',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=100), nullable=False),
        sa.Column('area_code', sa.String(length=100), nullable=False),
        sa.Column('criterion_id', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Float(), nullable=True),
        sa.Column('basis_n', sa.Integer(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'level', 'area_code', 'criterion_id'),
    )


def downgrade() -> None:
    op.drop_table('published_cells')
