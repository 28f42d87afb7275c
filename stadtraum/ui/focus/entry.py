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
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

NO_ANSWER = "keine Angabe"


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


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(cid): (None if pd.isna(v) else v) for cid, v in row.items()}
            for row in frame.to_dict("records")]


def grid(info: FocusGroupInfo, catalogue: Catalogue, user: AuthUser) -> None:
    who = only_moderator(user)
    stored = load_ratings(engine(), info.id, only_moderator=who)
    if stored.consensus is not None:
        st.info("Für diese Fokusgruppe ist eine gemeinsame Bewertung gespeichert. Für "
                "Einzelbewertungen diese zuerst entfernen.")
        return
    count = st.number_input("Zahl der Teilnehmenden (Zeilen)", min_value=1, max_value=MAX_ROWS,
                            value=max(len(stored.rows), 6), step=1, key=f"fg_rows_{info.id}")
    rows = [stored.rows[i] if i < len(stored.rows) else {} for i in range(int(count))]
    if any(stored.rows[int(count):]):
        st.warning("Weniger Zeilen als gespeichert: beim Speichern werden die Bewertungen der "
                   "weggefallenen Personen verworfen.")
    frame = pd.DataFrame([[r.get(c) for c in catalogue.ids] for r in rows],
                         columns=list(catalogue.ids), dtype="Int64",
                         index=[f"Person {i + 1}" for i in range(len(rows))])
    st.caption("Je Person eine Zeile, je Thema eine Spalte: 1 (großer Verbesserungsbedarf) bis "
               "7 (kaum Verbesserungsbedarf); leer = keine Angabe. Eine geleerte Zeile wird "
               "verworfen, eine geänderte als Korrektur gespeichert.")
    edited = st.data_editor(
        frame, num_rows="fixed", width="stretch", key=grid_key(info.id),
        column_config={c.id: st.column_config.NumberColumn(
            c.label_de, help=c.question_de, min_value=1, max_value=7, step=1, format="%d")
            for c in catalogue.criteria})
    if st.button("Bewertungen speichern", type="primary", key="fg_save_grid"):
        _save(info.id, lambda: save_grid(engine(), info.id, _rows(edited), actor=user.actor,
                                         only_moderator=who))


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
            st.session_state[MESSAGE] = f"Notizen gespeichert ({kept} Themen mit Notiz)."
        except StadtraumError as exc:
            st.session_state[ERROR] = exc.message_de
        st.rerun()
