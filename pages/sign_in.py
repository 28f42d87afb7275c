"""Anmelden: sign in with a local account; unlock a locked tablet."""

from __future__ import annotations

from stadtraum.ui.sign_in_view import show

show()
