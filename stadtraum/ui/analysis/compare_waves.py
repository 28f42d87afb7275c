"""One area across two survey waves (before/after radar, change per criterion with the
significance hint) and the change map between the waves (diverging scale, suppressed areas
hatched). Figures from :func:`stadtraum.analysis.waves.compare_waves`."""

from __future__ import annotations

import streamlit as st

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.view_filter import FilterOptions
from stadtraum.analysis.wave_view import area_change, change_labels, wave_series
from stadtraum.analysis.waves import WaveComparison, compare_waves
from stadtraum.maps.area_values import change_values
from stadtraum.maps.choropleth import choropleth_geojson, choropleth_map
from stadtraum.maps.colours import CHANGE_SCALE
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.maps.legend import legend_for
from stadtraum.ui.analysis.profile_charts import file_stem, show_radar, show_table, tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.maps.map_view import clicked_area, show_legend, show_map
from stadtraum.ui.state import cube_provider, engine, settings

__all__ = ["Waves", "choose_waves", "show_change_map", "show_wave_area"]

WAVE_AREA_KEY = "compare_wave_area"
MAP_KEY = "compare_change_map"


class Waves:
    """The two chosen campaigns, their names and the comparison."""

    def __init__(self, opts: FilterOptions, a: int, b: int, flt: CubeFilter) -> None:
        self.name_a, self.name_b = opts.campaign(a).name, opts.campaign(b).name
        self.level_b = opts.campaign(b).level_id
        self.cmp: WaveComparison = compare_waves(engine(), cube_provider(), a, b, base=flt,
                                                 lang=lang())


def choose_waves(opts: FilterOptions, flt: CubeFilter) -> Waves | None:
    """Earlier and later wave (defaults: the campaign before the filter's first one, and
    that one); None with a note when there are fewer than two campaigns."""
    ids = [c.id for c in opts.campaigns]
    if len(ids) < 2:
        st.info(tr("Für den Vergleich zweier Wellen braucht es zwei Befragungen.",
                   "Comparing two waves needs two surveys."))
        return None
    names = {c.id: c.name for c in opts.campaigns}
    later = flt.campaign_ids[0] if flt.campaign_ids[0] in ids else ids[-1]
    earlier = ids[max(ids.index(later) - 1, 0)] if ids.index(later) else ids[1]
    left, right = st.columns(2)
    with left:
        a = st.selectbox(tr("Frühere Befragung", "Earlier survey"), ids, key="compare_wave_a",
                         index=ids.index(earlier), format_func=names.__getitem__)
    with right:
        b = st.selectbox(tr("Spätere Befragung", "Later survey"), ids, key="compare_wave_b",
                         index=ids.index(later), format_func=names.__getitem__)
    if a == b:
        st.warning(tr("Bitte zwei verschiedene Befragungen wählen.",
                      "Please choose two different surveys."))
        return None
    st.caption(tr("Erhebungsarten und Personenmerkmale des Filters gelten für beide Wellen; "
                  "der Zeitraum nicht (die Wellen liegen in verschiedenen Zeiträumen). Gebiete "
                  "werden über ihren Schlüssel, sonst über die größte Überlappung zugeordnet.",
                  "The filter's modes and personal characteristics apply to both waves; its "
                  "period does not (the waves lie in different periods). Areas are matched by "
                  "code, else by the largest overlap."))
    return Waves(opts, int(a), int(b), flt)


def _area(waves: Waves, preferred: str | None) -> str:
    frame = waves.cmp.frame.drop_duplicates("area_code")
    options = dict(zip(frame["area_code"].astype(str), frame["area_name"].astype(str),
                       strict=True))
    if (code := clicked_area(MAP_KEY)) in options:  # a tap on the change map
        st.session_state[WAVE_AREA_KEY] = code
    if st.session_state.get(WAVE_AREA_KEY) not in options:
        st.session_state[WAVE_AREA_KEY] = preferred if preferred in options else next(
            iter(options))
    return str(st.selectbox(tr("Gebiet (tippen zum Suchen)", "Area (type to search)"),
                            list(options), key=WAVE_AREA_KEY, format_func=options.__getitem__))


def show_wave_area(waves: Waves, preferred: str | None, *, radar: bool = True,
                   table: bool = True) -> None:
    code = _area(waves, preferred)
    change = area_change(waves.cmp, code)
    name = str(waves.cmp.frame.loc[waves.cmp.frame["area_code"].astype(str) == code,
                                   "area_name"].iloc[0])
    if radar:
        show_radar([str(c) for c in change["criterion"]],
                   wave_series(change, waves.name_a, waves.name_b),
                   title=tr(f"{name}: vorher und nachher", f"{name}: before and after"),
                   file_name=file_stem("stadtraum_wellen", name, waves.name_a, waves.name_b),
                   key="compare_wave_radar")
    if table:
        show_table(change.round({"mean_a": 2, "mean_b": 2, "diff": 2}),
                   change_labels(lang(), waves.name_a, waves.name_b),
                   file_name=f"stadtraum_wellen_{name}", key="compare_wave_table")
        st.caption(tr("Veränderung: positiv = besser bewertet. Einschätzung: Rangtest "
                      "(Mann-Whitney), 5 % Irrtumswahrscheinlichkeit je Zelle; leere Zellen: zu "
                      f"wenige Antworten (n < {waves.cmp.min_n}) in einer der Befragungen.",
                      "Change: positive = rated better. Assessment: rank test (Mann-Whitney), "
                      "5 % error level per cell; empty cells: too few responses "
                      f"(n < {waves.cmp.min_n}) in one of the surveys."))


def show_change_map(waves: Waves) -> None:
    labels = dict(zip(waves.cmp.frame["criterion_id"], waves.cmp.frame["criterion"],
                      strict=False))
    crit = st.selectbox(tr("Kriterium der Veränderungskarte", "Criterion of the change map"),
                        list(labels), key="compare_map_criterion", format_func=labels.__getitem__)
    features = choropleth_geojson(
        level_geojson(engine(), waves.level_b), change_values(waves.cmp, str(crit)),
        scale=CHANGE_SCALE, min_n=waves.cmp.min_n, lang=lang(),
        what=tr("Veränderung", "change"))
    show_map(choropleth_map(features, basemap_key=settings().basemap), key=MAP_KEY, height=460)
    show_legend(legend_for(CHANGE_SCALE, waves.cmp.min_n, lang(),
                           title=tr(f"Veränderung {labels[crit]}: {waves.name_b} gegenüber "
                                    f"{waves.name_a}", f"Change in {labels[crit]}: "
                                    f"{waves.name_b} against {waves.name_a}")))
    st.caption(tr("Ein Tipp auf ein Gebiet wählt es oben für vorher/nachher.",
                  "Tap an area to choose it above for before/after."))
