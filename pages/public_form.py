"""Mitmachen: the citizens' anonymous online form, reached by link or QR code (no sign-in).

Flow: language + privacy notice + consent → area → one step per criterion → optional
demographics → send (rate-limited, flagged when implausible, stored exactly once) → thanks
with the citizen's own radar against the area's current (suppressed) result.
"""

from __future__ import annotations

import streamlit as st

from stadtraum.citizen.form import ABOUT, AREA, WELCOME
from stadtraum.citizen.texts import text
from stadtraum.citizen.thanks import area_profile
from stadtraum.ui.admin.settings_cache import city
from stadtraum.ui.citizen import form_state as state
from stadtraum.ui.citizen import form_steps as steps
from stadtraum.ui.citizen.area_choice import choose_area
from stadtraum.ui.citizen.city_texts import city_footer, city_header
from stadtraum.ui.state import engine

st.set_page_config(page_title="Mitmachen – StadtRaumMonitor", layout="centered",
                   initial_sidebar_state="collapsed")
steps.apply_layout()
campaign = state.load_campaign()  # a notice and stop for a wrong, switched-off or closed link
form = state.form_for(campaign)
profile = city()  # the city's name, privacy texts, Impressum (settings page)
city_header(profile)
lang = state.choose_language(form)
st.title(text("title", lang), anchor=False)
catalogue = campaign.catalogue

if form.sent:
    code = form.area_code or ""
    result = area_profile(engine(), campaign.id, code, form.answered(), lang)
    steps.thanks(form, result, campaign.areas.get(code, ""))
    city_footer(lang, profile)
    st.stop()

here = form.current(catalogue)
if here == WELCOME:
    steps.welcome(form, campaign, profile.privacy_contact)
    typed = steps.code_field(form, state.link_code()) if campaign.codes_required else ""
    if st.button(text("start", lang), type="primary", width="stretch", key="pub_start"):
        if not form.consent:
            state.remember_error("need_consent")
        elif not campaign.codes_required or state.take_code(form, typed):
            state.start(form)
        st.rerun()
    state.show_error(lang)
    city_footer(lang, profile)
    st.stop()

total = len(catalogue.ids)
if here == AREA:
    choose_area(form, campaign)
elif here == ABOUT:
    steps.about(form)
else:
    steps.criterion(form, catalogue.get(here), catalogue.ids.index(here) + 1, total)
# a code used up meanwhile (another send with it was faster): asked for again before sending
retyped = steps.code_field(form, "") if campaign.codes_required and form.is_last(catalogue) \
    and form.invitation_code is None else None
st.progress(form.step / (len(form.steps(catalogue)) - 1))

back, forward = st.columns(2)  # on a phone they stack: "Weiter" lands under the thumb
if not form.is_last(catalogue):
    if forward.button(text("next", lang), type="primary", width="stretch", key="pub_next"):
        missing = form.missing(catalogue)
        if missing:
            state.remember_error(f"need_{missing}")
        else:
            state.clear_error()
            form.go(+1, catalogue)
        st.rerun()
elif forward.button(text("resend" if form.frozen else "send", lang), type="primary",
                    width="stretch", key="pub_send"):
    if form.missing(catalogue):
        state.remember_error("need_rating")
    elif retyped is None or state.take_code(form, retyped):
        state.send(form)
    st.rerun()
if back.button(text("back", lang), width="stretch", key="pub_back",
               disabled=form.step <= 1 or form.frozen):
    state.clear_error()
    form.go(-1, catalogue)
    st.rerun()
state.show_error(lang)
city_footer(lang, profile)
