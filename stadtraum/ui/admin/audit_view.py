"""Streamlit glue of the audit log page ("Protokoll"): the filters (person, kind, period),
one page of entries as a table, paging, and the CSV download (generated on the click,
audited). Read-only: nothing here changes an entry.

Every text of an entry (names, objects, details) comes from people or files: it is shown in
``st.dataframe`` and selectbox options (plain text) or through ``md_literal``, never as
Markdown or HTML."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.audit_log import (
    MAX_CSV_ROWS,
    AuditFilter,
    AuditPage,
    audit_csv_text,
    audit_entries,
    audit_file_name,
    audit_frame,
    audit_kinds,
    audit_people,
)
from stadtraum.collect.my_interviews import local_today
from stadtraum.errors import StadtraumError
from stadtraum.ui.i18n import lang
from stadtraum.ui.state import engine

_PAGE = "audit_page"
_SEEN = "audit_page_filter"  # the filter the page number belongs to


def tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def _message(exc: StadtraumError) -> str:
    return exc.message_en if lang() == "en" else exc.message_de


def filters(actor: Actor) -> AuditFilter | None:
    """The filter row; None (with the reason shown) when the period is impossible."""
    people = audit_people(engine(), actor=actor)
    kinds = dict(audit_kinds(engine(), actor=actor, lang=lang()))
    everyone = tr("Alle", "All")
    who, kind, period = st.columns([2, 2, 3], vertical_alignment="bottom")
    # one key per language: a selectbox keeps the label it showed, not the option behind it
    person = who.selectbox(tr("Person", "Person"), [None, *people],
                           key=f"audit_person_{lang()}",
                           format_func=lambda p: everyone if p is None else p)
    chosen = kind.selectbox(tr("Art", "Kind"), [None, *kinds], key=f"audit_kind_{lang()}",
                            format_func=lambda k: everyone if k is None else kinds[k])
    days = period.date_input(tr("Zeitraum (von – bis)", "Period (from – until)"), value=[],
                             format="YYYY-MM-DD" if lang() == "en" else "DD.MM.YYYY",
                             key="audit_period", help=tr(
                                 "Leer: alle Tage. Ein Tag gewählt: ab diesem Tag.",
                                 "Empty: every day. One day chosen: from that day on."))
    start, end = _period(days)
    if start and end and start > end:
        st.error(tr("Der Zeitraum endet vor seinem Anfang: „bis“ muss am oder nach „von“ "
                    "liegen.", "The period ends before it starts: “until” must be on or "
                    "after “from”."))
        return None
    return AuditFilter(person=person, kind=chosen, since=start, until=end)


def _period(value: object) -> tuple[dt.date | None, dt.date | None]:
    """The range widget's value (empty, one day while picking, or two) as (from, until)."""
    days = [d for d in (value if isinstance(value, tuple | list) else (value,))
            if isinstance(d, dt.date)]
    return (days[0] if days else None, days[1] if len(days) > 1 else None)


def _page_number(chosen: AuditFilter) -> int:
    if st.session_state.get(_SEEN) != chosen:  # a new filter starts on its first page
        st.session_state[_SEEN] = chosen
        st.session_state[_PAGE] = 1
    return int(st.session_state.get(_PAGE, 1))


def entries_table(actor: Actor, chosen: AuditFilter) -> AuditPage | None:
    """One page of entries, newest first, with the page switch below it; the page read."""
    try:
        page = audit_entries(engine(), actor=actor, filters=chosen,
                             page=_page_number(chosen), lang=lang())
    except StadtraumError as exc:
        st.error(_message(exc))
        return None
    if page.total == 0:
        st.info(tr("Keine Einträge für diese Auswahl.", "No entries for this selection."))
        return page
    st.session_state[_PAGE] = page.page  # clamped: the log may have shrunk meanwhile
    frame = audit_frame(page.rows, lang())
    kind_column = frame.columns[2]  # wide enough for "Anmeldung fehlgeschlagen"
    st.dataframe(frame, hide_index=True, width="stretch", row_height=35,
                 height=min(len(page.rows), 15) * 35 + 38,
                 column_config={kind_column: st.column_config.TextColumn(width=175)})
    if page.pages > 1:
        left, middle, right = st.columns([2, 3, 2], vertical_alignment="center")
        left.button(tr("‹ Neuere", "‹ Newer"), key="audit_newer", width="stretch",
                    disabled=page.page <= 1, on_click=_turn, args=(-1,))
        right.button(tr("Ältere ›", "Older ›"), key="audit_older", width="stretch",
                     disabled=page.page >= page.pages, on_click=_turn, args=(1,))
        middle.caption(tr(f"Seite {page.page} von {page.pages} · {page.total} Einträge",
                          f"Page {page.page} of {page.pages} · {page.total} entries"),
                       text_alignment="center")
    else:
        st.caption(tr(f"{page.total} Einträge", f"{page.total} entries"))
    return page


def _turn(step: int) -> None:
    st.session_state[_PAGE] = max(1, int(st.session_state.get(_PAGE, 1)) + step)


def download(actor: Actor, chosen: AuditFilter, total: int) -> None:
    """The CSV button: every entry of the selection (bounded), generated on the click."""
    most = f"{MAX_CSV_ROWS:,}".replace(",", ".")
    st.caption(tr(f"Die CSV-Datei (UTF-8) enthält alle Einträge der Auswahl, die neuesten "
                  f"zuerst, höchstens {most}. Jeder Download wird selbst protokolliert.",
                  f"The CSV file (UTF-8) holds every entry of the selection, newest first, "
                  f"at most {MAX_CSV_ROWS:,}. Every download is itself recorded in the log."))
    if total > MAX_CSV_ROWS:
        st.warning(tr("Die Auswahl ist größer als eine Datei fassen soll: bitte den "
                      "Zeitraum einschränken.", "The selection is larger than one file "
                      "should hold: please narrow the period."))
    eng, language = engine(), lang()
    st.download_button(tr("Protokoll als CSV herunterladen", "Download the log as CSV"),
                       data=lambda: audit_csv_text(eng, actor=actor, filters=chosen,
                                                   lang=language),
                       file_name=audit_file_name(chosen, local_today()), mime="text/csv",
                       key="audit_csv", on_click="ignore", icon=":material/download:",
                       disabled=total == 0)
