"""AppTest of the profile page after moderation: a planner sees the released comment as
written and the redacted one as redacted; the new one, the hidden one and the redacted
words appear nowhere on the page (in no element of it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.users import AuthUser
from stadtraum.collect.submit import submit_response
from stadtraum.privacy.moderation import hide_comment, redact_comment, release_comment
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.flow import run
from tests.helpers import make_city, make_payload

ROOT = Path(__file__).resolve().parents[2]
MOD = Actor("mona", "moderator")
COMMENTS = {"released": "Schöne Bäume am Bach", "redacted": "Frau Kaya pflegt die Beete",
            "hidden": "Der Nachbar ist ein Idiot", "new": "Noch nicht geprüft"}


def _everything(at: AppTest) -> str:
    """Every element of the page's tree, as its protobuf text."""
    parts: list[str] = []

    def walk(node: object) -> None:
        for child in getattr(node, "children", {}).values():
            proto = getattr(child, "proto", None)
            if proto is not None:
                parts.append(str(proto))
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def test_planner_sees_released_and_redacted_only(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("STADTRAUM_DATABASE_URL", url)
    monkeypatch.setenv("STADTRAUM_SESSION_SECRET", "x" * 40)
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    monkeypatch.chdir(ROOT)
    engine = make_engine(url)
    migrate(engine)
    city = make_city(engine, min_n=3)
    for words in COMMENTS.values():
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 5},
                                             comments=[("housing", "good", words)]))
    with engine.connect() as conn:
        ids = {str(t): int(i) for i, t in conn.execute(text("SELECT id, text FROM comments"))}
    release_comment(engine, ids[COMMENTS["released"]], actor=MOD)
    redact_comment(engine, ids[COMMENTS["redacted"]], spans=[(0, 9)], actor=MOD)
    hide_comment(engine, ids[COMMENTS["hidden"]], "beleidigend", actor=MOD)
    engine.dispose()
    at = AppTest.from_file(str(ROOT / "pages" / "profile.py"), default_timeout=180)
    at.session_state["user"] = AuthUser(id=3, name="pia", role="planner")
    at.session_state["profile_area"] = "Q1"
    run(at)
    texts = [t.value for t in at.text]
    assert any(t.endswith("\n" + COMMENTS["released"]) for t in texts)
    assert any(t.endswith("\n[entfernt] pflegt die Beete") for t in texts)
    assert any("2 Kommentare" in t for t in texts)
    page = _everything(at)
    assert COMMENTS["released"] in page and "pflegt die Beete" in page  # the walk sees texts
    for gone in ("Kaya", COMMENTS["hidden"], COMMENTS["new"], "beleidigend"):
        assert gone not in page
