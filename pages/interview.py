"""Befragung durchführen: the street interview as a step-wise wizard with saved drafts."""

from __future__ import annotations

import streamlit as st

from stadtraum.collect.interview import Interview
from stadtraum.collect.setup import open_campaigns
from stadtraum.ui.collect import interview_flow as flow
from stadtraum.ui.collect.interview_steps import render_step
from stadtraum.ui.session import require_page
from stadtraum.ui.state import engine

user = require_page("befragung")
st.title("Befragung durchführen", anchor=False)
choices = {c.info.id: c for c in open_campaigns(engine(), "street")}
if not choices:
    st.info("Zurzeit ist keine Befragung geöffnet.")
    st.stop()

if st.session_state.get("last_saved"):
    st.success(f"Gespeichert. Befragung {st.session_state['last_saved'][:8]} ist sicher in der "
               "Datenbank.")
iv = flow.current()
if iv is None or iv.campaign_id not in choices:
    flow.offer_resume(user.actor)
    campaign_id = st.selectbox("Befragung", list(choices),
                               format_func=lambda c: choices[c].info.name, key="iv_campaign")
    if st.button("Neue Befragung beginnen", type="primary", key="iv_start"):
        st.session_state.pop("last_saved", None)
        flow.start(choices[campaign_id], user.actor)
        st.rerun()
    st.stop()

assert isinstance(iv, Interview)
choice = choices[iv.campaign_id]
if iv.replaces:
    st.info(f"Korrektur von Befragung {iv.replaces[:8]}: beim Speichern ersetzt diese Fassung "
            "die alte (die alte bleibt gespeichert, zählt aber nicht mehr).")
steps = Interview.steps(choice.catalogue)
st.progress((iv.step + 1) / len(steps), text=f"Schritt {iv.step + 1} von {len(steps)}")
render_step(iv, choice)
flow.save_if_changed(iv, user.actor)
saved_at = st.session_state.get("draft_saved_at")
st.caption(f"Entwurf gespeichert um {saved_at}" if saved_at else
           "Entwurf noch nicht gespeichert – die Eingaben bleiben auf diesem Gerät erhalten.")
if st.session_state.get("nav_error"):
    st.warning(st.session_state["nav_error"])

last = iv.step == len(steps) - 1
back, forward = st.columns(2)
if back.button("Zurück", disabled=iv.step == 0 or iv.frozen, width="stretch", key="iv_back"):
    flow.navigate(iv, -1, len(steps), None, user.actor)
    st.rerun()
if not last and forward.button("Weiter", type="primary", width="stretch", key="iv_next"):
    flow.navigate(iv, +1, len(steps), iv.can_advance(choice.catalogue), user.actor)
    st.rerun()
if last:
    reason = iv.can_advance(choice.catalogue)
    label = "Erneut senden" if iv.frozen else "Befragung speichern"
    if forward.button(label, type="primary", width="stretch", disabled=reason is not None,
                      key="iv_send"):
        flow.send(iv, user.actor)
        st.rerun()
    if reason:
        st.warning(reason)
    if st.session_state.get("send_error"):
        st.error(st.session_state["send_error"])
