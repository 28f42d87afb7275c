"""Gebiete: import district boundaries (GeoJSON, GeoPackage, zipped Shapefile) as a version
of a boundary set after a preview with names, chosen fields, the coordinate system and the
cleaning report; the boundary sets with their levels; the street directory (admins)."""

from __future__ import annotations

import streamlit as st

from stadtraum.admin.boundaries import list_boundary_sets
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin import boundaries_lists, boundaries_view
from stadtraum.ui.admin.boundaries_target import tr
from stadtraum.ui.session import require_page
from stadtraum.ui.state import engine

user = require_page("gebiete")
st.title(tr("Gebiete", "Areas"), anchor=False)
try:
    levels = list_boundary_sets(engine(), actor=user.actor)
except StadtraumError as exc:
    st.error(tr(exc.message_de, exc.message_en))
    st.stop()

st.header(tr("Gebietsgrenzen importieren", "Import boundaries"), anchor=False)
st.caption(tr("Die Datei wird erst geprüft und auf der Karte gezeigt; gespeichert wird erst "
              "mit „Gebiete importieren“. Jeder Import legt eine neue Ebene oder eine neue "
              "Version an, bestehende Befragungen behalten ihre Grenzen.",
              "The file is checked and shown on the map first; nothing is stored before "
              "“Import areas”. Each import adds a level or a new version; existing surveys "
              "keep their boundaries."))
boundaries_view.import_section(user.actor, levels)

st.header(tr("Vorhandene Grenzstände", "Boundary sets"), anchor=False)
boundaries_lists.sets_table(levels)

st.header(tr("Straßenverzeichnis", "Street directory"), anchor=False)
boundaries_lists.streets_section(user.actor, levels)
