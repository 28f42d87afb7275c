"""AppTest of the Gebietsprofil page on the demo city: ``profile_area`` in the session opens
that area (as a click on the map does); radar, table, words, priorities and comments render;
a hostile comment and a hostile area name are shown as plain text; the comment search finds
it; presentation mode shows one section; a helper cannot open the page."""

from __future__ import annotations

from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.users import AuthUser
from stadtraum.store.engine import make_engine
from tests.app.conftest import ROOT
from tests.app.flow import run as _run

PAGE = str(ROOT / "pages" / "profile.py")
EVIL = '<img src=x onerror="window.__xss=1"> ${window.__xss=1} ![x](http://127.0.0.1:1/x.png)'


def _page(role: str = "planner", area: str | None = "101") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["user"] = AuthUser(id=99, name="pia", role=role)
    if area is not None:
        at.session_state["profile_area"] = area
    return at


def _poison(url: str) -> None:
    """A hostile released comment on a valid response of area 101 (newest wave) and a hostile
    name for area 102."""
    engine = make_engine(url)
    with engine.begin() as conn:
        rid = conn.execute(text(
            "SELECT r.id FROM responses r JOIN areas a ON a.id = r.area_id WHERE a.code = '101' "
            "AND r.status = 'valid' AND r.mode = 'street' ORDER BY r.campaign_id DESC, r.id "
            "LIMIT 1")).scalar_one()
        conn.execute(text("INSERT INTO comments (response_id, criterion_id, kind, text, status) "
                          "VALUES (:r, 'feeling_safe', 'better', :t, 'released')"),
                     {"r": rid, "t": EVIL})
        conn.execute(text("UPDATE areas SET name = :n WHERE code = '102'"), {"n": EVIL})
    engine.dispose()


def _html(at: AppTest) -> str:
    return "\n".join(str(getattr(e.proto, "body", "")) for e in at.get("html"))


def _markup(at: AppTest) -> str:
    """Everything rendered as Markdown or HTML."""
    parts = [str(getattr(e, "value", "")) for kind in ("markdown", "caption", "header",
                                                        "subheader", "title", "info")
             for e in at.get(kind)]
    return "\n".join(parts) + _html(at)


def test_profile_area_from_the_session_opens_that_area(demo_db: str) -> None:
    _poison(demo_db)
    at = _run(_page())
    assert at.selectbox(key="profile_pick").value == "101"
    assert at.session_state["profile_area"] == "101"
    assert '<h2 class="sr-plain-heading"' in _html(at) and "Am Mühlbach</h2>" in _html(at)
    assert len(at.get("plotly_chart")) == 1
    tables = at.dataframe
    assert len(tables) >= 2  # the criteria table and the priorities
    assert len(tables[0].value) == 14 and "Mittelwert" in tables[0].value.columns
    assert any(s.value == "Stärken" for s in at.subheader)
    texts = [t.value for t in at.text]
    assert any(EVIL in t for t in texts), "the hostile comment is shown verbatim"
    assert EVIL not in _markup(at) and "onerror" not in _markup(at)
    assert any("nicht automatisch repräsentativ" in c.value for c in at.caption)
    assert len(at.get("download_button")) >= 3


def test_search_pages_and_area_choice(demo_db: str) -> None:
    _poison(demo_db)
    at = _run(_page())
    at.text_input(key="profile_comments_search").input("onerror=")
    _run(at)
    assert any("1 Kommentare, Seite 1 von 1" in t.value for t in at.text)
    at.text_input(key="profile_comments_search").input("")
    at.selectbox(key="profile_pick").set_value("__city__")  # the whole city: several pages
    _run(at)
    at.number_input(key="profile_comments_page").set_value(2)
    _run(at)
    assert any("Seite 2 von" in t.value for t in at.text)
    assert "Gesamtstadt</h2>" in _html(at)
    at.selectbox(key="profile_pick").set_value("102")
    _run(at)
    assert at.session_state["profile_area"] == "102"
    assert EVIL in at.selectbox(key="profile_pick").format_func("102")
    assert EVIL not in _markup(at)  # the hostile area name is escaped in the heading
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in _html(at)
    # the map asks for another area: the page follows
    at.session_state["profile_area"] = "201"
    _run(at)
    assert at.selectbox(key="profile_pick").value == "201"


def test_presentation_shows_one_section(demo_db: str) -> None:
    at = _run(_page(area=None))
    at.session_state["praesentation__on"] = True
    _run(at)
    assert len(at.get("plotly_chart")) == 1 and not at.dataframe
    assert at.session_state["profile_section"] == "radar"
    css = " ".join(str(e.proto.body) for e in at.get("html"))
    hidden = css[:css.index("display: none")]  # the rule that hides the sidebar and header
    assert "stElementToolbar" in hidden and "modebar-container" in hidden  # no toolbars


def test_helper_cannot_open_the_profile(demo_db: str) -> None:
    at = _run(_page(role="helper"))
    assert at.error and not at.get("plotly_chart")
