"""Helpers to look into and tap a streamlit-folium map in the real browser."""

from __future__ import annotations

from typing import Any

FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def map_frame(page: Any) -> Any:
    """The streamlit-folium frame once Leaflet has drawn the areas."""
    page.wait_for_selector(FRAME, timeout=120_000)
    handle = page.query_selector(FRAME)
    frame = handle.content_frame()
    frame.wait_for_function("() => window.map && document.querySelectorAll("
                            "'path.leaflet-interactive').length > 0", timeout=60_000)
    return frame


def polygons(frame: Any) -> list[dict[str, str]]:
    """Every drawn, clickable area: its code and fill colour."""
    return frame.evaluate("""() => Object.values(window.map._layers)
        .filter(l => l.feature && l._path && l.options.interactive !== false)
        .map(l => ({code: l.feature.properties.code, fill: l._path.getAttribute('fill')}))""")  # type: ignore[no-any-return]


def screen_point(page: Any, frame: Any, latlng: tuple[float, float]) -> tuple[float, float]:
    """Page coordinates of a (lat, lng) on the map, for ``page.mouse``."""
    box = page.query_selector(FRAME).bounding_box()
    x, y = frame.evaluate("""([lat, lng]) => {
        const p = window.map.latLngToContainerPoint([lat, lng]);
        const r = window.map.getContainer().getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }""", list(latlng))
    return box["x"] + x, box["y"] + y


def tap(page: Any, frame: Any, latlng: tuple[float, float]) -> None:
    """Centre the map on ``latlng`` (so it is on screen at any size) and click it there."""
    page.query_selector(FRAME).scroll_into_view_if_needed()
    frame.evaluate("([lat, lng]) => window.map.panTo([lat, lng], {animate: false})",
                   list(latlng))
    page.wait_for_timeout(300)
    page.mouse.click(*screen_point(page, frame, latlng))
