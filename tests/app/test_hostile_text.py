"""AppTest: Markdown and HTML planted in every text a person or a file supplies (area names
and codes, level and boundary-set names, campaign names, a stored catalogue's labels,
questions and prompts, focus-group titles and notes, comments of both kinds, street names,
user names, a free-text void reason) never reaches the browser as markup.

Every page is run for every role that may open it (the interview driven to its review
step, the focus group into its projector view, the citizens' form through to its thank-you
page), and every string of the element tree that Streamlit renders as Markdown (text of
markdown, captions, alerts and headings, widget labels and help, radio, segmented-control
and select-slider options, tab, expander and popover labels, metrics, progress texts,
``st.table`` cells) is checked: the planted image, link, tag, bold, icon, formula and the
URLs GitHub-flavoured Markdown links by itself must all be escaped (as
:func:`stadtraum.ui.plain.md_literal` does). Strings Streamlit shows as plain text
(``st.text``, ``st.code``, ``st.dataframe``, selectbox and multiselect options, input
values) may show the text as it is; HTML (``st.html``, plotly figures, the folium map) must
carry it HTML-escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from google.protobuf.message import Message
from sqlalchemy import text
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe, Table

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.users import create_user
from stadtraum.admin.city_settings import update_city_settings
from stadtraum.citizen.public_link import enable_public_link
from stadtraum.collect.setup import open_campaigns
from stadtraum.collect.submit import submit_response
from stadtraum.criteria import DEFAULT_CATALOGUE, builtin_catalogues
from stadtraum.focus.sessions import open_session
from stadtraum.store.catalogues import add_catalogue
from stadtraum.store.engine import make_engine, write_engine
from tests.app.conftest import PASSWORD, ROOT
from tests.app.flow import click, sign_in, whole_app
from tests.app.flow import run as _run
from tests.helpers import make_payload

FIELDS = ("area", "code", "level", "boundary", "campaign", "catalogue", "criterion",
          "question", "prompt", "group", "note", "good", "better", "street", "reason", "audit",
          "setting")
HELPER, MODERATOR = "__fett__", "www.hostile.example"  # user names the name rule allows


def hostile(tag: str) -> str:
    """Markdown, HTML and auto-linked URLs, labelled with the field they were planted in."""
    return (f"{tag}! ![bild](http://hostile.example/{tag}.png) [klick](http://hostile.example/"
            f"{tag}) <img src=x onerror=alert(1)> **fett** <b>tag</b> :material/home: $x^2$ "
            "www.hostile.example fett@hostile.example")


def short(tag: str) -> str:
    """The same for columns of 100 characters (level names, area codes)."""
    return f"{tag}! ![b](http://hostile.example/{tag}) <b>tag</b> **fett** $x^2$"


# --- what Markdown would make of a string -------------------------------------------------

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# in the string with every escaped character masked: syntax Markdown would act on
_MARKUP = {"image": "![b", "link": "](http", "tag <img>": "<img", "tag <b>": "<b>",
           "bold": "**fett**", "bold (underscores)": "__fett__", "icon": ":material/home:",
           "formula": "$x^2$"}
# in the string as Markdown reads it (escapes removed): URLs GFM turns into links itself
_AUTOLINK = {"autolink URL": re.compile(r"https?://hostile", re.I),
             "autolink www": re.compile(r"(?<![\w.])www\.hostile", re.I),
             "autolink e-mail": re.compile(r"\w@hostile", re.I)}
_HTML = {"tag <img>": "<img src=x", "tag <b>": "<b>tag</b>"}


def markdown_problems(value: str) -> list[str]:
    masked = _ESCAPE.sub("\x00", value)
    read = _ESCAPE.sub(r"\1", value)
    return ([kind for kind, raw in _MARKUP.items() if raw in masked]
            + [kind for kind, pattern in _AUTOLINK.items() if pattern.search(read)])


def html_problems(value: str) -> list[str]:
    return [kind for kind, raw in _HTML.items() if raw in value]


# --- the element tree -----------------------------------------------------------------------

PLAIN_TYPES = {"Text", "Code", "Json", "Exception", "Empty", "Skeleton"}
HTML_TYPES = {"Html", "PlotlyChart", "ComponentInstance", "DeckGlJsonChart", "VegaLiteChart",
              "IFrame"}
# fields shown as plain text (input values, placeholders) or never shown (ids)
PLAIN_FIELDS = {"id", "form_id", "default", "value", "raw_value", "raw_values", "placeholder",
                "set_value", "url", "page_script_hash"}
PLAIN_OPTIONS = {"Selectbox", "MultiSelect"}  # their options are plain text in 1.67


def _strings(msg: Message, path: str = "") -> Iterator[tuple[str, str]]:
    for desc, value in msg.ListFields():
        name = f"{path}.{desc.name}" if path else desc.name
        items = list(value) if isinstance(value, Sequence) and not isinstance(value, str) \
            else [value]
        for item in items:
            if isinstance(item, Message):
                yield from _strings(item, name)
            elif isinstance(item, str):
                yield name, item


def _json_strings(value: str) -> Iterator[str]:
    try:
        data: Any = json.loads(value)
    except ValueError:
        yield value
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@dataclass
class Findings:
    # (element.field: kinds in text) -> the places (page, role, step) it was found
    places: dict[str, list[str]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)  # planted fields that reached some page

    def _note_seen(self, value: str) -> None:
        read = _ESCAPE.sub(r"\1", value)
        self.seen.update(tag for tag in FIELDS if f"{tag}! " in read or f"{tag}!\u2060" in read)

    def _add(self, where: str, element: str, name: str, value: str, kinds: list[str]) -> None:
        if kinds:
            problem = f"{element}.{name}: {', '.join(kinds)} in {value[:140]!r}"
            self.places.setdefault(problem, []).append(where)

    @property
    def problems(self) -> list[str]:
        return [f"{problem} — on {', '.join(dict.fromkeys(where[:3]))}"
                + (f" (+{len(where) - 3} more)" if len(where) > 3 else "")
                for problem, where in self.places.items()]

    def check(self, at: AppTest, where: str) -> None:
        assert not at.exception, [e.message for e in at.exception]
        for node in self._nodes(at._tree):
            self._check_node(node, where)

    def _nodes(self, node: Any) -> Iterator[Any]:
        yield node
        for child in getattr(node, "children", {}).values():
            yield from self._nodes(child)

    def _check_node(self, node: Any, where: str) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message) and "type" in proto.DESCRIPTOR.oneofs_by_name:
            kind = proto.WhichOneof("type")  # a BlockProto: its container message
            if kind is None:
                return
            proto = getattr(proto, kind)
        if not isinstance(proto, Message):
            return
        element = proto.DESCRIPTOR.name
        if isinstance(node, Dataframe) or element in PLAIN_TYPES:
            for _, value in _strings(proto):
                self._note_seen(value)
            return
        if isinstance(node, Table):  # st.table renders Markdown in headers and cells
            frame = node.value
            cells = [str(c) for c in frame.columns] + [
                v for v in frame.to_numpy().ravel() if isinstance(v, str)]
            for value in cells:
                self._note_seen(value)
                self._add(where, "Table", "cell", value, markdown_problems(value))
            return
        for name, value in _strings(proto):
            self._note_seen(value)
            if element in HTML_TYPES:
                for part in _json_strings(value):
                    self._add(where, element, name, part, html_problems(part))
                continue
            leaf = name.rsplit(".", 1)[-1]
            if leaf in PLAIN_FIELDS or (element in PLAIN_OPTIONS and leaf == "options"):
                continue
            kinds = markdown_problems(value)
            if element == "Markdown" and getattr(proto, "allow_html", False):
                kinds += html_problems(value)
            self._add(where, element, name, value, kinds)


def test_the_checker_finds_raw_markup_and_accepts_md_literal() -> None:
    from stadtraum.ui.plain import md_literal

    raw = hostile("area")
    assert set(markdown_problems(raw)) == {
        "image", "link", "tag <img>", "tag <b>", "bold", "icon", "formula", "autolink URL",
        "autolink www", "autolink e-mail"}
    assert "bold (underscores)" in markdown_problems(f"Angemeldet: {HELPER}")
    assert markdown_problems(md_literal(raw)) == []
    assert markdown_problems(md_literal(MODERATOR)) == []
    assert markdown_problems(md_literal(HELPER)) == []
    assert html_problems("&lt;b&gt;tag&lt;/b&gt; &lt;img src=x") == []


# --- the planted city ------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    url: str
    token: str
    area_code: str  # the hostile code of the demo's area 101
    other_code: str


def _hostile_catalogue() -> str:
    """The default catalogue as an admin could upload it, every text replaced."""
    cat = builtin_catalogues()[DEFAULT_CATALOGUE]

    def q(value: str) -> str:
        return json.dumps(value)  # a JSON string is a TOML basic string

    lines = ['id = "hostile_cat"', f"name_de = {q(hostile('catalogue'))}",
             f"name_en = {q(hostile('catalogue'))}"]
    for c in cat.criteria:
        prompts = ", ".join(q(hostile("prompt")) for _ in c.prompts_de)
        lines += ["[[criteria]]", f'id = "{c.id}"',
                  *(f"{key} = {q(hostile(tag))}" for key, tag in (
                      ("label_de", "criterion"), ("label_en", "criterion"),
                      ("cluster_de", "criterion"), ("cluster_en", "criterion"),
                      ("question_de", "question"), ("question_en", "question"),
                      ("plain_de", "question"))),
                  f"prompts_de = [{prompts}]", f"prompts_en = [{prompts}]"]
    return "\n".join(lines)


@pytest.fixture
def city(demo_db: str) -> City:
    engine = make_engine(demo_db)
    create_user(engine, HELPER, "helper", PASSWORD, actor=SYSTEM)
    create_user(engine, MODERATOR, "moderator", PASSWORD, actor=SYSTEM)
    campaign = open_campaigns(engine)[0].info
    ids = []
    for score in (2, 6):  # two interviews of today on "Meine Befragungen"
        p = make_payload(campaign.id, "101", {"moving_around": score, "housing": 4},
                         entered_by=HELPER, survey_date=None)
        submit_response(engine, p)
        ids.append(p.response_id)
    info = open_session(engine, campaign_id=campaign.id, area_code="101",
                        title="Fokusgruppe", actor=Actor(MODERATOR, "moderator"))
    token = enable_public_link(engine, campaign.id, actor=Actor("ada", "admin"))
    from sqlalchemy.orm import Session

    with Session(write_engine(engine)) as session, session.begin():
        add_catalogue(session, _hostile_catalogue())
    with engine.begin() as conn:
        run = conn.execute
        run(text("UPDATE responses SET status = 'voided', status_reason = :r WHERE uuid = :u"),
            {"r": hostile("reason"), "u": ids[0]})
        run(text("UPDATE areas SET name = :n || ' ' || code, code = code || ' ' || :c"),
            {"n": hostile("area"), "c": short("code")})
        run(text("UPDATE area_levels SET name = :n || ' ' || id"), {"n": short("level")})
        run(text("UPDATE boundary_sets SET name = :n || ' ' || id"), {"n": hostile("boundary")})
        run(text("UPDATE campaigns SET name = :n || ' ' || id, catalogue_id = 'hostile_cat'"),
            {"n": hostile("campaign")})
        run(text("UPDATE streets SET name = :n || ' ' || id, name_key = 'street' || id"),
            {"n": hostile("street")})  # (the search key as the directory import makes it)
        run(text("INSERT INTO audit_log (at, actor, action, object_type, object_id, detail) "
                 "VALUES (CURRENT_TIMESTAMP, :a, :a, :a, :a, :d)"),
            {"a": short("audit")[:50], "d": json.dumps({hostile("audit"): hostile("audit")})})
        run(text("UPDATE comments SET text = :t || ' ' || id WHERE kind = 'good'"),
            {"t": hostile("good")})
        run(text("UPDATE comments SET text = :t || ' ' || id WHERE kind = 'better'"),
            {"t": hostile("better")})
        run(text("UPDATE focus_groups SET title = :t WHERE id = :g"),
            {"t": hostile("group"), "g": info.id})
        run(text("INSERT INTO focus_group_notes (group_id, criterion_id, text) "
                 "VALUES (:g, 'moving_around', :t)"), {"g": info.id, "t": hostile("note")})
        codes = [str(c) for c in run(text("SELECT code FROM areas WHERE code LIKE '10%' "
                                          "ORDER BY code")).scalars()]
    # every text setting of the city, changed by an admin whose name is markup too
    update_city_settings(engine, {"city_name": short("setting"), **{
        key: hostile("setting") for key in ("privacy_contact", "privacy_notice", "imprint",
                                             "accessibility")}}, {},
                         actor=Actor(HELPER, "admin"))
    engine.dispose()
    return City(demo_db, token, codes[0], codes[1])


# --- the pages ---------------------------------------------------------------------------

ROLES = {"helper": HELPER, "moderator": MODERATOR, "planner": "pia", "admin": "ada"}
PAGES = {"uebersicht": "overview", "karte": "map", "gebietsprofil": "profile",
         "vergleich": "compare", "befragung": "interview", "meine_befragungen": "my_interviews",
         "fokusgruppe": "focus_group", "verwaltung": "admin", "papier": "paper_forms",
         "protokoll": "audit_log", "konten": "accounts", "befragungen": "campaigns",
         "gebiete": "boundaries", "kataloge": "catalogues", "feldarbeit": "fieldwork",
         "einstellungen": "city_settings", "datenschutz": "privacy", "moderation": "moderation",
         "veroeffentlichung": "publication"}


def _visit(at: AppTest, page: str, found: Findings, where: str) -> AppTest:
    at.switch_page(f"pages/{PAGES[page]}.py")
    _run(at)
    found.check(at, where)
    return at


def _interview(at: AppTest, found: Findings, where: str, city: City) -> None:
    """Through every step of the wizard to the review step, then save."""
    click(at, "iv_start")
    rid = at.session_state["interview"].response_id
    found.check(at, f"{where} area step")
    for way in ("street", "map"):
        at.button_group(key=f"area_how_{rid}").set_value(way)
        _run(at)
        if way == "street":  # the streets show once searched for: the planted names
            at.text_input(key=f"street_{rid}_q").input("street")
            _run(at)
        found.check(at, f"{where} area by {way}")
    at.button_group(key=f"area_how_{rid}").set_value("name")
    _run(at)
    at.selectbox(key=f"area_{rid}").set_value(city.area_code)
    _run(at)
    click(at, "iv_next")
    at.checkbox(key=f"consent_{rid}").check()
    _run(at)
    found.check(at, f"{where} consent")
    for step in range(30):
        iv = at.session_state["interview"]
        if any(b.key == "iv_send" for b in at.button):
            break
        crit = next((b.key for b in at.button_group
                     if b.key and b.key.startswith(f"rate_{rid}_")), None)
        if crit is not None:
            at.button_group(key=crit).set_value(4)
            _run(at)
        found.check(at, f"{where} step {iv.step + 1}")
        click(at, "iv_next")
        assert step < 29, "the review step was never reached"
    assert any("Prüfen und speichern" in h.value for h in at.subheader)
    found.check(at, f"{where} review")
    click(at, "iv_send")
    found.check(at, f"{where} after saving")


def _focus_group(at: AppTest, found: Findings, where: str) -> None:
    for mode in ("consensus", "notes", "grid"):
        at.radio(key="fg_mode").set_value(mode)
        _run(at)
        found.check(at, f"{where} {mode}")
    click(at, "fg_projector_on")
    found.check(at, f"{where} projector")
    click(at, "fg_projector_off")


def _role_pass(role: str, city: City) -> Findings:
    from stadtraum.accounts.auth import allowed_pages

    found = Findings()
    at = whole_app()
    found.check(at, "sign_in (signed out)")
    sign_in(at, ROLES[role])
    found.check(at, f"first page ({role})")
    for page in allowed_pages(role):
        where = f"{PAGES[page]} ({role})"
        _visit(at, page, found, where)
        if page == "befragung" and role == "helper":
            _interview(at, found, where, city)
            _visit(at, "meine_befragungen", found, f"my_interviews after saving ({role})")
        elif page == "fokusgruppe":
            _focus_group(at, found, where)
        elif page == "gebietsprofil":
            at.selectbox(key="profile_pick").set_value(city.area_code)
            _run(at)
            found.check(at, f"{where} area 101")
        elif page == "vergleich":
            at.multiselect(key="compare_areas").set_value([city.area_code, city.other_code])
            _run(at)
            found.check(at, f"{where} two areas")
    return found


EXPECTED = {  # planted fields each role's pages show (somewhere, as markup or as text);
    # "setting": the city's name in the sidebar, its privacy notice on the sign-in page
    "helper": {"area", "campaign", "criterion", "question", "prompt", "street",
               "reason", "setting"},
    "moderator": {"area", "campaign", "criterion", "group", "note", "good", "better",
                  "setting"},
    "planner": {"area", "level", "campaign", "criterion", "good", "better", "setting"},
    "admin": {"area", "campaign", "criterion", "group", "note", "good", "better", "audit",
              "setting"},
}


@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_renders_planted_text_as_markup(city: City, role: str) -> None:
    found = _role_pass(role, city)
    missing = EXPECTED[role] - found.seen
    assert not missing, f"the planted {sorted(missing)} never reached a page ({role})"
    assert not found.problems, f"{len(found.problems)} findings:\n" + "\n".join(found.problems)


def test_the_citizens_form_shows_planted_text_literally(city: City) -> None:
    found = Findings()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    at.query_params["t"] = city.token
    _run(at)
    found.check(at, "public_form welcome")
    at.checkbox(key="pub_consent").check()
    click(at, "pub_start")
    found.check(at, "public_form area")
    at.selectbox(key="pub_area").set_value(city.area_code)
    click(at, "pub_next")
    for step in range(30):
        if any(b.key == "pub_send" for b in at.button):
            break
        rate = next((b.key for b in at.button_group
                     if b.key and b.key.startswith("pub_rate_")), None)
        if rate is not None:
            at.button_group(key=rate).set_value(4)
            _run(at)
        found.check(at, f"public_form step {step + 2}")
        click(at, "pub_next")
    found.check(at, "public_form last step")
    at.session_state["citizen_form"].started_at -= 3600  # a patient citizen
    engine = make_engine(city.url)  # the area's result is withheld: the notice names the area
    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET min_n = 100000"))
    engine.dispose()
    click(at, "pub_send")
    assert any("Vielen Dank" in s.value for s in at.success)
    assert any("area" in i.value for i in at.info), "the notice of the withheld area result"
    found.check(at, "public_form thanks")
    missing = {"area", "criterion", "question", "prompt", "setting"} - found.seen
    assert not missing, f"the planted {sorted(missing)} never reached the form"
    assert not found.problems, f"{len(found.problems)} findings:\n" + "\n".join(found.problems)
