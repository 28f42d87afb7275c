"""Focus groups: sessions per area and campaign, the moderator's notes, the participants ×
criteria grid or one consensus rating, and the group's own view next to the area's result.

May use: collect (payload, submit, status), analysis, charts, accounts (each use case checks
its actor), store and the shared base.
"""
