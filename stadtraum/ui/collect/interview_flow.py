"""Session handling of the street interview: start, resume, save at every step, send."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from sqlalchemy.exc import DBAPIError

from stadtraum.accounts.permissions import Actor
from stadtraum.citizen.qr import qr_png
from stadtraum.collect.drafts import discard_draft, open_drafts, save_draft, send_interview
from stadtraum.collect.interview import Interview
from stadtraum.collect.setup import CampaignChoice
from stadtraum.errors import ConflictError, NotSavedError, ValidationError
from stadtraum.privacy.response_number import short_number
from stadtraum.ui.state import engine, settings

KEY = "interview"


def current() -> Interview | None:
    value = st.session_state.get(KEY)
    return value if isinstance(value, Interview) else None


def start(choice: CampaignChoice, actor: Actor) -> Interview:
    iv = Interview(campaign_id=choice.info.id, entered_by=actor.name)
    st.session_state[KEY] = iv  # its draft is saved with the first input (save_if_changed)
    return iv


def _day(iso: str) -> str:
    """``2026-12-04`` -> ``04.12.2026``."""
    try:
        return f"{dt.date.fromisoformat(iso):%d.%m.%Y}"
    except ValueError:
        return iso


def offer_resume(actor: Actor) -> None:
    """Offer the helper's unfinished interviews (after a reload, a lost connection, a
    restart); shown only while no interview is active."""
    drafts = [iv for iv in open_drafts(engine(), actor.name, settings().draft_ttl_hours)
              if not iv.is_blank()]  # (empty drafts of older versions: nothing to resume)
    if not drafts:
        return
    st.warning(f"{len(drafts)} unterbrochene Befragung gefunden." if len(drafts) == 1 else
               f"{len(drafts)} unterbrochene Befragungen gefunden.")
    for iv in drafts:
        cols = st.columns([3, 1, 1])
        cols[0].write(f"Begonnen am {_day(iv.started_on)}, Schritt {iv.step + 1}"
                      + (" – Senden war fehlgeschlagen" if iv.frozen else ""))
        if cols[1].button("Fortsetzen", key=f"resume_{iv.response_id}", type="primary"):
            st.session_state[KEY] = iv
            st.rerun()
        if cols[2].button("Verwerfen", key=f"drop_{iv.response_id}"):
            discard_draft(engine(), iv.response_id, actor=actor)
            st.rerun()


def save_if_changed(iv: Interview, actor: Actor) -> None:
    """Save after every input (a tap), not only on "Weiter": a reload right after a tap
    must not lose it."""
    if iv.is_blank():  # nothing entered yet (at most the area): no draft to pile up
        return
    if st.session_state.get("saved_json") != iv.to_json():
        save(iv, actor)


def save(iv: Interview, actor: Actor) -> None:
    try:
        save_draft(engine(), iv, actor=actor)
        st.session_state["saved_json"] = iv.to_json()
        st.session_state["draft_saved_at"] = dt.datetime.now().strftime("%H:%M:%S")
    except DBAPIError:  # the input stays in the session; the caption says so
        st.session_state["draft_saved_at"] = None


def navigate(iv: Interview, delta: int, catalogue_steps: int, reason: str | None,
             actor: Actor) -> None:
    if delta > 0 and reason:
        st.session_state["nav_error"] = reason
        return
    st.session_state.pop("nav_error", None)
    iv.step = max(0, min(iv.step + delta, catalogue_steps - 1))
    save(iv, actor)


def send(iv: Interview, actor: Actor) -> None:
    """Send the frozen payload; keep everything on failure."""
    try:
        result = send_interview(engine(), iv, actor=actor)
    except NotSavedError:
        st.session_state["send_error"] = "Nicht gespeichert – bitte erneut senden."
        return
    except (ConflictError, ValidationError) as exc:
        st.session_state["send_error"] = exc.message_de
        return
    st.session_state.pop("send_error", None)
    fresh = Interview(campaign_id=iv.campaign_id, entered_by=iv.entered_by,
                      area_code=iv.area_code)  # next passer-by, most likely the same area
    st.session_state[KEY] = fresh  # no draft until its first input (save_if_changed)
    done = st.session_state.setdefault("done_today", [])
    if result.response_id not in done:
        done.append(result.response_id)
    st.session_state["last_saved"] = result.response_id


def show_response_number() -> None:
    """Right after a save: the response number to hand to the person interviewed (written
    down or read out), with why they may need it. Shown on the first step of the next
    interview, below the page's "Gespeichert" line."""
    saved = st.session_state.get("last_saved")
    if not isinstance(saved, str):
        return
    number = short_number(saved)
    with st.container(border=True, key="iv_number_box"):
        st.markdown("**Antwortnummer für die befragte Person**")
        text_col, qr_col = st.columns([3, 1])
        text_col.code(number, language=None)
        text_col.caption("Bitte mitgeben (aufschreiben, vorlesen oder den Code mit dem Handy "
                         "fotografieren lassen): Mit dieser Nummer kann die Person später "
                         "verlangen, dass ihre Antwort gelöscht wird.")
        qr_col.image(qr_png(f"Antwortnummer {number}", scale=5), width=140,
                     alt=f"QR-Code der Antwortnummer {number}")
