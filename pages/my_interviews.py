"""Meine Befragungen heute: the helper's own interviews of the day; void or correct one."""

from __future__ import annotations

import streamlit as st

from stadtraum.collect.my_interviews import correction_of, interviews_of_day, local_today
from stadtraum.collect.status import VOID_REASONS, void_response
from stadtraum.errors import StadtraumError
from stadtraum.ui.collect import interview_flow as flow
from stadtraum.ui.i18n import plural
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import require_page
from stadtraum.ui.state import engine
from stadtraum.vocab import STATUSES

user = require_page("meine_befragungen")
st.title("Meine Befragungen heute", anchor=False)
if st.session_state.get("mine_notice"):
    st.success(st.session_state.pop("mine_notice"))
rows = interviews_of_day(engine(), user.name, local_today())
valid = sum(1 for r in rows if r.status == "valid")
st.caption(plural(valid, "gültige Befragung", "gültige Befragungen") + " heute. Verworfene und "
           "ersetzte Fassungen bleiben gespeichert, zählen aber nicht in der Auswertung.")
if not rows:
    st.info("Heute wurde unter Ihrem Namen noch keine Befragung gespeichert.")
for row in rows:
    with st.container(border=True):
        head = (f"{row.saved_at:%H:%M} Uhr · {row.area} · {row.answered} Themen bewertet · "
                f"Fassung {row.version}")
        st.text(head)  # area names are imported data: plain text
        status = STATUSES.label(row.status)
        if row.status != "valid":
            reason = VOID_REASONS.get(row.status_reason or "", (row.status_reason or "",))[0]
            st.caption(f"Status: {status}" + (f" ({md_literal(reason)})" if reason else ""))
            continue
        st.caption(f"Status: {status} · Nr. {row.response_id[:8]}")
        fix, drop = st.columns(2)
        if fix.button("Korrigieren", key=f"fix_{row.response_id}", width="stretch"):
            try:
                iv = correction_of(engine(), row.response_id, user.name)
            except StadtraumError as exc:
                st.error(exc.message_de)
            else:
                st.session_state[flow.KEY] = iv
                flow.save(iv, user.actor)
                st.switch_page("pages/interview.py")
        with drop.popover("Verwerfen …", width="stretch"):
            reason_code = st.radio("Grund", list(VOID_REASONS), index=None,
                                   format_func=lambda c: VOID_REASONS[c][0],
                                   key=f"why_{row.response_id}")
            if st.button("Befragung verwerfen", key=f"void_{row.response_id}",
                         disabled=reason_code is None, type="primary"):
                try:
                    void_response(engine(), row.response_id, str(reason_code),
                                  actor=user.actor)
                except StadtraumError as exc:
                    st.error(exc.message_de)
                else:
                    st.session_state["mine_notice"] = (
                        f"Befragung {row.response_id[:8]} wurde verworfen.")
                    st.rerun()
