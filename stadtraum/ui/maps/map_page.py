"""Widgets of the map page: level/metric/criterion controls, the map with its legend, the
click that opens an area's profile, the table and the downloads."""

from __future__ import annotations

import re

import streamlit as st

from stadtraum.analysis.view_filter import CampaignOption
from stadtraum.config import project_root
from stadtraum.errors import StadtraumError, ValidationError
from stadtraum.exports.spreadsheet import safe_frame
from stadtraum.maps.choropleth import choropleth_map
from stadtraum.maps.legend import Legend, legend_for
from stadtraum.maps.page_data import MapData, criterion_options, earlier_waves, level_ids, map_data
from stadtraum.maps.picker import selection_layer
from stadtraum.maps.static_svg import static_svg
from stadtraum.maps.view_model import METRICS
from stadtraum.publish.published_map import published_map_data, published_note
from stadtraum.ui.analysis.filters import (
    ViewSelection,
    keep_widget_state,
    options,
    purged_campaign,
    results_notes,
)
from stadtraum.ui.i18n import lang
from stadtraum.ui.maps.map_view import clicked_area, show_legend, show_map
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import cube_provider, engine, settings

__all__ = ["MAP_KEY", "PROFILE_KEY", "PROFILE_PAGE", "map_controls", "map_notes",
           "map_section", "open_profile_on_click", "table_and_downloads"]

MAP_KEY = "explorer_map"
PROFILE_KEY = "profile_area"  # the area code the profile page opens
PROFILE_PAGE = "pages/profile.py"
INDEX = "gesamtindex"  # criterion choice: the overall index
_ROOT = project_root()


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def _slug(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "karte"


def map_controls(sel: ViewSelection) -> MapData:
    """Level, metric, criterion (and the earlier wave for a change map) -> the map's data."""
    ids = level_ids(engine(), sel.level_id)
    names = [n for n in sel.level_names if n in ids]
    opts = options()
    # the overall index as a string: a selectbox shows the value None as "nothing chosen"
    choices = {(c or INDEX): label for c, label in criterion_options(
        engine(), opts.campaign(sel.flt.campaign_ids[0]).catalogue_id, lang()).items()}
    keep_widget_state("map_level", names[0], lambda v: v in names)
    keep_widget_state("map_metric", "mean", lambda v: v in METRICS)
    keep_widget_state("map_criterion", INDEX, lambda v: v in choices)
    purged = purged_campaign(sel)
    if purged is not None:
        return _published_controls(purged, names, ids, choices)
    cols = st.columns(3)
    level_name = cols[0].selectbox(_tr("Gebietsebene", "Area level"), names, key="map_level")
    metric = cols[1].selectbox(_tr("Kennzahl", "Measure"), list(METRICS), key="map_metric",
                               format_func=lambda m: METRICS[m][1 if lang() == "en" else 0])
    crit = cols[2].selectbox(_tr("Kriterium", "Criterion"), list(choices), key="map_criterion",
                             format_func=choices.__getitem__)
    earlier = None
    if metric == "change":
        waves = earlier_waves(opts, sel.flt.campaign_ids)
        if not waves:
            st.warning(_tr("Keine frühere Welle mit demselben Katalog und derselben "
                           "Gebietsebene.", "No earlier wave with the same catalogue and level."))
            st.stop()
        wave_names = {c.id: c.name for c in opts.campaigns}
        keep_widget_state("map_earlier", waves[0], lambda v: v in waves)
        earlier = st.selectbox(_tr("Frühere Welle (Vergleich)", "Earlier wave (comparison)"),
                               waves, key="map_earlier", format_func=wave_names.__getitem__)
    try:
        return map_data(engine(), cube_provider(), sel.flt, level_name=level_name,
                        level_id=ids[level_name], metric=metric,
                        criterion_id=None if crit == INDEX else crit,
                        earlier_campaign=earlier, lang=lang())
    except ValidationError as err:
        st.error(md_literal(err.message_en if lang() == "en" else err.message_de))
        st.stop()


def _published_controls(campaign: CampaignOption, names: list[str], ids: dict[str, int],
                        choices: dict[str, str]) -> MapData:
    """A purged campaign: level and criterion only; the published means."""
    cols = st.columns(2)
    level_name = cols[0].selectbox(_tr("Gebietsebene", "Area level"), names, key="map_level")
    crit = cols[1].selectbox(_tr("Kriterium", "Criterion"), list(choices), key="map_criterion",
                             format_func=choices.__getitem__)
    try:
        data = published_map_data(engine(), campaign.id, level_name=level_name,
                                  level_id=ids[level_name],
                                  criterion_id=None if crit == INDEX else crit, lang=lang())
    except StadtraumError as err:
        st.error(md_literal(err.message_en if lang() == "en" else err.message_de))
        st.stop()
    st.info(published_note(campaign.purged_at, data.published_at, lang()))
    return data


def map_notes(data: MapData, description: str) -> None:
    """Under the map: the filter in words and what is hidden (live figures only)."""
    if data.results is not None:
        results_notes(data.results, description)


def _legend(data: MapData) -> Legend:
    return legend_for(data.layer.scale, data.layer.min_n, lang(), title=data.layer.title)


def open_profile_on_click() -> None:
    """A click on an area (also the same one again) opens its profile."""
    if MAP_KEY not in st.session_state:  # a new map instance counts clicks from 0 again
        st.session_state.pop(f"{MAP_KEY}__clicks_seen", None)
    code = clicked_area(MAP_KEY)
    if code is None:
        return
    st.session_state[PROFILE_KEY] = code
    if (_ROOT / PROFILE_PAGE).exists():
        st.switch_page(PROFILE_PAGE)
    st.info(_tr("Das Gebietsprofil ist noch nicht verfügbar.", "The area profile is not "
                "available yet."))


def map_section(data: MapData, *, height: int = 520) -> None:
    """The choropleth (selected area outlined) and its legend beside it."""
    st.subheader(data.layer.title)
    m = choropleth_map(data.features, basemap_key=settings().basemap)
    main, side = st.columns([4, 1])
    with main:
        show_map(m, key=MAP_KEY, height=height,
                 highlight=selection_layer(data.features, st.session_state.get(PROFILE_KEY)))
    with side:
        show_legend(_legend(data))
    st.caption(_tr("Klick auf ein Gebiet öffnet sein Gebietsprofil.",
                   "Click an area to open its profile."))


def table_and_downloads(data: MapData, description: str) -> None:
    """The table under the map (suppressed), CSV (formula-safe) and the map as SVG."""
    st.dataframe(data.table, hide_index=True, width="stretch")
    name = "karte_" + _slug(data.layer.title)
    left, right = st.columns(2)
    left.download_button(_tr("Tabelle als CSV herunterladen", "Download table as CSV"),
                         safe_frame(data.table).to_csv(index=False).encode("utf-8"),
                         file_name=f"{name}.csv", mime="text/csv", key="map_csv")
    svg = static_svg(data.features, _legend(data), title=data.layer.title, subtitle=description,
                     note=_tr("Quelle: StadtRaumMonitor. Nicht automatisch repräsentativ.",
                              "Source: StadtRaumMonitor. Not automatically representative."))
    right.download_button(_tr("Karte als Bild (SVG) herunterladen", "Download map as image (SVG)"),
                          svg.encode("utf-8"), file_name=f"{name}.svg", mime="image/svg+xml",
                          key="map_svg")
