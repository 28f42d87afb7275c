"""Comments of an area under the view's filter (tests/profile_fixture.py), both engines:
search (case-insensitive, literal % and _, umlauts), criterion and kind filters, voided and
focus-group responses left out, areas of any level, pagination, bad input; and the
moderation states: planners see released comments only, redacted ones as redacted, and the
search never finds what was removed."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor
from stadtraum.analysis.comments import (
    COLUMNS,
    CommentQuery,
    area_comments,
    like_pattern,
    released_comments,
)
from stadtraum.analysis.results import CITY_CODE, Results
from stadtraum.errors import ValidationError
from stadtraum.privacy.moderation import hide_comment, redact_comment, reopen_comment
from tests.profile_fixture import ProfileCity, build, results_for

MODERATOR = Actor("mona", "moderator")
ADMIN = Actor("ada", "admin")

Q3_TEXTS = {"Abends hell beleuchtet", "Mieten zu hoch – ÄRGERLICH", "Wohnungen fehlen",
            "Radwege 100% lückenhaft_"}


def release_all(engine: Engine) -> None:
    """The fixture's comments start new (its campaign does not release them by itself):
    here they are all released, as after a moderator's pass."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE comments SET status = 'released'"))


@pytest.fixture
def built(engine: Engine) -> ProfileCity:
    city = build(engine)
    release_all(engine)
    return city


def _comment_id(engine: Engine, words: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM comments WHERE text = :t"),
                                {"t": words}).scalar_one())


def _results(engine: Engine, built: ProfileCity, **kw: object) -> Results:
    return results_for(engine, built, **kw)


def _texts(engine: Engine, res: Results, code: str, **kw: object) -> list[str]:
    page = area_comments(engine, res, code, CommentQuery(page_size=200, **kw))  # type: ignore[arg-type]
    assert page.total == len(page.frame)
    return list(page.frame["text"])


def test_valid_comments_of_the_area_only(engine: Engine, built: ProfileCity) -> None:
    res = _results(engine, built)
    page = area_comments(engine, res, "Q3", CommentQuery())
    assert set(page.frame["text"]) == Q3_TEXTS  # not the voided one, not the focus group's
    assert page.total == 4 and (page.page, page.pages) == (1, 1)
    row = page.frame.set_index("text").loc["Wohnungen fehlen"]
    assert row["criterion"] == "Wohnen" and row["kind"] == "Was könnte besser werden?"
    assert row["area"] == "Quartier Q3"
    assert set(_texts(engine, res, "D1")) == {"Schöne Altbauten"}
    assert len(_texts(engine, res, CITY_CODE)) == 5
    with_fg = _results(engine, built, modes=("focus_group",))
    assert "Fokusgruppe sagt" in _texts(engine, with_fg, "Q3")
    young = _results(engine, built, age_bands=("18_29",))
    assert set(_texts(engine, young, "Q3")) == {"Abends hell beleuchtet", "Wohnungen fehlen",
                                                "Mieten zu hoch – ÄRGERLICH"}


@pytest.mark.parametrize(("search", "expected"), [
    ("WOHNUNG", {"Wohnungen fehlen"}),
    ("ärgerlich", {"Mieten zu hoch – ÄRGERLICH"}),
    ("Ä", {"Mieten zu hoch – ÄRGERLICH"}),
    ("100%", {"Radwege 100% lückenhaft_"}),
    ("%", {"Radwege 100% lückenhaft_"}),
    ("_", {"Radwege 100% lückenhaft_"}),
    ("  hell ", {"Abends hell beleuchtet"}),
    ("gibt es nicht", set()),
])
def test_search_is_a_literal_case_insensitive_contains(engine: Engine, built: ProfileCity,
                                                       search: str, expected: set[str]) -> None:
    assert set(_texts(engine, _results(engine, built), "Q3", search=search)) == expected


