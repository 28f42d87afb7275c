"""Collecting ratings in the street: the step-wise interview wizard, drafts saved at every step,
the payload and its validation, submitting exactly once, a helper's own interviews of the day,
status changes (void, accept, reject), bulk loading and what the interview page needs to start.

``submit`` and ``payload`` are also the way in for the other modes (paper, focus groups,
citizens), which sit above this package. Uses geo (point → area),
accounts (each use case checks its actor), store and the shared base.
"""
