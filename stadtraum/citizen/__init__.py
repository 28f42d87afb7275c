"""The citizens' anonymous online form: the public link and its token, the form's wizard
state and texts (German, Leichte Sprache, English), the service behind it (rate-limited,
plausibility-flagged, idempotent), the admin's review of flagged responses, and QR codes.

May use: collect (payload, submit, status), analysis, publish (the thank-you page's figures),
accounts (the admin's use cases check their actor), store and the shared base.
"""
