"""Service: the residents' comments of an area under the view's filter (valid responses only),
searchable, filterable by criterion and kind, a page at a time (:func:`area_comments`) or all
at once for an export (:func:`released_comments`).

Planners, exports and reports see **released comments only**, each as the moderator left it:
the redacted text (``shown_text``, „[entfernt]“ in place of what was removed) where there is
one, else the text as written. New and hidden comments, and the original of a redacted one,
never leave this module; the search looks at the shown text only, so a removed name cannot be
found by searching for it.

The texts are returned as released: callers display them as plain text
(``st.dataframe``/``st.text``), never as Markdown or HTML. The search is a case-insensitive
"contains" that treats ``%``, ``_`` and umlauts like any other character on both engines:
the database narrows with ``LIKE`` (non-ASCII letters as single-character wildcards, since
SQLite lowercases ASCII only), Python confirms with ``str.lower``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis.results import CITY_CODE, Results
from stadtraum.analysis.scope import bottom_codes, response_conditions
from stadtraum.errors import ValidationError
from stadtraum.store.db import Area, Comment, Response
from stadtraum.vocab import COMMENT_KINDS

__all__ = ["COLUMNS", "CommentPage", "CommentQuery", "area_comments", "like_pattern",
           "released_comments"]

MAX_PAGE_SIZE = 200
COLUMNS = ("criterion_id", "criterion", "kind", "text", "area", "survey_date")


@dataclass(frozen=True)
class CommentQuery:
    search: str = ""
    criterion_id: str | None = None
    kind: str | None = None  # "good" | "better"
    page: int = 1  # 1-based
    page_size: int = 25


@dataclass(frozen=True)
class CommentPage:
    frame: pd.DataFrame  # COLUMNS
    total: int  # comments matching the query
    page: int  # the page returned (clamped to 1..pages)
    pages: int


def like_pattern(search: str) -> str:
    """``%…%`` for ``lower(text) LIKE … ESCAPE '\\'``: wildcards escaped, non-ASCII letters
    as ``_`` (one character)."""
    out = []
    for ch in search.lower():
        if ch in "\\%_":
            out.append("\\" + ch)
        elif ord(ch) > 127:
            out.append("_")
        else:
            out.append(ch)
    return "%" + "".join(out) + "%"


def _check(results: Results, q: CommentQuery) -> None:
    if q.criterion_id is not None and q.criterion_id not in {c.id for c in results.criteria}:
        raise ValidationError(f"Unbekanntes Kriterium „{q.criterion_id}“.",
                              f"unknown criterion {q.criterion_id!r}", field="criterion")
    if q.kind is not None and q.kind not in COMMENT_KINDS.codes:
        raise ValidationError(f"Unbekannte Art „{q.kind}“ (erlaubt: gut, besser).",
                              f"unknown comment kind {q.kind!r}", field="kind")
    if q.page < 1 or not 1 <= q.page_size <= MAX_PAGE_SIZE:
        raise ValidationError("Ungültige Seite.", "invalid page or page size", field="page")


def _row(r: Any) -> tuple[str, str, str, str, dt.date]:
    return str(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4]


SHOWN = func.coalesce(Comment.shown_text, Comment.text)  # what planners may read


def _statement(results: Results, code: str,
               query: CommentQuery) -> Select[str, str, str, str, dt.date]:
    stmt = (select(Comment.criterion_id, Comment.kind, SHOWN, Area.name, Response.survey_date)
            .join(Response, Response.id == Comment.response_id)
            .join(Area, Area.id == Response.area_id)
            .where(Comment.status == "released",
                   response_conditions(results.flt, bottom_codes(results, code))))
    if query.criterion_id is not None:
        stmt = stmt.where(Comment.criterion_id == query.criterion_id)
    if query.kind is not None:
        stmt = stmt.where(Comment.kind == query.kind)
    needle = query.search.strip().lower()
    if needle:
        stmt = stmt.where(func.lower(SHOWN).like(like_pattern(needle), escape="\\"))
    return stmt.order_by(Response.survey_date.desc(), Comment.id.desc())


def _frame(results: Results, rows: list[tuple[str, str, str, str, dt.date]],
           lang: str) -> pd.DataFrame:
    labels = {c.id: c.label(lang) for c in results.criteria}
    return pd.DataFrame([{
        "criterion_id": cid, "criterion": labels.get(cid, cid),
        "kind": COMMENT_KINDS.label(kind, lang) if kind in COMMENT_KINDS.codes else kind,
        "text": text, "area": name, "survey_date": day} for cid, kind, text, name, day in rows],
        columns=list(COLUMNS))


def released_comments(engine: Engine, results: Results, code: str = CITY_CODE,
                      query: CommentQuery = CommentQuery(), lang: str = "de") -> pd.DataFrame:
    """Every released comment of area ``code`` (default: the whole city) under the view's
    filter and the query's search, criterion and kind (its page is ignored), newest survey
    date first, as :data:`COLUMNS`; ``text`` is the redacted text where there is one."""
    _check(results, query)
    needle = query.search.strip().lower()
    with Session(engine) as session:
        rows = [_row(r) for r in session.execute(_statement(results, code, query))
                if not needle or needle in r[2].lower()]
    return _frame(results, rows, lang)


def area_comments(engine: Engine, results: Results, code: str, query: CommentQuery,
                  lang: str = "de") -> CommentPage:
    """One page of the released comments in area ``code`` (any level), newest survey date
    first."""
    _check(results, query)
    stmt = _statement(results, code, query)
    needle = query.search.strip().lower()
    with Session(engine) as session:
        if needle:  # narrowed by the database, confirmed here, paginated here
            rows = [_row(r) for r in session.execute(stmt) if needle in r[2].lower()]
            total = len(rows)
            pages = max(1, math.ceil(total / query.page_size))
            page = min(query.page, pages)
            rows = rows[(page - 1) * query.page_size: page * query.page_size]
        else:
            total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
            pages = max(1, math.ceil(total / query.page_size))
            page = min(query.page, pages)
            rows = [_row(r) for r in session.execute(
                stmt.offset((page - 1) * query.page_size).limit(query.page_size))]
    return CommentPage(_frame(results, rows, lang), total, page, pages)
