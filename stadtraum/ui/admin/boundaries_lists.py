"""The page "Gebiete" below the import: the boundary sets with their versions, levels and
counts, and the upload of a level's street directory with its report."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.boundaries import BoundaryLevelRow, StreetReport, import_streets
from stadtraum.config import CITY_TZ
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin.boundaries_target import tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["sets_table", "streets_section"]

STREETS_DONE = "geb_streets_done"
STREETS_UPLOADS = "geb_streets_uploads"


def _when(at: dt.datetime) -> str:
    if at.tzinfo is None:  # SQLite gives back naive UTC
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(CITY_TZ).strftime("%d.%m.%Y %H:%M")


def sets_table(levels: list[BoundaryLevelRow]) -> None:
    """Every level of every version, newest set first."""
    if not levels:
        st.info(tr("Noch keine Gebiete importiert.", "No areas imported yet."))
        return
    frame = pd.DataFrame({
        tr("Grenzstand", "Boundary set"): [r.set_name + (" (Demo)" if r.is_demo else "")
                                           for r in levels],
        tr("Version", "Version"): [r.version for r in levels],
        tr("Stand", "State"): [tr("aktuell", "current") if r.newest
                               else tr("ältere Version", "older version") for r in levels],
        tr("Angelegt", "Created"): [_when(r.created_at) for r in levels],
        tr("Ebene", "Level"): [r.level for r in levels],
        tr("Rang", "Rank"): [r.rank for r in levels],
        tr("Gebiete", "Areas"): [r.n_areas for r in levels],
        tr("Straßen", "Streets"): [r.n_streets for r in levels],
        tr("Befragungen", "Surveys"): [r.n_campaigns for r in levels],
        tr("Koordinatensystem", "Coordinate system"): [r.source_crs for r in levels],
        tr("Quelle", "Source"): [r.source for r in levels],
    })
    st.dataframe(frame, hide_index=True, width="stretch", key="geb_sets")


def _level_label(levels: list[BoundaryLevelRow]) -> dict[int, str]:
    return {r.level_id: f"{r.level} – {r.set_name} v{r.version}" for r in levels}


def _street_report(report: StreetReport) -> None:
    st.success(md_literal(report.headline(lang())))
    empty = [a for a in report.per_area if a[2] == 0]
    if empty:
        st.warning(md_literal(tr(
            f"{len(empty)} Gebiete ohne Straße: " + ", ".join(a[1] for a in empty[:10])
            + (" …" if len(empty) > 10 else ""),
            f"{len(empty)} areas without a street: " + ", ".join(a[1] for a in empty[:10])
            + (" …" if len(empty) > 10 else ""))))
    st.dataframe(pd.DataFrame({tr("Schlüssel", "Code"): [a[0] for a in report.per_area],
                               tr("Gebiet", "Area"): [a[1] for a in report.per_area],
                               tr("Straßen", "Streets"): [a[2] for a in report.per_area]}),
                 hide_index=True, width="stretch", key="geb_streets_report")


def streets_section(actor: Actor, levels: list[BoundaryLevelRow]) -> None:
    """Choose a level (current versions), upload its street directory, see the report."""
    current = [r for r in levels if r.newest]
    st.caption(tr("CSV-Datei mit den Spalten „strasse“ und „gebiet“ (Schlüssel des Gebiets "
                  "dieser Ebene), eine Zeile je Straße und Gebiet; Trennzeichen und "
                  "Zeichensatz werden erkannt. Der Import ersetzt das Verzeichnis der Ebene, "
                  "nur wenn jede Zeile stimmt. Nach einer neuen Version der Grenzen das "
                  "Verzeichnis neu importieren.",
                  "CSV file with the columns “strasse” and “gebiet” (the code of an area of "
                  "this level), one line per street and area; separator and encoding are "
                  "detected. The import replaces the level's directory, only if every line is "
                  "right. After a new boundary version, import the directory again."))
    done = st.session_state.get(STREETS_DONE)
    if isinstance(done, StreetReport):
        _street_report(done)
    if not current:
        st.info(tr("Zuerst Gebiete importieren.", "Import areas first."))
        return
    labels = _level_label(current)
    ids = list(labels)
    level_id = st.selectbox(tr("Ebene", "Level"), ids, index=len(ids) - 1 if ids else None,
                            format_func=labels.__getitem__, key="geb_streets_level")
    uploaded = st.file_uploader(tr("Straßenverzeichnis (CSV, höchstens 10 MB)",
                                   "Street directory (CSV, at most 10 MB)"),
                                type=["csv", "txt"], max_upload_size=10,
                                key=f"geb_streets_{st.session_state.get(STREETS_UPLOADS, 0)}")
    if uploaded is None or level_id is None:
        return
    st.session_state.pop(STREETS_DONE, None)
    if st.button(tr("Straßenverzeichnis importieren", "Import street directory"),
                 type="primary", key="geb_streets_import"):
        try:
            report = import_streets(engine(), uploaded.getvalue(), uploaded.name,
                                    level_id=int(level_id), actor=actor)
        except StadtraumError as exc:
            st.error(md_literal(exc.message_en if lang() == "en" else exc.message_de))
            return
        st.session_state[STREETS_DONE] = report
        st.session_state[STREETS_UPLOADS] = int(st.session_state.get(STREETS_UPLOADS, 0)) + 1
        st.rerun()
