"""street directory, focus-group sessions, public-link switch

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 02:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_enabled', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'streets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('level_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id']),
        sa.ForeignKeyConstraint(['level_id'], ['area_levels.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('level_id', 'name_key', 'area_id', name='uq_street_area'),
    )
    op.create_index('ix_streets_lookup', 'streets', ['level_id', 'name_key'], unique=False)
    op.create_table(
        'focus_groups',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('moderator', sa.String(length=64), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id']),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'focus_group_notes',
        sa.Column('group_id', sa.String(length=36), nullable=False),
        sa.Column('criterion_id', sa.String(length=40), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['focus_groups.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('group_id', 'criterion_id'),
    )


def downgrade() -> None:
    op.drop_table('focus_group_notes')
    op.drop_table('focus_groups')
    op.drop_index('ix_streets_lookup', table_name='streets')
    op.drop_table('streets')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('public_enabled')
