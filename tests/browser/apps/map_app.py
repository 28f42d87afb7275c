"""Test-only Streamlit app for tests/browser/test_map_offline.py (not a page of the product).

``?view=choropleth``: the first campaign's first criterion as a choropleth with its legend;
``?view=picker`` (default): the interview's area picker (``&basemap=osm``: with tiles).
Both list every click event they were told about, and count the script runs, as plain text
the browser test reads.
"""

from __future__ import annotations

import json

import streamlit as st
from sqlalchemy.orm import Session

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.results import compute_results
from stadtraum.maps.area_values import area_values
from stadtraum.maps.choropleth import choropleth_geojson, choropleth_map
from stadtraum.maps.colours import RATING_SCALE
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.maps.legend import legend_for
from stadtraum.maps.picker import selection_layer
from stadtraum.store.queries import list_campaigns
from stadtraum.ui.maps.area_picker import pick_area_on_map
from stadtraum.ui.maps.map_view import clicked_area, show_legend, show_map
from stadtraum.ui.state import cube_provider, engine

st.set_page_config(page_title="Kartentest", layout="wide")
st.session_state["runs"] = st.session_state.get("runs", 0) + 1
events: list[str] = st.session_state.setdefault("events", [])
eng = engine()
with Session(eng) as session:
    campaign = list_campaigns(session)[0]
geometry = level_geojson(eng, campaign.level_id)
view = st.query_params.get("view", "picker")

if view == "choropleth":
    res = compute_results(eng, cube_provider(), CubeFilter(campaign_ids=(campaign.id,)))
    features = choropleth_geojson(geometry, area_values(res, 0, res.criteria[0].id),
                                  scale=RATING_SCALE, min_n=res.min_n)
    tapped = clicked_area("choro")
    if tapped is not None:
        events.append(tapped)
        st.session_state["selected"] = tapped
    left, right = st.columns([3, 1])
    with left:
        show_map(choropleth_map(features), key="choro", height=520,
                 highlight=selection_layer(features, st.session_state.get("selected")))
    with right:
        show_legend(legend_for(RATING_SCALE, res.min_n))
else:
    st.session_state["picked"] = pick_area_on_map(
        geometry, st.session_state.get("picked"), key="picker", on_tap=events.append,
        basemap_key=st.query_params.get("basemap"))
st.text("events: " + json.dumps(events))
st.text(f"runs: {st.session_state['runs']}")
