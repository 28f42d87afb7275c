"""Fokusgruppe: open a session, enter the group's ratings (grid or consensus) and notes, and
show the group's radar next to the area and the city on a projector."""

from __future__ import annotations

import streamlit as st

from stadtraum.errors import StadtraumError
from stadtraum.focus.group_view import group_view
from stadtraum.focus.sessions import group_catalogue
from stadtraum.ui.focus import entry as focus_entry
from stadtraum.ui.focus import group_session as focus_session
from stadtraum.ui.focus import projector as focus_projector
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import require_page
from stadtraum.ui.state import cube_provider, engine

user = require_page("fokusgruppe")
PROJECTOR = "fg_projector"
MODES = {"grid": "Einzelbewertungen", "consensus": "Gemeinsame Bewertung", "notes": "Notizen"}


def _set_projector(on: bool) -> None:
    st.session_state[PROJECTOR] = on


if st.session_state.get(PROJECTOR) and st.session_state.get(focus_session.GROUP):
    st.button("Projektoransicht verlassen", key="fg_projector_off", on_click=_set_projector,
              args=(False,))
    try:
        view = group_view(engine(), cube_provider(), st.session_state[focus_session.GROUP],
                          only_moderator=focus_session.only_moderator(user))
    except StadtraumError as exc:
        st.error(md_literal(exc.message_de))
        st.stop()
    focus_projector.render(view, lang())
    st.stop()

st.title("Fokusgruppe", anchor=False)
focus_session.flash()
info = focus_session.choose(user)
if info is None:
    st.stop()
st.caption(md_literal(
    f"{info.campaign_name} · Gebiet: {info.area_name} · Moderation: {info.moderator} · "
    f"{info.participants} Teilnehmende mit gültiger Bewertung"))
if info.campaign_status != "open":
    st.warning("Diese Befragung ist nicht mehr geöffnet: Bewertungen können nicht mehr "
               "geändert werden.")
catalogue = group_catalogue(engine(), info)
# keep the chosen tab across the projector view (where the radio is not shown)
if st.session_state.get("fg_mode") not in MODES:
    st.session_state["fg_mode"] = st.session_state.get("fg_mode_keep", "grid")
mode = st.radio("Eingabe", list(MODES), format_func=MODES.__getitem__, horizontal=True,
                key="fg_mode")
st.session_state["fg_mode_keep"] = mode
if mode == "grid":
    focus_entry.grid(info, catalogue, user)
elif mode == "consensus":
    focus_entry.consensus(info, catalogue, user)
else:
    focus_entry.notes(info, catalogue, user)
st.divider()
st.button("Projektoransicht öffnen", key="fg_projector_on", on_click=_set_projector,
          args=(True,), help="Radar der Gruppe neben Gebiet und Gesamtstadt, große Schrift, "
          "ohne Seitenleiste")
