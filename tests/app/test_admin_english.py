"""The admin panels reused on the campaigns page and the Verwaltung page (invitation codes,
flagged responses, export, publishing) speak English in the English UI: after switching the
language, none of their German texts is shown, while the German UI shows them.

The German texts are read from the panels' own ``tr(de, en)`` calls, so a text added later
in German only fails here once it is drawn."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from stadtraum.collect.submit import submit_response
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.app.conftest import ROOT
from tests.app.flow import click, run
from tests.helpers import City, make_city, make_payload, set_status

PANELS = ("invitations", "flagged", "export", "publish")
MIN_PIECE = 10  # shorter pieces of text ("Grund: ", " · ") are not distinctive


def _german_pieces() -> set[str]:
    """The constant parts of the German argument of every ``tr(de, en)`` in the panels."""
    pieces: set[str] = set()
    for name in PANELS:
        path = ROOT / "stadtraum" / "ui" / "admin" / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and len(node.args) == 2):
                continue
            de = node.args[0]
            parts = de.values if isinstance(de, ast.JoinedStr) else [de]
            for part in parts:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    piece = part.value.strip(" :·.,()")
                    if len(piece) >= MIN_PIECE:
                        pieces.add(piece)
    return pieces


GERMAN = _german_pieces()


@dataclass
class Town:
    engine: Engine
    city: City


@pytest.fixture
def town(app_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Town]:
    """A tiny city with an open campaign and one flagged online response."""
    monkeypatch.setenv("STADTRAUM_DEMO_ON_EMPTY", "0")
    engine = make_engine(app_db)
    migrate(engine)
    city = make_city(engine, min_n=1)
    submit_response(engine, make_payload(city.campaign_id))  # something to publish, export
    flagged = make_payload(city.campaign_id, mode="online", entered_by=None,
                           comments=[("moving_around", "better", "Zu wenig Bänke")])
    submit_response(engine, flagged)
    set_status(engine, flagged.response_id, "flagged")
    yield Town(engine, city)
    engine.dispose()


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _shown(at: AppTest) -> list[str]:
    """Every text the panels draw: widget labels and help, captions, markdown, plain text,
    alerts. Titles and headers are left out: the pages own them."""
    texts: list[str] = []
    for kind in ("button", "toggle", "number_input", "multiselect", "selectbox",
                 "download_button"):
        for widget in at.get(kind):
            texts += [str(getattr(widget.proto, "label", "")),
                      str(getattr(widget.proto, "help", ""))]
    for kind in ("caption", "markdown", "text", "warning", "success", "info", "error"):
        texts += [str(getattr(e, "value", "")) for e in at.get(kind)]
    return [_plain(t) for t in texts if t]


def _german_in(at: AppTest) -> list[str]:
    shown = _shown(at)
    return sorted({piece for piece in GERMAN for text in shown if piece in text})


def _page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / path), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role="admin")
    return run(at)


def _to_english(at: AppTest) -> AppTest:
    at.session_state["lang"] = "English"
    return run(at)


def _codes_required_and_generated(at: AppTest, cid: int) -> None:
    """Codes required with none left (its caption), then a batch (its downloads)."""
    at.toggle(key=f"inv_req_{cid}").set_value(True)
    run(at)
    at.number_input(key=f"inv_count_{cid}").set_value(3)
    click(at, f"inv_gen_{cid}")


def test_the_pieces_are_read_from_the_panels() -> None:
    assert len(GERMAN) > 30
    assert {"Codes erzeugen", "Antworten als CSV herunterladen", "Ergebnisse veröffentlichen",
            "Bewertungen in der Reihenfolge der Themen, · = keine Angabe"} <= GERMAN


def test_the_verwaltung_page_panels_in_english(town: Town) -> None:
    cid = town.city.campaign_id
    at = _page("admin.py")
    german = _german_in(at)  # the German UI shows them: the check below can fail
    assert {"Ergebnisse veröffentlichen", "Antworten als CSV herunterladen",
            "Anzahl neuer Codes"} <= set(german)
    assert any(b.label == "Annehmen" for b in at.button)
    _to_english(at)
    _codes_required_and_generated(at, cid)
    assert _german_in(at) == []
    labels = {b.label for b in at.button}
    assert not {"Annehmen", "Verwerfen", "Befragung"} & labels  # too short for the pieces
    assert at.selectbox(key="flag_campaign").label == "Survey"
    assert {"Publish results", "Accept", "Reject", "Generate codes", "Done downloading"} <= \
        labels
    assert {d.proto.label for d in at.get("download_button")} >= {
        "Download responses as CSV", "Codes as CSV", "Printable sheet with QR codes (HTML)"}
    assert at.multiselect(key="export_campaigns").label == "Surveys"
    assert at.toggle(key=f"inv_req_{cid}").label == "Invitation codes required"
    shown = " ".join(_shown(at))
    assert "There are no unused codes" not in shown  # 3 fresh codes now
    assert "3 new codes. Please download them now" in shown
    assert "never published" in shown and "Comment: Zu wenig Bänke" in shown
    assert "Ratings in the order of the topics" in shown


def test_the_campaigns_page_panels_in_english(town: Town) -> None:
    cid = town.city.campaign_id
    at = _page("campaigns.py")
    assert "Einladungscodes erforderlich" in _german_in(at)
    _to_english(at)
    at.toggle(key=f"inv_req_{cid}").set_value(True)
    run(at)
    assert _german_in(at) == []
    shown = " ".join(_shown(at))
    assert "There are no unused codes: nobody can send the form." in shown
    assert "0 codes, 0 of them used" in shown
    assert {"Accept", "Reject", "Generate codes"} <= {b.label for b in at.button}


def test_the_verwaltung_page_own_texts_in_english_and_its_note_literal(town: Town) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=120)
    at.session_state["user"] = AuthUser(id=1, name="ada", role="admin")
    at.session_state["lang"] = "English"
    at.session_state["admin_flash"] = "Link für **Nord** <b>an</b>"  # quotes a campaign name
    run(at)
    assert at.title[0].value == "Administration"
    assert {"Online survey for citizens", "Publish results", "Flagged online responses",
            "Export responses"} <= {h.value for h in at.header}
    note = at.info[0].value
    assert "**Nord**" not in note and "<b>" not in note  # markup escaped, shown as typed
    assert _plain(note) == "Link für **Nord** <b>an</b>"
