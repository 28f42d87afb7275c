"""Admin widget: download the valid responses of chosen campaigns as CSV (generated on the
click, audited)."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.collect.my_interviews import local_today
from stadtraum.exports.responses import export_csv_text, export_file_name, plan_export
from stadtraum.ui.analysis.filters import options
from stadtraum.ui.state import cube_provider, engine


def export_panel(actor: Actor) -> None:
    campaigns = options().campaigns
    if not campaigns:
        st.info("Noch keine Befragung angelegt.")
        return
    names = {c.id: c.name for c in campaigns}
    chosen = st.multiselect("Befragungen", list(names), default=list(names)[-1:],
                            format_func=lambda cid: names[cid], key="export_campaigns")
    st.caption("Eine Zeile je gültiger Antwort: Antwort-Id, Befragung, Gebiet, Erhebungsart, "
               "Datum, Altersgruppe, Geschlecht, Bezug zum Ort, die Bewertungen (leer = keine "
               "Angabe) und bis zu drei Prioritäten. Ohne Kommentare, ohne Namen der "
               "Erfasser*innen, ohne Uhrzeit und Standort. Jeder Export wird protokolliert. "
               "Sehr große Exporte: `stadtraum responses export` auf dem Server.")
    if not chosen:
        st.caption("Bitte mindestens eine Befragung wählen.")
        return
    eng, provider = engine(), cube_provider()
    plan = plan_export(eng, chosen, actor=actor)
    st.download_button("Antworten als CSV herunterladen",
                       data=lambda: export_csv_text(eng, provider, plan, actor=actor),
                       file_name=export_file_name(plan, local_today()), mime="text/csv",
                       key="export_csv", on_click="ignore", icon=":material/download:")
