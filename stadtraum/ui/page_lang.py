"""Declare the page language: Streamlit's page says ``<html lang="en">``; screen readers and
axe-core need the language actually shown ("de" unless the user switched to English)."""

from __future__ import annotations

import streamlit as st

_JS = """
export default function(component) {
  const { data } = component;
  const lang = (data && data.lang) || 'de';
  if (document.documentElement.lang !== lang) { document.documentElement.lang = lang; }
}
"""
_component = st.components.v2.component("stadtraum_page_lang", js=_JS)


def declare(lang: str) -> None:
    """Set ``<html lang>`` to ``lang`` ("de" or "en") on every run."""
    _component(key="page_lang", data={"lang": "en" if lang == "en" else "de"})
