"""Accounts: roles and the pages each role may reach, password hashing and signed session
tokens (pure, in ``auth``), the account use cases, and the sign-in throttle.

May use: store and the shared base.
"""
