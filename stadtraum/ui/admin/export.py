"""Admin widget: download the valid responses of chosen campaigns as CSV (generated on the
click, audited). German first, English in the English UI."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.collect.my_interviews import local_today
from stadtraum.exports.responses import export_csv_text, export_file_name, plan_export
from stadtraum.ui.admin.campaign_texts import tr
from stadtraum.ui.analysis.filters import options
from stadtraum.ui.state import cube_provider, engine


def export_panel(actor: Actor) -> None:
    campaigns = options().campaigns
    if not campaigns:
        st.info(tr("Noch keine Befragung angelegt.", "No survey yet."))
        return
    names = {c.id: c.name for c in campaigns}
    chosen = st.multiselect(tr("Befragungen", "Surveys"), list(names), default=list(names)[-1:],
                            format_func=lambda cid: names[cid], key="export_campaigns")
    st.caption(tr("Eine Zeile je gültiger Antwort: Antwort-Id, Befragung, Gebiet, "
                  "Erhebungsart, Datum, Altersgruppe, Geschlecht, Bezug zum Ort, die "
                  "Bewertungen (leer = keine Angabe) und bis zu drei Prioritäten. Ohne "
                  "Kommentare, ohne Namen der Erfasser*innen, ohne Uhrzeit und Standort. Jeder "
                  "Export wird protokolliert. Sehr große Exporte: `stadtraum responses export` "
                  "auf dem Server.", "One row per valid response: response id, survey, area, "
                  "mode, date, age group, gender, relation to the place, the ratings (empty = "
                  "no answer) and up to three priorities. No comments, no helpers' names, no "
                  "time of day and no location. Every export is recorded in the audit log. "
                  "Very large exports: `stadtraum responses export` on the server."))
    if not chosen:
        st.caption(tr("Bitte mindestens eine Befragung wählen.",
                      "Please choose at least one survey."))
        return
    eng, provider = engine(), cube_provider()
    plan = plan_export(eng, chosen, actor=actor)
    st.download_button(tr("Antworten als CSV herunterladen", "Download responses as CSV"),
                       data=lambda: export_csv_text(eng, provider, plan, actor=actor),
                       file_name=export_file_name(plan, local_today()), mime="text/csv",
                       key="export_csv", on_click="ignore", icon=":material/download:")
