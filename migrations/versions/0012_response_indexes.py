"""indexes for the field-work dashboard (a campaign's responses of today) and for counting a
campaign's flagged online responses (campaigns page, Verwaltung), which both scanned every
response of the campaign

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 19:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_responses_campaign_time', 'responses', ['campaign_id', 'created_at'])
    op.create_index('ix_responses_campaign_status', 'responses', ['campaign_id', 'status'])


def downgrade() -> None:
    op.drop_index('ix_responses_campaign_status', table_name='responses')
    op.drop_index('ix_responses_campaign_time', table_name='responses')
