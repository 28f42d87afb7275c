"""Data protection: deleting responses on request, purging and retention of raw data, and the
moderation of comments (DESIGN §5; docs/datenschutz.md)."""
