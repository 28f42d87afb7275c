"""Fokusgruppe: fast entry of the group's ratings — a participants × criteria grid or one
consensus rating — and the moderator's notes per criterion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from stadtraum.accounts.users import AuthUser
from stadtraum.criteria import SCORES, Catalogue
from stadtraum.errors import StadtraumError
from stadtraum.focus.ratings import (
    MAX_ROWS,
    SaveReport,
    clear_consensus,
    load_ratings,
    save_consensus,
    save_grid,
)
from stadtraum.focus.sessions import FocusGroupInfo, load_notes, save_notes
from stadtraum.ui.focus.group_session import ERROR, MESSAGE, only_moderator
from stadtraum.ui.i18n import plural
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

NO_ANSWER = "keine Angabe"
GRID_ROW_PX = 35  # the data editor's row (and header) height
PERSON_PX = 52  # a person's column: "P1" … "P12" and one digit


def grid_key(group_id: str) -> str:
    """The editor's key; it changes after every save so the editor shows what was stored."""
    return f"fg_grid_{group_id}_{st.session_state.get(f'fg_gen_{group_id}', 0)}"


def _done(group_id: str, report: SaveReport) -> None:
    st.session_state[f"fg_gen_{group_id}"] = st.session_state.get(f"fg_gen_{group_id}", 0) + 1
    st.session_state[MESSAGE] = (
        f"Gespeichert: {report.created} neu, {report.corrected} korrigiert, {report.voided} "
        f"geleert, {report.unchanged} unverändert.")


def _save(group_id: str, store: Callable[[], SaveReport]) -> None:
    """Run one save, remember its report (or the German error) for the next run, rerun."""
    try:
        _done(group_id, store())
    except StadtraumError as exc:
        st.session_state[ERROR] = exc.message_de
    st.rerun()


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def grid_frame(rows: list[dict[str, int]], catalogue: Catalogue) -> pd.DataFrame:
    """One row per theme (all of them visible at once, labelled), one column per person;
    cells are text, so whatever is typed reaches the check as typed (a number column would
    silently turn a 9 into a 7) and an empty cell shows as empty, not as "None"."""
    return pd.DataFrame({f"Person {i + 1}": [_cell(r.get(c)) for c in catalogue.ids]
                         for i, r in enumerate(rows)},
                        index=[c.label_de for c in catalogue.criteria], dtype="object")


def grid_rows(frame: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Per person (column): criterion id -> the cell's text (checked by the use case)."""
    return [{cid: (None if v is None or pd.isna(v) else v)
             for cid, v in zip(catalogue.ids, frame[col].tolist(), strict=True)}
            for col in frame.columns]


def grid(info: FocusGroupInfo, catalogue: Catalogue, user: AuthUser) -> None:
    who = only_moderator(user)
    stored = load_ratings(engine(), info.id, only_moderator=who)
    if stored.consensus is not None:
        st.info("Für diese Fokusgruppe ist eine gemeinsame Bewertung gespeichert. Für "
                "Einzelbewertungen diese zuerst entfernen.")
        return
    count = st.number_input("Zahl der Teilnehmenden (Spalten)", min_value=1,
                            max_value=MAX_ROWS, value=max(len(stored.rows), 6), step=1,
                            key=f"fg_rows_{info.id}")
    rows = [stored.rows[i] if i < len(stored.rows) else {} for i in range(int(count))]
    if any(stored.rows[int(count):]):
        st.warning("Weniger Spalten als gespeichert: beim Speichern werden die Bewertungen der "
                   "weggefallenen Personen verworfen.")
    frame = grid_frame(rows, catalogue)
    st.caption("Je Thema eine Zeile, je Person eine Spalte (P1 = Person 1 …): 1 (großer "
               "Verbesserungsbedarf) bis 7 (kaum Verbesserungsbedarf); leer = keine Angabe. "
               "Eine geleerte Spalte wird verworfen, eine geänderte als Korrektur gespeichert.")
    edited = st.data_editor(  # as high as all themes: no scrolling inside the grid
        frame, num_rows="fixed", width="stretch", height=GRID_ROW_PX * (len(frame) + 1) + 3,
        key=grid_key(info.id),
        column_config={"_index": st.column_config.TextColumn("Thema", width="medium"),
                       **{col: st.column_config.TextColumn(  # narrow: 6 people fit at 1024 px
                           col.replace("Person ", "P"), help=col, width=PERSON_PX)
                          for col in frame.columns}})
    if st.button("Bewertungen speichern", type="primary", key="fg_save_grid"):
        _save(info.id, lambda: save_grid(engine(), info.id, grid_rows(edited, catalogue),
                                         actor=user.actor, only_moderator=who))


def consensus(info: FocusGroupInfo, catalogue: Catalogue, user: AuthUser) -> None:
    who = only_moderator(user)
    stored = load_ratings(engine(), info.id, only_moderator=who)
    if any(stored.rows):
        st.info("Für diese Fokusgruppe sind Einzelbewertungen gespeichert. Für eine gemeinsame "
                "Bewertung diese zuerst leeren.")
        return
    current = stored.consensus or {}
    options: list[int | None] = [None, *SCORES]
    gen = st.session_state.get(f"fg_gen_{info.id}", 0)
    with st.form(f"fg_consensus_{info.id}_{gen}"):
        people = st.number_input("Zahl der Teilnehmenden, die die Bewertung tragen",
                                 min_value=2, max_value=500, step=1,
                                 value=stored.consensus_participants or 2,
                                 key=f"fg_people_{info.id}_{gen}")
        cols = st.columns(2)
        values: dict[str, int | None] = {}
        for i, c in enumerate(catalogue.criteria):
            values[c.id] = cols[i % 2].selectbox(
                md_literal(c.label_de), options, index=options.index(current.get(c.id)),
                format_func=lambda v: NO_ANSWER if v is None else str(v),
                key=f"fg_cons_{info.id}_{gen}_{c.id}")
        saved = st.form_submit_button("Gemeinsame Bewertung speichern", type="primary",
                                      key="fg_save_consensus")
    if saved:
        _save(info.id, lambda: save_consensus(engine(), info.id, values, int(people),
                                              actor=user.actor, only_moderator=who))
    if stored.consensus is not None and st.button("Gemeinsame Bewertung entfernen",
                                                  key="fg_clear_consensus"):
        _save(info.id, lambda: clear_consensus(engine(), info.id, actor=user.actor,
                                               only_moderator=who))


def notes(info: FocusGroupInfo, catalogue: Catalogue, user: AuthUser) -> None:
    who = only_moderator(user)
    stored = load_notes(engine(), info.id, only_moderator=who)
    gen = st.session_state.get(f"fg_gen_{info.id}", 0)
    with st.form(f"fg_notes_{info.id}_{gen}"):
        texts = {c.id: st.text_area(md_literal(c.label_de), value=stored.get(c.id, ""),
                                    max_chars=2000,
                                    height=80, key=f"fg_note_{info.id}_{gen}_{c.id}")
                 for c in catalogue.criteria}
        saved = st.form_submit_button("Notizen speichern", type="primary", key="fg_save_notes")
    if saved:
        try:
            kept = save_notes(engine(), info.id, texts, actor=user.actor, only_moderator=who)
            _done(info.id, SaveReport())
            st.session_state[MESSAGE] = (
                f"Notizen gespeichert ({plural(kept, 'Thema', 'Themen')} mit Notiz).")
        except StadtraumError as exc:
            st.session_state[ERROR] = exc.message_de
        st.rerun()
