"""AppTest of the page "Kommentare prüfen": counts per campaign, the queue with literal texts
and the detector's marks, release, redact (marked spans and a quoted passage), hide (a
reason is required), a stale card refused, the admins' original, English; XSS and formula
payloads stay literal text (``st.text`` elements, never in anything rendered as Markdown);
planners and helpers do not reach the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.users import AuthUser
from stadtraum.collect.submit import submit_response
from stadtraum.privacy.moderation import release_comment
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.flow import run
from tests.helpers import make_city, make_payload

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "moderation.py")
PERSONAL = "Herr Becker, Ahornweg 12, ruft nachts an: 0171/2345678"
PAYLOADS = ("<img src=x onerror=alert(1)>", "**bold** und __fett__",
            "[link](javascript:alert(1))", '=HYPERLINK("http://evil.example","klick")',
            "![x](http://127.0.0.1:1/x.png) www.example.org")
MARKDOWN_KINDS = ("markdown", "caption", "header", "subheader", "title", "info", "success",
                  "error", "warning")


@dataclass
class Town:
    engine: Engine
    campaign_id: int

    def ids(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {str(t): int(i) for i, t in conn.execute(text("SELECT id, text FROM "
                                                                  "comments"))}

    def row(self, words: str) -> tuple[str, str | None, str | None]:
        with self.engine.connect() as conn:
            status, shown, reason = conn.execute(text(
                "SELECT status, shown_text, hidden_reason FROM comments WHERE text = :t"),
                {"t": words}).one()
        return str(status), shown, reason


@pytest.fixture
def town(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Town]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("STADTRAUM_DATABASE_URL", url)
    monkeypatch.setenv("STADTRAUM_SESSION_SECRET", "x" * 40)
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    monkeypatch.chdir(ROOT)
    engine = make_engine(url)
    migrate(engine)
    city = make_city(engine)
    for words in (PERSONAL, *PAYLOADS):
        submit_response(engine, make_payload(city.campaign_id, "Q1",
                                             comments=[("housing", "better", words)]))
    yield Town(engine, city.campaign_id)
    engine.dispose()


def _page(role: str = "moderator", name: str = "mona", english: bool = False) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["user"] = AuthUser(id=7, name=name, role=role)
    if english:
        at.session_state["lang"] = "English"
    return run(at)


def _texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def _markup(at: AppTest) -> str:
    """Everything the page rendered as Markdown (or HTML)."""
    return "\n".join(str(getattr(e, "value", "")) for kind in MARKDOWN_KINDS
                     for e in at.get(kind))


def _key(at: AppTest, comment_id: int, suffix: str) -> str:
    return next(str(b.key) for b in (*at.button, *at.get("form_submit_button"))
                if b.key and b.key.startswith(f"mod_{comment_id}_") and b.key.endswith(suffix))


def _submit(at: AppTest, comment_id: int, suffix: str) -> AppTest:
    button = next(b for b in at.get("form_submit_button")
                  if str(b.proto.form_id).startswith(f"mod_{comment_id}_")
                  and str(b.proto.form_id).endswith(suffix))
    button.click()
    return run(at)


def test_queue_shows_comments_literally_with_marks(town: Town) -> None:
    at = _page()
    table = at.dataframe[0].value
    assert list(table.iloc[0]) == ["Befragung 2025", 6, 0, 0]
    assert "6 neue Kommentare warten auf Prüfung." in _texts(at)
    texts = _texts(at)
    for words in (PERSONAL, *PAYLOADS):
        assert words in texts, f"{words!r} is not shown as literal text"
        assert words not in _markup(at)
    markup = _markup(at)
    for fragment in ("onerror", "**bold**", "javascript:", "HYPERLINK", "127.0.0.1"):
        assert fragment not in markup
    assert not at.get("html")
    marks = next(t for t in texts if t.startswith("Mögliche persönliche Daten"))
    assert marks.splitlines()[1:] == ["• Name: „Herr Becker“", "• Anschrift: „Ahornweg 12“",
                                      "• Telefonnummer: „0171/2345678“"]
    # oldest first: the personal comment was sent first
    headers = [t for t in texts if t.startswith("Nr. ")]
    assert len(headers) == 6 and "Quartier Q1" in headers[0] and headers[0].endswith("neu")


def test_release_redact_and_hide(town: Town) -> None:
    ids = town.ids()
    at = _page()
    at.button(key=_key(at, ids[PAYLOADS[1]], "_release")).click()
    run(at)
    assert town.row(PAYLOADS[1])[0] == "released"
    assert any("freigegeben" in s.value for s in at.success)
    assert PAYLOADS[1] not in _texts(at)  # gone from the queue of new comments
    # redact: all three marks (the default) and a quoted passage
    pid = ids[PERSONAL]
    assert len(at.multiselect(key=_key_of_widget(at, pid, "_marks")).value) == 3
    at.text_area(key=_key_of_widget(at, pid, "_phrases")).input("nachts")
    _submit(at, pid, "_redact")
    shown = "[entfernt], [entfernt], ruft [entfernt] an: [entfernt]"
    assert town.row(PERSONAL) == ("released", shown, None)
    assert shown in _texts(at)  # the flash shows what planners see
    # hide: a reason is required
    hid = ids[PAYLOADS[0]]
    _submit(at, hid, "_hide")
    assert any("Bitte einen Grund" in e.value for e in at.error)
    assert town.row(PAYLOADS[0])[0] == "new"
    at.text_input(key=_key_of_widget(at, hid, "_reason")).input("<b>Werbung</b>")
    _submit(at, hid, "_hide")
    assert town.row(PAYLOADS[0]) == ("hidden", None, "<b>Werbung</b>")
    # the hidden list: no text for moderators, the reason literally
    at.selectbox(key="mod_status").set_value("hidden")
    run(at)
    assert PAYLOADS[0] not in _texts(at) and "(Text ausgeblendet)" in _texts(at)
    assert any("Grund: <b>Werbung</b>" in t for t in _texts(at))
    assert "<b>Werbung</b>" not in _markup(at)
    assert not [b for b in at.button if b.key and b.key.endswith("_original")]


def _key_of_widget(at: AppTest, comment_id: int, suffix: str) -> str:
    for kind in ("multiselect", "text_area", "text_input"):
        for w in at.get(kind):
            key = str(getattr(w, "key", "") or "")
            if key.startswith(f"mod_{comment_id}_") and key.endswith(suffix):
                return key
    raise AssertionError(f"no widget {suffix} for comment {comment_id}")


def test_a_stale_card_is_refused(town: Town) -> None:
    cid = town.ids()[PAYLOADS[2]]
    at = _page()
    release_comment(town.engine, cid, actor=Actor("moritz", "moderator"))
    at.button(key=_key(at, cid, "_release")).click()
    run(at)
    assert any("inzwischen von moritz bearbeitet" in e.value for e in at.error)


def test_admin_reveals_the_original_of_a_redacted_comment(town: Town) -> None:
    pid = town.ids()[PERSONAL]
    at = _page()
    _submit(at, pid, "_redact")
    at = _page("admin", "ada")
    at.selectbox(key="mod_status").set_value("released")
    run(at)
    assert PERSONAL not in _texts(at)
    at.button(key=_key(at, pid, "_original")).click()
    run(at)
    assert any(t == "Originaltext:\n" + PERSONAL for t in _texts(at))
    with town.engine.connect() as conn:
        detail = conn.execute(text("SELECT detail FROM audit_log WHERE action = "
                                   "'read_original'")).scalar_one()
    assert json.loads(detail)["redacted"] is True and "Becker" not in detail
    # the moderator never gets that button
    mod = _page()
    mod.selectbox(key="mod_status").set_value("released")
    run(mod)
    assert not [b for b in mod.button if b.key and b.key.endswith("_original")]


def test_english(town: Town) -> None:
    at = _page(english=True)
    assert "6 new comments are waiting for review." in _texts(at)
    assert any(b.label == "Release" for b in at.button)
    assert any("• name: „Herr Becker“" in t for t in _texts(at))
    assert any(t.startswith("No. ") and t.endswith(" · new") for t in _texts(at))


@pytest.mark.parametrize("role", ["planner", "helper"])
def test_other_roles_do_not_reach_the_page(town: Town, role: str) -> None:
    at = _page(role, "pia")
    assert at.error and not at.dataframe and PERSONAL not in _texts(at)
