"""A folium map in Streamlit (streamlit-folium) that reports clicks on areas.

- Only the click is returned to Python (``returned_objects``), so pan and zoom never cause a
  rerun; the map script does not depend on the selection (draw that with ``highlight``, a
  feature group streamlit-folium swaps in without re-creating the map).
- Every click is an event, also a second click on the same area: the component counts
  clicks (``last_object_clicked_count``); a click is new when the count grew since the last
  value of the same map instance (a re-created map starts again at 0). The clicked area is
  read from the clicked feature's properties (``last_active_drawing``).
- The click is recorded in the component's on-change callback, i.e. before the script
  reruns, so the page can draw the new selection in the same run: call
  :func:`clicked_area` before building ``highlight``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from stadtraum.maps.legend import Legend, legend_html

__all__ = ["RETURNED_OBJECTS", "clicked_area", "show_legend", "show_map"]

RETURNED_OBJECTS = ["last_object_clicked", "last_object_clicked_count", "last_active_drawing"]


def _seen_key(key: str) -> str:
    return f"{key}__clicks_seen"


def _click_key(key: str) -> str:
    return f"{key}__clicked_area"


def _code_of(value: Any) -> str | None:
    drawing = value.get("last_active_drawing") if isinstance(value, dict) else None
    props = drawing.get("properties") if isinstance(drawing, dict) else None
    code = props.get("code") if isinstance(props, dict) else None
    return code if isinstance(code, str) else None


def _record_click(key: str) -> None:
    """on_change of the component: streamlit-folium has put the new value in state[key]."""
    value = st.session_state.get(key)
    count = value.get("last_object_clicked_count") if isinstance(value, dict) else None
    count = int(count) if isinstance(count, int | float) else 0
    seen = int(st.session_state.get(_seen_key(key), 0))
    st.session_state[_seen_key(key)] = count
    if count <= seen:  # a (re-)created map reporting its start, not a click
        return
    code = _code_of(value)
    if code is not None:
        st.session_state[_click_key(key)] = code


def clicked_area(key: str) -> str | None:
    """The area code clicked on map ``key`` since the last run, once (None otherwise)."""
    code = st.session_state.pop(_click_key(key), None)
    return code if isinstance(code, str) else None


def show_map(m: folium.Map, *, key: str, height: int = 480, width: int | None = None,
             highlight: folium.FeatureGroup | None = None) -> None:
    """Render ``m`` (full container width unless ``width``); clicks go to :func:`clicked_area`.

    ``key`` names the map; streamlit-folium keeps its last value in ``st.session_state[key]``,
    so do not use ``key`` for anything else.
    """
    st_folium(m, key=key, height=height, width=width, use_container_width=width is None,
              returned_objects=RETURNED_OBJECTS, feature_group_to_add=highlight,
              on_change=partial(_record_click, key))


def show_legend(legend: Legend) -> None:
    """The legend beside the map (not on it: a branca legend would fetch d3 from the web).
    Its HTML is built and escaped by :func:`stadtraum.maps.legend.legend_html`."""
    st.html(legend_html(legend))
