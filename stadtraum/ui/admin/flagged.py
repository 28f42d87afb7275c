"""Admin widgets for reviewing flagged online responses: accept or reject, one by one."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.citizen.flagged import (
    FlaggedResponse,
    accept_flagged,
    flagged_counts,
    flagged_responses,
    reject_flagged,
)
from stadtraum.errors import ConflictError, NotFoundError
from stadtraum.ui.state import engine

SHOWN = 50


def _act(action: str, response: FlaggedResponse, actor: Actor) -> None:
    try:
        if action == "accept":
            accept_flagged(engine(), response.uuid, actor=actor)
            st.session_state["admin_flash"] = "Angenommen: die Antwort zählt jetzt mit."
        else:
            reject_flagged(engine(), response.uuid, actor=actor)
            st.session_state["admin_flash"] = "Verworfen: die Antwort bleibt draußen."
    except (ConflictError, NotFoundError) as exc:
        st.session_state["admin_flash"] = exc.message_de


def _card(r: FlaggedResponse, actor: Actor) -> None:
    with st.container(border=True):
        st.text(f"{r.created_local} · {r.area_name}")
        st.text(f"Grund: {r.reason}")
        st.text(f"Bewertungen ({r.n_ratings}): {r.ratings}")
        for comment in r.comments:
            st.text(f"Kommentar: {comment}")
        left, right = st.columns(2)
        left.button("Annehmen", key=f"accept_{r.uuid}", type="primary", width="stretch",
                    on_click=_act, args=("accept", r, actor))
        right.button("Verwerfen", key=f"reject_{r.uuid}", width="stretch", on_click=_act,
                     args=("reject", r, actor))


def flagged_panel(actor: Actor) -> None:
    counts = flagged_counts(engine())
    st.caption("Online-Antworten, die auffällig schnell oder ganz gleichförmig ausgefüllt wurden "
               "oder in einer Häufung für ein Gebiet kamen, sind gespeichert, zählen aber erst "
               "nach „Annehmen“ in den Ergebnissen. "
               "„Verwerfen“ lässt sie dauerhaft draußen (sie bleiben dokumentiert).")
    if not counts:
        st.success("Keine markierten Antworten.")
        return
    names = {c.campaign_id: f"{c.campaign_name} ({c.count} markiert)" for c in counts}
    campaign_id = st.selectbox("Befragung", list(names), format_func=names.__getitem__,
                               key="flag_campaign")
    rows = flagged_responses(engine(), campaign_id, limit=SHOWN)
    total = next(c.count for c in counts if c.campaign_id == campaign_id)
    if total > len(rows):
        st.caption(f"Die neuesten {len(rows)} von {total} werden gezeigt.")
    st.caption("Bewertungen in der Reihenfolge der Themen, · = keine Angabe.")
    for r in rows:
        _card(r, actor)
