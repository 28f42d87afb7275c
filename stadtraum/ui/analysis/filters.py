"""The shared filter of the planners' views (sidebar widgets) and the notes under a view.

All views use the same state keys (``f"{key}_…"``), so a filter chosen on the map still
holds on the area profile and the comparison. A widget on another page is a new widget for
Streamlit (it would start from its default), and a page without the widget drops its value,
so every value is set explicitly before the widget is drawn and also kept under a plain key
(``f"{key}__saved"``); see :func:`keep_widget_state`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import streamlit as st

from stadtraum.analysis.results import Results
from stadtraum.analysis.view_filter import (
    FilterOptions,
    ViewSelection,
    build_filter,
    campaign_spans,
    filter_options,
    selection,
)
from stadtraum.errors import ValidationError
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import cube_provider, engine, settings
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS, SURVEY_MODES, Vocabulary

__all__ = ["ViewSelection", "keep_widget_state", "options", "results_notes", "view_filter"]


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


@st.cache_data(show_spinner=False, max_entries=4)
def _spans(url: str, change_seq: int) -> dict[int, tuple[int, dt.date, dt.date]]:
    return campaign_spans(cube_provider().get())


def options() -> FilterOptions:
    """The campaigns to choose from (per-campaign figures cached per change of the data)."""
    cube = cube_provider().get()
    return filter_options(engine(), _spans(settings().database_url, cube.change_seq))


def keep_widget_state(key: str, default: Any,
                      valid: Callable[[Any], bool] = lambda v: True) -> None:
    """Before widget ``key`` is drawn: set its value explicitly (the current value, else the
    saved one, else ``default``). A value set through ``st.session_state`` is taken over by
    the widget of another page with the same key; without this the widget would start again
    from its default after a page change."""
    if key in st.session_state and valid(st.session_state[key]):
        value = st.session_state[key]
    else:
        saved = st.session_state.get(f"{key}__saved", default)
        value = saved if valid(saved) else default
    st.session_state[key] = value


def _save(key: str) -> Any:
    st.session_state[f"{key}__saved"] = st.session_state[key]
    return st.session_state[key]


def _multi(key: str, label: str, vocab: Vocabulary, default: Sequence[str]) -> list[str]:
    keep_widget_state(key, list(default),
                      lambda v: isinstance(v, list) and set(v) <= set(vocab.codes))
    st.sidebar.multiselect(label, list(vocab.codes), key=key,
                           format_func=lambda c: vocab.label(c, lang()))
    return list(_save(key))


def _campaigns(opts: FilterOptions, key: str, multi: bool) -> list[int]:
    ids = [c.id for c in opts.campaigns]
    names = {c.id: c.name for c in opts.campaigns}
    label = _tr("Befragung", "Survey")
    shared = f"{key}_campaigns"
    keep_widget_state(shared, ids[-1:], lambda v: isinstance(v, list) and set(v) <= set(ids))
    if multi:
        st.sidebar.multiselect(_tr("Befragungen (Wellen zusammenfassen)",
                                   "Surveys (combine waves)"), ids, key=shared,
                               format_func=names.__getitem__)
        return list(_save(shared))
    single = f"{key}_campaign"
    keep_widget_state(single, (st.session_state[shared] or ids[-1:])[0], lambda v: v in ids)
    st.sidebar.selectbox(label, ids, key=single, format_func=names.__getitem__)
    chosen = [int(st.session_state[single])]
    if chosen != st.session_state[shared][:1]:  # the multi-campaign views follow
        st.session_state[shared] = st.session_state[f"{shared}__saved"] = chosen
    return chosen


def _period(opts: FilterOptions, key: str,
            campaign_ids: list[int]) -> tuple[dt.date, dt.date] | None:
    bounds = opts.period_bounds([c for c in campaign_ids if c in {o.id for o in opts.campaigns}])
    on_key, range_key = f"{key}_period_on", f"{key}_period"
    keep_widget_state(on_key, False, lambda v: isinstance(v, bool))
    st.sidebar.checkbox(_tr("Zeitraum einschränken", "Restrict the period"), key=on_key)
    if not _save(on_key) or bounds is None:
        return None
    lo, hi = bounds

    def inside(v: Any) -> bool:
        return (isinstance(v, tuple | list) and len(v) == 2
                and all(isinstance(d, dt.date) and lo <= d <= hi for d in v))

    keep_widget_state(range_key, (lo, hi), inside)
    st.sidebar.date_input(_tr("Zeitraum (von – bis)", "Period (from – to)"), key=range_key,
                          min_value=lo, max_value=hi, format="DD.MM.YYYY")
    value = st.session_state[range_key]
    if not (isinstance(value, tuple | list) and len(value) == 2):
        return None  # the second date is still being picked
    _save(range_key)
    return value[0], value[1]


def view_filter(*, key: str = "flt", multi_campaign: bool = True) -> ViewSelection:
    """Render the filter in the sidebar (campaign(s), period, mode incl. "Fokusgruppe", age
    band, gender, relation) and return the validated selection; a bad combination shows a
    German error and stops the page."""
    opts = options()
    if not opts.campaigns:
        st.info(_tr("Noch keine Befragung angelegt.", "No survey yet."))
        st.stop()
    st.sidebar.subheader(_tr("Filter", "Filter"))
    campaign_ids = _campaigns(opts, key, multi_campaign)
    period = _period(opts, key, campaign_ids)
    modes = _multi(f"{key}_modes", _tr("Erhebungsart (Fokusgruppe nur, wenn gewählt)",
                                       "Mode (focus groups only when chosen)"),
                   MODES, SURVEY_MODES)
    ages = _multi(f"{key}_ages", _tr("Altersgruppe (leer = alle)", "Age band (empty = all)"),
                  AGE_BANDS, ())
    genders = _multi(f"{key}_genders", _tr("Geschlecht (leer = alle)", "Gender (empty = all)"),
                     GENDERS, ())
    relations = _multi(f"{key}_relations", _tr("Bezug zum Ort (leer = alle)",
                                               "Relation to the place (empty = all)"),
                       RELATIONS, ())
    try:
        flt = build_filter(opts, campaign_ids, period=period, modes=modes, age_bands=ages,
                           genders=genders, relations=relations)
    except ValidationError as err:
        st.error(md_literal(err.message_de if lang() != "en" else err.message_en))
        st.stop()
    return selection(opts, flt, lang())


def results_notes(results: Results, description: str) -> None:
    """Under a view: the filter in words, n of the city, what is suppressed, and that the
    results are not automatically representative."""
    city = results.levels[-1]
    n_city = int(city.respondents[0])
    hidden = int(sum(int(np.count_nonzero(lv.suppressed)) for lv in results.levels))
    shown_n = f"< {results.min_n}" if city.respondents_suppressed[0] else str(n_city)
    if lang() == "en":
        text = (f"{description}. Respondents in the whole city under this filter: {shown_n}. "
                f"Cells with fewer than {results.min_n} responses are hidden (confidentiality; "
                f"also where a hidden value could be worked out): {hidden} hidden cells. "
                "Results are not automatically representative: they show how the respondents "
                "rate their surroundings.")
    else:
        text = (f"{description}. Befragte in der Gesamtstadt mit diesem Filter: {shown_n}. "
                f"Zellen mit weniger als {results.min_n} Antworten werden nicht gezeigt "
                "(Geheimhaltung; auch dort, wo sich ein verborgener Wert sonst errechnen "
                f"ließe): {hidden} verborgene Zellen. Die Ergebnisse sind nicht automatisch "
                "repräsentativ: sie zeigen, wie die Befragten ihr Umfeld bewerten.")
    st.caption(md_literal(text))  # campaign names are admin text: literal, never markdown
