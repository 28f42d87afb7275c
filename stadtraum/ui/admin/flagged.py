"""Admin widgets for reviewing flagged online responses: accept or reject, one by one. The
Verwaltung page shows every campaign's (:func:`flagged_panel`), the campaigns page one
campaign's list (:func:`flagged_list`); German first, English in the English UI."""

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
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin.campaign_texts import error_text, tr
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["SHOWN", "flagged_list", "flagged_panel"]

SHOWN = 50


def _act(action: str, response: FlaggedResponse, actor: Actor) -> None:
    try:
        if action == "accept":
            accept_flagged(engine(), response.uuid, actor=actor)
            st.session_state["admin_flash"] = tr("Angenommen: die Antwort zählt jetzt mit.",
                                                 "Accepted: the response counts from now on.")
        else:
            reject_flagged(engine(), response.uuid, actor=actor)
            st.session_state["admin_flash"] = tr("Verworfen: die Antwort bleibt draußen.",
                                                 "Rejected: the response stays out.")
    except StadtraumError as exc:  # permission, conflict (reviewed meanwhile), not found
        st.session_state["admin_flash"] = error_text(exc)


def _card(r: FlaggedResponse, actor: Actor) -> None:
    with st.container(border=True):
        st.text(f"{r.created_local} · {r.area_name}")
        st.text(tr(f"Grund: {r.reason}", f"Reason (as recorded, in German): {r.reason}"))
        st.text(tr(f"Bewertungen ({r.n_ratings}): {r.ratings}",
                   f"Ratings ({r.n_ratings}): {r.ratings}"))
        for comment in r.comments:
            st.text(tr(f"Kommentar: {comment}", f"Comment: {comment}"))
        left, right = st.columns(2)
        left.button(tr("Annehmen", "Accept"), key=f"accept_{r.uuid}", type="primary",
                    width="stretch", on_click=_act, args=("accept", r, actor))
        right.button(tr("Verwerfen", "Reject"), key=f"reject_{r.uuid}", width="stretch",
                     on_click=_act, args=("reject", r, actor))


def _explain() -> None:
    st.caption(tr("Online-Antworten, die auffällig schnell oder ganz gleichförmig ausgefüllt "
                  "wurden oder in einer Häufung für ein Gebiet kamen, sind gespeichert, zählen "
                  "aber erst nach „Annehmen“ in den Ergebnissen. „Verwerfen“ lässt sie "
                  "dauerhaft draußen (sie bleiben dokumentiert).",
                  "Online responses filled in conspicuously fast or all alike, or that came "
                  "in a burst for one area, are stored but count in the results only after "
                  "“Accept”. “Reject” keeps them out for good (they stay on record)."))


def flagged_list(actor: Actor, campaign_id: int, total: int) -> None:
    """The newest flagged responses of one campaign (``total``: how many it has), each with
    its accept and reject buttons."""
    try:
        rows = flagged_responses(engine(), campaign_id, limit=SHOWN)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    if not rows:
        st.success(tr("Keine markierten Antworten.", "No flagged responses."))
        return
    if total > len(rows):
        st.caption(tr(f"Die neuesten {len(rows)} von {total} werden gezeigt.",
                      f"The newest {len(rows)} of {total} are shown."))
    st.caption(tr("Bewertungen in der Reihenfolge der Themen, · = keine Angabe.",
                  "Ratings in the order of the topics, · = no answer."))
    for r in rows:
        _card(r, actor)


def flagged_panel(actor: Actor) -> None:
    """The Verwaltung page's review: pick a campaign with flagged responses, review them."""
    counts = flagged_counts(engine())
    _explain()
    if not counts:
        st.success(tr("Keine markierten Antworten.", "No flagged responses."))
        return
    names = {c.campaign_id: tr(f"{c.campaign_name} ({c.count} markiert)",
                               f"{c.campaign_name} ({c.count} flagged)") for c in counts}
    campaign_id = st.selectbox(tr("Befragung", "Survey"), list(names),
                               format_func=lambda cid: names.get(cid, str(cid)),
                               key="flag_campaign")
    if campaign_id is None:
        return
    total = next((c.count for c in counts if c.campaign_id == campaign_id), 0)
    flagged_list(actor, campaign_id, total)
