"""The campaign's switch „Kommentare automatisch freigeben“ on both engines: off by default
(new comments wait), on releases new comments at once (and they can still be hidden, after
which planners no longer see them), audited, a stale form refused, refused for other roles;
the campaigns page's toggle (AppTest) and ``stadtraum campaigns set --comments-auto-release``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.users import AuthUser
from stadtraum.admin.campaign_settings import comments_auto_release, set_comments_auto_release
from stadtraum.analysis.comments import released_comments
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ConflictError, NotFoundError, PermissionDeniedError
from stadtraum.privacy.moderation import hide_comment
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.flow import run
from tests.helpers import make_city, make_payload, run_cli

ADMIN = Actor("ada", "admin")
ROOT = Path(__file__).resolve().parents[2]


def _version(engine: Engine, campaign_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT version FROM campaigns WHERE id = :i"),
                                {"i": campaign_id}).scalar_one())


def _status(engine: Engine, words: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT status FROM comments WHERE text = :t"),
                                {"t": words}).scalar_one())


def _planner_texts(engine: Engine, campaign_id: int) -> list[str]:
    res = compute_results(engine, CubeProvider(engine), CubeFilter((campaign_id,)))
    return list(released_comments(engine, res)["text"])


def _send(engine: Engine, campaign_id: int, words: str) -> None:
    submit_response(engine, make_payload(campaign_id, "Q1",
                                         comments=[("housing", "good", words)]))


def test_off_by_default_then_on_releases_new_comments(engine: Engine) -> None:
    cid = make_city(engine).campaign_id
    assert comments_auto_release(engine, cid, actor=ADMIN) is False
    _send(engine, cid, "wartet")
    assert _status(engine, "wartet") == "new" and _planner_texts(engine, cid) == []
    version = _version(engine, cid)
    assert set_comments_auto_release(engine, cid, True, actor=ADMIN, expected_version=version)
    assert comments_auto_release(engine, cid, actor=ADMIN) is True
    assert _version(engine, cid) == version + 1
    assert not set_comments_auto_release(engine, cid, True, actor=ADMIN)  # no change
    _send(engine, cid, "sofort da")
    assert _status(engine, "sofort da") == "released" and _status(engine, "wartet") == "new"
    assert _planner_texts(engine, cid) == ["sofort da"]
    with engine.connect() as conn:
        c_id = int(conn.execute(text("SELECT id FROM comments WHERE text = 'sofort da'"))
                   .scalar_one())
        lines = conn.execute(text("SELECT action, object_id, detail FROM audit_log WHERE "
                                  "action = 'comments_auto_release'")).all()
    assert len(lines) == 1 and lines[0][1] == str(cid)
    assert json.loads(lines[0][2])["comments_auto_release"] == {"old": False, "new": True}
    hide_comment(engine, c_id, "nennt eine Nachbarin", actor=Actor("mona", "moderator"))
    assert _planner_texts(engine, cid) == []
    with pytest.raises(ConflictError):  # a form showing the version before the switch
        set_comments_auto_release(engine, cid, False, actor=ADMIN, expected_version=version)
    with pytest.raises(NotFoundError):
        set_comments_auto_release(engine, 999_999, True, actor=ADMIN)


@pytest.mark.parametrize("role", ["moderator", "planner", "helper"])
def test_other_roles_may_not_switch(engine: Engine, role: str) -> None:
    cid = make_city(engine).campaign_id
    for call in (lambda: set_comments_auto_release(engine, cid, True, actor=Actor("x", role)),
                 lambda: comments_auto_release(engine, cid, actor=Actor("x", role))):
        with pytest.raises(PermissionDeniedError):
            call()
    assert comments_auto_release(engine, cid, actor=ADMIN) is False


def test_campaigns_page_toggle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("STADTRAUM_DATABASE_URL", url)
    monkeypatch.setenv("STADTRAUM_SESSION_SECRET", "x" * 40)
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    monkeypatch.chdir(ROOT)
    engine = make_engine(url)
    migrate(engine)
    cid = make_city(engine).campaign_id
    at = AppTest.from_file(str(ROOT / "pages" / "campaigns.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role="admin")
    run(at)
    version = _version(engine, cid)
    toggle = at.toggle(key=f"camp_{cid}_{version}_auto_release")
    assert toggle.value is False and toggle.label == "Kommentare automatisch freigeben"
    toggle.set_value(True)
    run(at)
    assert comments_auto_release(engine, cid, actor=ADMIN) is True
    assert any("automatisch freigegeben" in s.value for s in at.success)
    assert at.toggle(key=f"camp_{cid}_{version + 1}_auto_release").value is True
    engine.dispose()


def test_cli_switch(capsys: pytest.CaptureFixture[str], db: str) -> None:
    engine = make_engine(db)
    migrate(engine)
    cid = make_city(engine).campaign_id
    code, out, err = run_cli(capsys, "--db", db, "campaigns", "set", str(cid),
                             "--comments-auto-release", "on")
    assert code == 0 and "comments_auto_release" in out, err
    assert comments_auto_release(engine, cid, actor=ADMIN) is True
    code, out, _ = run_cli(capsys, "--db", db, "campaigns", "set", str(cid),
                           "--comments-auto-release", "on")
    assert code == 0 and "nichts geändert" in out
    engine.dispose()
