"""Übersicht: results of a campaign per area as a table (the first page)."""

from __future__ import annotations

import streamlit as st

from stadtraum.analysis.overview import campaigns, overview, wide_table
from stadtraum.exports.spreadsheet import safe_frame
from stadtraum.ui.i18n import lang, t
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import require_page
from stadtraum.ui.state import cube_provider, engine

user = require_page("uebersicht")
st.title(t("overview"))
options = campaigns(engine())
if not options:
    st.info(t("no_campaigns"))
    st.stop()
labels = {c.id: f"{c.name} ({c.n_responses} Antworten)" if lang() == "de"
          else f"{c.name} ({c.n_responses} responses)" for c in options}
campaign_id = st.selectbox(t("campaign"), list(labels), format_func=labels.__getitem__,
                           index=len(labels) - 1, key="overview_campaign")
data = overview(engine(), cube_provider(), campaign_id)
level = st.radio(t("level"), range(len(data.level_names)),  # radio options render markdown
                 format_func=lambda i: md_literal(data.level_names[i]), horizontal=True,
                 key="overview_level")
st.caption(t("scale") + " " + t("suppressed_note", min_n=data.results.min_n) + " "
           + t("not_representative"))
table = wide_table(data.results, level, lang())
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(t("download_csv"), safe_frame(table).to_csv(index=False).encode("utf-8"),
                   file_name="stadtraum_uebersicht.csv", mime="text/csv")
