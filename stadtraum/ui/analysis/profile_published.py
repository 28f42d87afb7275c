"""The area profile of a campaign whose raw data are gone (purged on request or after its
retention period): the published means of the area, its parent and the city, as radar and
table. No n, no interval, no priorities or comments: those went with the raw data."""

from __future__ import annotations

import streamlit as st

from stadtraum.analysis.area_compare import locate_area
from stadtraum.analysis.results import Results
from stadtraum.analysis.view_filter import CampaignOption
from stadtraum.publish.published_map import published_note
from stadtraum.publish.published_profile import published_series, published_table
from stadtraum.ui.analysis.profile_charts import file_stem, show_radar, show_table, tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.state import engine

__all__ = ["show_published_profile"]


def show_published_profile(results: Results, code: str, campaign: CampaignOption) -> None:
    k, row = locate_area(results, code)
    found = published_series(engine(), campaign.id, results, k, row)
    if found is None:
        st.warning(tr("Die Rohdaten dieser Befragung sind gelöscht, und dieses Gebiet wurde nie "
                      "veröffentlicht: es gibt keine Zahlen mehr dazu.",
                      "The raw data of this survey were deleted and this area was never "
                      "published: no figures are left for it."))
        return
    st.info(published_note(campaign.purged_at, found.published_at, lang(), view="profile"))
    name = found.series[0].name
    show_radar([c.label(lang()) for c in results.criteria], found.series,
               title=tr(f"Gebietsprofil: {name} (veröffentlichter Stand)",
                        f"Area profile: {name} (published results)"),
               file_name=file_stem("stadtraum_gebietsprofil", name), key="profile_radar")
    frame = published_table(results, found, lang())
    show_table(frame, {c: c for c in frame.columns},
               file_name=f"stadtraum_gebietsprofil_{name}", key="profile_table")
