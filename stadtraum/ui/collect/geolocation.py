"""“Mein Standort”: the browser's geolocation as a small Streamlit component (v2, inline JS).

Browsers give a position only in a secure context (HTTPS or localhost), so the button is
offered only there (:func:`secure_context`); the script checks again and reports why it
cannot work. The position is used to suggest the area and is never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

_HTML = """<button type="button" class="geo">📍 Meinen Standort bestimmen</button>
<p class="geo-note" aria-live="polite"></p>"""
_CSS = """
.geo { min-height: 48px; min-width: 48px; font-size: 1.1rem; padding: 0 1rem;
       border: 1px solid #555; border-radius: 0.5rem; background: #fff; color: #111;
       cursor: pointer; }
.geo:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.geo[disabled] { opacity: 0.6; cursor: default; }
.geo-note { margin: 0.4rem 0 0; font-size: 1rem; color: #222; }
"""
_JS = """
export default function(component) {
  const { parentElement, setTriggerValue, data } = component;
  const words = Object.assign({button: '📍 Meinen Standort bestimmen',
                               https: 'Standort ist nur über HTTPS verfügbar.',
                               busy: 'Standort wird bestimmt …'}, data || {});
  const button = parentElement.querySelector('button.geo');
  const note = parentElement.querySelector('p.geo-note');
  button.textContent = words.button;
  if (!window.isSecureContext || !('geolocation' in navigator)) {
    button.disabled = true;
    note.textContent = words.https;
    return;
  }
  button.onclick = () => {
    button.disabled = true;
    note.textContent = words.busy;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        button.disabled = false;
        note.textContent = '';
        setTriggerValue('position', {lat: pos.coords.latitude, lon: pos.coords.longitude,
                                     accuracy: pos.coords.accuracy, at: Date.now()});
      },
      (err) => {
        button.disabled = false;
        note.textContent = '';
        setTriggerValue('position', {error: err.code, at: Date.now()});
      },
      {enableHighAccuracy: true, timeout: 15000, maximumAge: 30000});
  };
}
"""
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_ERRORS = {1: "Der Zugriff auf den Standort wurde abgelehnt (Einstellungen des Browsers).",
           2: "Der Standort konnte nicht bestimmt werden.",
           3: "Die Standortbestimmung hat zu lange gedauert – bitte erneut versuchen."}

_component = st.components.v2.component("stadtraum_geolocation", html=_HTML, css=_CSS, js=_JS)


def secure_context(url: str | None) -> bool:
    """True for HTTPS and for localhost (where browsers allow geolocation)."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.hostname or "") in _LOCAL_HOSTS


def position_button(key: str, words: Mapping[str, str] | None = None,
                    errors: Mapping[int, str] | None = None) -> tuple[float, float, float] | None:
    """Show the button; return (lon, lat, accuracy in m) once the browser reported one.
    ``words`` (``button``, ``https``, ``busy``) and ``errors`` (by the browser's error code)
    replace the German texts, e.g. for the citizens' form in plain German or English."""
    result: Any = _component(key=key, on_position_change=lambda: None,
                             data=dict(words) if words else None)
    value = getattr(result, "position", None)
    if not isinstance(value, dict):
        return None
    if "error" in value:
        said = {**_ERRORS, **(errors or {})}
        st.warning(said.get(int(value["error"]), said[2]))
        return None
    try:
        return float(value["lon"]), float(value["lat"]), float(value.get("accuracy") or 0.0)
    except (KeyError, TypeError, ValueError):
        return None
