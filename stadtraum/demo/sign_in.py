"""Use case: sign in to the demo with one button per role (issue 11, item 1).

Only while the demo city is loaded and ``STADTRAUM_DEMO_SIGN_IN`` is not 0: then the demo
accounts (``helfer``, ``moderation``, ``planung``, ``admin``) can be entered without their
generated passwords, which otherwise only scroll past in a console. Any other account, a
deactivated demo account, or a demo account whose role was changed is refused. The sign-in
is audited like a password sign-in.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.users import DEMO_USERS, AuthUser, list_users
from stadtraum.demo.loader import demo_loaded
from stadtraum.store.audit import audit
from stadtraum.store.engine import write_engine

__all__ = ["demo_accounts", "demo_sign_in"]


def demo_accounts(engine: Engine, *, enabled: bool) -> dict[str, str]:
    """Demo account name -> role, for the buttons; empty unless enabled and loaded."""
    if not enabled or not demo_loaded(engine):
        return {}
    users = {u.name: u for u in list_users(engine)}
    return {name: role for name, role in DEMO_USERS.items()
            if name in users and users[name].active and users[name].role == role}


def demo_sign_in(engine: Engine, name: str, *, enabled: bool, source: str = "") -> AuthUser:
    """The demo account ``name``, signed in without a password, or
    :class:`AuthenticationError` when the demo sign-in is not available for it."""
    if name not in demo_accounts(engine, enabled=enabled):
        raise AuthenticationError("Die Demo-Anmeldung ist hier nicht verfügbar.",
                                  f"demo sign-in refused for {name!r}")
    user = next(u for u in list_users(engine) if u.name == name)
    with Session(write_engine(engine)) as session, session.begin():
        audit(session, name, "sign_in", "user", user.id, method="demo button", source=source)
    return user
