"""Fokusgruppe: choose one of one's sessions or open a new one (campaign, area, title, date).

The chosen session id lives in ``st.session_state[GROUP]`` (not only in the widget), so it
survives the projector view, where the picker is not shown.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from stadtraum.accounts.users import AuthUser
from stadtraum.collect.setup import open_campaigns
from stadtraum.errors import StadtraumError
from stadtraum.focus.sessions import FocusGroupInfo, list_sessions, open_session
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

GROUP = "fg_group"
MESSAGE = "fg_message"
ERROR = "fg_error"


def only_moderator(user: AuthUser) -> str | None:
    """A moderator works on their own sessions; an admin on all."""
    return None if user.role == "admin" else user.name


def flash() -> None:
    """Show (once) what the last action did."""
    if msg := st.session_state.pop(MESSAGE, None):
        st.success(md_literal(msg))
    if err := st.session_state.pop(ERROR, None):
        st.error(md_literal(err))


def _open_clicked(user: AuthUser) -> None:
    state = st.session_state
    try:
        info = open_session(engine(), campaign_id=int(state["fg_new_campaign"]),
                            area_code=str(state.get("fg_new_area") or ""),
                            title=str(state.get("fg_new_title") or ""), actor=user.actor,
                            held_on=state.get("fg_new_date"))
    except StadtraumError as exc:
        state[ERROR] = exc.message_de
        return
    state[GROUP] = state["fg_pick"] = info.id
    state["fg_new_title"] = ""
    state[MESSAGE] = "Fokusgruppe eröffnet. Jetzt die Bewertungen eingeben."


def _open_form(user: AuthUser) -> None:
    choices = {c.info.id: c for c in open_campaigns(engine(), "focus_group")}
    if not choices:
        st.info("Zurzeit ist keine Befragung geöffnet; eine Fokusgruppe braucht eine offene "
                "Befragung.")
        return
    cid = st.selectbox("Befragung", list(choices), format_func=lambda c: choices[c].info.name,
                       key="fg_new_campaign")
    areas = choices[cid].areas
    st.selectbox("Gebiet (zum Suchen tippen)", list(areas), format_func=areas.__getitem__,
                 index=None, placeholder="Gebiet wählen …", key="fg_new_area")
    st.text_input("Titel (z. B. Ort und Anlass)", max_chars=200, key="fg_new_title")
    st.date_input("Datum", value=dt.date.today(), format="DD.MM.YYYY", key="fg_new_date")
    st.button("Fokusgruppe eröffnen", type="primary", key="fg_open", on_click=_open_clicked,
              args=(user,))


def choose(user: AuthUser) -> FocusGroupInfo | None:
    """The session to work on, or None (then the page offers only "open a new one")."""
    sessions = {s.id: s for s in list_sessions(engine(), moderator=only_moderator(user))}
    if sessions:
        state = st.session_state
        if state.get("fg_pick") not in sessions:
            state["fg_pick"] = state.get(GROUP) if state.get(GROUP) in sessions else \
                next(iter(sessions))
        picked = st.selectbox("Fokusgruppe", list(sessions),
                              format_func=lambda g: sessions[g].label(), key="fg_pick")
        state[GROUP] = picked
    with st.expander("Neue Fokusgruppe eröffnen", expanded=not sessions):
        _open_form(user)
    return sessions.get(st.session_state.get(GROUP, ""))