def test_criterion_and_kind_filters(engine: Engine, built: ProfileCity) -> None:
    res = _results(engine, built)
    assert set(_texts(engine, res, "Q3", criterion_id="housing")) == {
        "Mieten zu hoch – ÄRGERLICH", "Wohnungen fehlen"}
    assert set(_texts(engine, res, "Q3", kind="good")) == {"Abends hell beleuchtet"}
    assert _texts(engine, res, "Q3", criterion_id="housing", kind="better",
                  search="miete") == ["Mieten zu hoch – ÄRGERLICH"]


@pytest.mark.parametrize("search", ["", "e"])
def test_pagination(engine: Engine, built: ProfileCity, search: str) -> None:
    res = _results(engine, built)
    first = area_comments(engine, res, "Q3", CommentQuery(search, page=1, page_size=3))
    second = area_comments(engine, res, "Q3", CommentQuery(search, page=2, page_size=3))
    assert (first.total, first.pages, len(first.frame), len(second.frame)) == (4, 2, 3, 1)
    assert set(first.frame["text"]) | set(second.frame["text"]) == Q3_TEXTS
    beyond = area_comments(engine, res, "Q3", CommentQuery(search, page=9, page_size=3))
    assert beyond.page == 2 and list(beyond.frame["text"]) == list(second.frame["text"])


@pytest.mark.parametrize(("query", "field"), [
    (CommentQuery(criterion_id="gibt_es_nicht"), "criterion"),
    (CommentQuery(kind="schlecht"), "kind"),
    (CommentQuery(page=0), "page"),
    (CommentQuery(page_size=10_000), "page"),
])
def test_bad_query_is_refused_in_german(engine: Engine, built: ProfileCity, query: CommentQuery,
                                        field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        area_comments(engine, _results(engine, built), "Q3", query)
    assert exc.value.field == field and exc.value.message_de


def test_like_pattern() -> None:
    assert like_pattern("A_b%c\\") == "%a\\_b\\%c\\\\%"
    assert like_pattern("Straße") == "%stra_e%"


def test_new_comments_are_not_shown_to_planners(engine: Engine) -> None:
    city = build(engine)  # nothing released yet
    res = _results(engine, city)
    assert _texts(engine, res, CITY_CODE) == []
    assert released_comments(engine, res).empty


def test_planners_see_released_comments_as_moderated(engine: Engine, built: ProfileCity) -> None:
    res = _results(engine, built)
    hell = _comment_id(engine, "Abends hell beleuchtet")
    redact_comment(engine, hell, spans=[(7, 11)], actor=MODERATOR)  # "hell"
    hide_comment(engine, _comment_id(engine, "Wohnungen fehlen"), "beleidigend",
                 actor=MODERATOR)
    reopen_comment(engine, _comment_id(engine, "Radwege 100% lückenhaft_"), actor=MODERATOR)
    assert set(_texts(engine, res, "Q3")) == {"Abends [entfernt] beleuchtet",
                                              "Mieten zu hoch – ÄRGERLICH"}
    # the search reads the shown text only: the removed word is not found
    assert _texts(engine, res, "Q3", search="hell") == []
    assert _texts(engine, res, "Q3", search="entfernt") == ["Abends [entfernt] beleuchtet"]
    frame = released_comments(engine, res)
    assert list(frame.columns) == list(COLUMNS)
    assert set(frame["text"]) == {"Abends [entfernt] beleuchtet", "Mieten zu hoch – ÄRGERLICH",
                                  "Schöne Altbauten"}
    assert not frame["text"].str.contains("hell |Wohnungen|Radwege|gelöscht|Fokus").any()
    only = released_comments(engine, res, "Q3", CommentQuery(kind="good"), lang="en")
    assert list(only["text"]) == ["Abends [entfernt] beleuchtet"]
    assert list(only["kind"]) == ["What is good here?"]
    # hiding a redacted comment takes it away too
    hide_comment(engine, hell, "doch nicht", actor=ADMIN)
    assert set(_texts(engine, res, "Q3")) == {"Mieten zu hoch – ÄRGERLICH"}
