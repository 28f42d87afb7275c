"""Shared fixtures for AppTest flows: an app database on SQLite (the environment points the
app at it) and the same with the demo city and one signed-up user per role."""

from __future__ import annotations

from pathlib import Path

import pytest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import create_user
from stadtraum.demo.loader import load_demo
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Test-Passwort-123"
# user name -> role, one per role
USERS = {"erika": "helper", "mona": "moderator", "pia": "planner", "ada": "admin"}


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty SQLite file the app will use (schema created on first start)."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("STADTRAUM_DATABASE_URL", url)
    monkeypatch.setenv("STADTRAUM_SESSION_SECRET", "x" * 40)
    monkeypatch.chdir(ROOT)
    return url


@pytest.fixture
def demo_db(app_db: str) -> str:
    """The app database with the demo city and the users of :data:`USERS`."""
    engine = make_engine(app_db)
    migrate(engine)
    load_demo(engine)
    for name, role in USERS.items():
        create_user(engine, name, role, PASSWORD, actor=SYSTEM)
    engine.dispose()
    return app_db
