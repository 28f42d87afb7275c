"""The residents' released comments of an area (redacted where a moderator redacted them):
search, criterion and kind filter, pages; each comment shown with ``st.text`` (never Markdown
or HTML), the page as formula-safe CSV."""

from __future__ import annotations

import streamlit as st

from stadtraum.analysis.comments import CommentQuery, area_comments
from stadtraum.analysis.results import Results
from stadtraum.exports.spreadsheet import safe_frame
from stadtraum.ui.analysis.profile_charts import file_stem, tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.state import engine
from stadtraum.vocab import COMMENT_KINDS

__all__ = ["show_comments"]

PAGE_SIZE = 20
_ALL = "__all__"


def _filters(results: Results, key: str) -> tuple[str, str | None, str | None]:
    search = st.text_input(tr("Kommentare durchsuchen (enthält)", "Search comments (contains)"),
                           key=f"{key}_search")
    labels = {_ALL: tr("alle Kriterien", "all criteria")} | {
        c.id: c.label(lang()) for c in results.criteria}
    left, right = st.columns(2)
    with left:
        crit = st.selectbox(tr("Kriterium", "Criterion"), list(labels), key=f"{key}_criterion",
                            format_func=labels.__getitem__)
    kinds = {_ALL: tr("gut und besser", "good and better")} | {
        k: COMMENT_KINDS.label(k, lang()) for k in COMMENT_KINDS.codes}
    with right:
        kind = st.selectbox(tr("Art", "Kind"), list(kinds), key=f"{key}_kind",
                            format_func=kinds.__getitem__)
    return str(search), None if crit == _ALL else str(crit), None if kind == _ALL else str(kind)


def show_comments(results: Results, code: str, area_name: str, key: str = "profile_comments"
                  ) -> None:
    st.subheader(tr("Kommentare", "Comments"))
    st.caption(tr("Die von der Moderation freigegebenen Kommentare, wörtlich wie geschrieben; "
                  "wo persönliche Daten standen, steht „[entfernt]“ (nur gültige Antworten, "
                  "gleicher Filter). Nur für den internen Gebrauch.",
                  "The comments released by moderation, verbatim as written; where personal "
                  "data stood, it reads “[entfernt]” (removed; valid responses only, same "
                  "filter). Internal use only."))
    search, crit, kind = _filters(results, key)
    page_key = f"{key}_page"
    query = (search, crit, kind, code)
    if st.session_state.get(f"{key}__query") != query:  # a new search starts at page 1
        st.session_state[f"{key}__query"] = query
        st.session_state[page_key] = 1
    page = area_comments(engine(), results, code, CommentQuery(
        search, crit, kind, int(st.session_state.get(page_key, 1)), PAGE_SIZE), lang())
    if page.total == 0:
        st.info(tr("Keine Kommentare für diese Auswahl.", "No comments for this selection."))
        return
    st.session_state[page_key] = page.page  # clamped to the pages there are
    st.number_input(tr(f"Seite (1 bis {page.pages})", f"Page (1 to {page.pages})"),
                    min_value=1, max_value=page.pages, step=1, key=page_key)
    st.text(tr(f"{page.total} Kommentare, Seite {page.page} von {page.pages}",
               f"{page.total} comments, page {page.page} of {page.pages}"))
    for row in page.frame.to_dict("records"):
        day = row["survey_date"]
        day = day.strftime("%d.%m.%Y") if lang() != "en" else day.isoformat()
        st.text(f"{row['criterion']} · {row['kind']} · {row['area']} · {day}\n{row['text']}")
    shown = page.frame.drop(columns=["criterion_id"]).rename(columns={
        "criterion": tr("Kriterium", "Criterion"), "kind": tr("Art", "Kind"),
        "text": tr("Kommentar", "Comment"), "area": tr("Gebiet", "Area"),
        "survey_date": tr("Datum", "Date")})
    st.download_button(tr("Diese Seite als CSV herunterladen", "Download this page as CSV"),
                       safe_frame(shown).to_csv(index=False).encode("utf-8"),
                       file_name=f"{file_stem('kommentare', area_name)}.csv", mime="text/csv",
                       key=f"{key}_csv")
