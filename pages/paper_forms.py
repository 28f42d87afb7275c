"""Papierbögen: print the questionnaire, download the typing template, import filled files."""

from __future__ import annotations

import streamlit as st

from stadtraum.collect.setup import open_campaigns
from stadtraum.paper.form import questionnaire_html
from stadtraum.paper.template import csv_template, paper_campaign, xlsx_template
from stadtraum.ui.paper.upload import upload_and_import
from stadtraum.ui.session import require_page
from stadtraum.ui.state import engine

user = require_page("papier")
st.title("Papierbögen", anchor=False)
choices = {c.info.id: c.info.name for c in open_campaigns(engine(), "paper")}
if not choices:
    st.info("Zurzeit ist keine Befragung geöffnet.")
    st.stop()
campaign_id = st.selectbox("Befragung", list(choices), format_func=choices.__getitem__,
                           key="paper_campaign")
ctx = paper_campaign(engine(), campaign_id)
slug = f"befragung_{ctx.id}"

st.subheader("1. Fragebogen drucken", anchor=False)
st.write("Der Fragebogen enthält alle Themen dieser Befragung. Im Browser öffnen und drucken – "
         "für ein PDF „Drucken → Als PDF speichern“ wählen (A4).")
st.download_button("Fragebogen (HTML) herunterladen",
                   questionnaire_html(ctx.catalogue, ctx.name, ctx.areas).encode("utf-8"),
                   file_name=f"fragebogen_{slug}.html", mime="text/html", on_click="ignore",
                   key="paper_dl_form")

st.subheader("2. Vorlage zum Abtippen", anchor=False)
st.write("Eine Zeile je Papierbogen. Die Bogen-Nr. steht oben auf dem Bogen; wer dieselbe Datei "
         "zweimal importiert, legt nichts doppelt an. Bewertungen 1 bis 7, leer = keine Angabe.")
left, right = st.columns(2)
left.download_button("Vorlage als Excel (XLSX)", xlsx_template(ctx),
                     file_name=f"vorlage_{slug}.xlsx", on_click="ignore",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     key="paper_dl_xlsx", width="stretch")
right.download_button("Vorlage als CSV", csv_template(ctx.catalogue),
                      file_name=f"vorlage_{slug}.csv", mime="text/csv", on_click="ignore",
                      key="paper_dl_csv", width="stretch")

st.subheader("3. Ausgefüllte Vorlage importieren", anchor=False)
upload_and_import(ctx.id, user.actor)
