"""Click events of the map wrapper (stadtraum.ui.maps.map_view) in real Streamlit script runs:
every click is reported once, a second click on the same area too, a re-created map starts
counting again; the area picker renders and returns the current choice."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest


def _clicks_script() -> None:
    import streamlit as st

    from stadtraum.ui.maps.map_view import _record_click, clicked_area

    value = st.session_state.get("feed")
    if value is not None:  # what streamlit-folium puts in state[key] before on_change
        st.session_state["m"] = value
        _record_click("m")
    st.text(f"click: {clicked_area('m')}")


def _value(count: int | None, code: str | None) -> dict[str, Any]:
    drawing = None if code is None else {"type": "Feature", "properties": {"code": code},
                                         "geometry": None}
    return {"last_object_clicked": None if code is None else {"lat": 51.4, "lng": 7.2},
            "last_object_clicked_count": count, "last_active_drawing": drawing}


def test_every_click_is_reported_once_including_repeats() -> None:
    at = AppTest.from_function(_clicks_script)
    seen = []
    for value in [_value(0, None),  # the map starting up
                  _value(2, "A"),  # one click (counted twice by the component)
                  _value(2, "A"),  # the same value again: no new click
                  _value(4, "A"),  # the same area clicked again
                  _value(6, "B"),
                  _value(0, None),  # the map was re-created: counting starts again
                  _value(2, "B"),  # ...so count 2 is a new click
                  _value(None, None)]:  # a fresh component's default value
        at.session_state["feed"] = value
        at.run()
        assert not at.exception
        seen.append(at.text[0].value)
    assert seen == ["click: None", "click: A", "click: None", "click: A", "click: B",
                    "click: None", "click: B", "click: None"]


def _picker_script() -> None:
    import streamlit as st

    from stadtraum.ui.maps.area_picker import pick_area_on_map

    ring = [[7.2, 51.45], [7.21, 51.45], [7.21, 51.46], [7.2, 51.46], [7.2, 51.45]]
    geometry = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "Q1", "name": "<b>Quartier</b>"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    st.text(f"chosen: {pick_area_on_map(geometry, st.session_state.get('cur'), key='pick')}")


def test_picker_renders_and_keeps_the_current_choice() -> None:
    at = AppTest.from_function(_picker_script)
    at.run()
    assert not at.exception
    assert at.text[0].value == "chosen: None"
    assert "antippen" in at.caption[0].value
    at.session_state["cur"] = "Q1"
    at.run()
    assert not at.exception
    assert at.text[0].value == "chosen: Q1"
