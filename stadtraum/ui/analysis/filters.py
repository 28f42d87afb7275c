"""The shared filter of the planners' views (sidebar widgets) and the notes under a view.

The filter follows the exact method of DESIGN §3.3 (:func:`stadtraum.analysis.view_filter.
build_filter`): one campaign (waves are not combined; the wave view compares them) and at
most one characteristic — month, mode, age band, gender or relation — with one
category. The widgets offer only such combinations: "Filtern nach" chooses the one
characteristic, one selectbox its category.

All views use the same state keys (``f"{key}_…"``), so a filter chosen on the map still
holds on the area profile and the comparison. A widget on another page is a new widget for
Streamlit (it would start from its default), and a page without the widget drops its value,
so every value is set explicitly before the widget is drawn and also kept under a plain key
(``f"{key}__saved"``); see :func:`keep_widget_state`. A saved value that no longer fits (a
month outside the newly chosen campaign) falls back to the widget's default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from stadtraum.analysis.results import Results
from stadtraum.analysis.view_filter import (
    CampaignOption,
    FilterOptions,
    ViewSelection,
    build_filter,
    campaign_spans,
    category_label,
    filter_options,
    month_label,
    selection,
)
from stadtraum.errors import ValidationError
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import cube_provider, engine, settings
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, NOT_GIVEN, RELATIONS, Vocabulary

__all__ = ["CHARACTERISTICS", "ViewSelection", "keep_widget_state", "options", "purged_campaign",
           "results_notes", "view_filter"]

# "Filtern nach": code -> (German, English); "all" = no characteristic
CHARACTERISTICS: dict[str, tuple[str, str]] = {
    "all": ("nichts (alle Befragten)", "nothing (all respondents)"),
    "month": ("Monat", "Month"),
    "mode": ("Erhebungsart", "Mode"),
    "age_band": ("Altersgruppe", "Age band"),
    "gender": ("Geschlecht", "Gender"),
    "relation": ("Bezug zum Ort", "Relation to the place"),
}
_VOCABS: dict[str, Vocabulary] = {"mode": MODES, "age_band": AGE_BANDS, "gender": GENDERS,
                                  "relation": RELATIONS}
# the modes one at a time, the survey modes first (their union is "nichts")
_MODE_CODES = ("street", "paper", "online", "focus_group")


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


@st.cache_data(show_spinner=False, max_entries=4)
def _spans(url: str, change_seq: int) -> dict[int, tuple[int, dt.date, dt.date]]:
    return campaign_spans(cube_provider().get())


def options() -> FilterOptions:
    """The campaigns to choose from (per-campaign figures cached per change of the data)."""
    cube = cube_provider().get()
    return filter_options(engine(), _spans(settings().database_url, cube.change_seq))


def purged_campaign(sel: ViewSelection) -> CampaignOption | None:
    """The one selected campaign if its raw data are gone (its views then show the published
    snapshot); a wave group that mixes it with live campaigns shows the live figures."""
    if len(sel.flt.campaign_ids) != 1:
        return None
    chosen = options().campaign(sel.flt.campaign_ids[0])
    return chosen if chosen.purged_at is not None else None


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


def _choice(key: str, label: str, choices: list[Any], format_func: Callable[[Any], str],
            *, default: Any = None, radio: bool = False) -> Any:
    """A selectbox (or radio) in the sidebar whose value is kept across pages; a kept value
    that is not among ``choices`` falls back to ``default`` (else the first choice)."""
    keep_widget_state(key, choices[0] if default is None else default,
                      lambda v: v in choices)
    if radio:
        st.sidebar.radio(label, choices, key=key, format_func=format_func)
    else:
        st.sidebar.selectbox(label, choices, key=key, format_func=format_func)
    return _save(key)


def _campaigns(opts: FilterOptions, key: str) -> list[int]:
    """One campaign (several together are not offered: the exact method's cost, see
    docs/statistik.md; the wave view compares them)."""
    ids = [c.id for c in opts.campaigns]
    names = {c.id: c.name for c in opts.campaigns}
    chosen = int(_choice(f"{key}_campaign", _tr("Befragung", "Survey"), ids,
                         names.__getitem__, default=ids[-1]))  # the newest
    return [chosen]


def _months(opts: FilterOptions, campaign_ids: list[int]) -> list[str]:
    """The calendar months of each campaign's survey span (a group's waves one after the
    other, without the months between them)."""
    return sorted({m for cid in campaign_ids for m in opts.months([cid])})


def view_filter(*, key: str = "flt", multi_campaign: bool = True) -> ViewSelection:
    """Render the filter in the sidebar (one campaign, then at most one characteristic with
    one category) and return the validated selection; should the engine still refuse it, a
    German error stops the page. ``multi_campaign`` no longer changes anything (waves are
    not combined) and is accepted for the views that still pass it."""
    opts = options()
    if not opts.campaigns:
        st.info(_tr("Noch keine Befragung angelegt.", "No survey yet."))
        st.stop()
    en = lang() == "en"
    st.sidebar.subheader(_tr("Filter", "Filter"))
    campaign_ids = _campaigns(opts, key)
    months = _months(opts, campaign_ids)
    offered = [c for c in CHARACTERISTICS if c != "month" or months]
    by = _choice(f"{key}_by", _tr("Filtern nach", "Filter by"), offered,
                 lambda c: CHARACTERISTICS[c][en], radio=True)
    chosen: dict[str, Any] = {}
    if by == "month":
        chosen["month"] = _choice(f"{key}_month", _tr("Monat", "Month"), months,
                                  lambda m: month_label(m, lang()))
    elif by == "mode":
        chosen["modes"] = [_choice(f"{key}_mode", _tr("Erhebungsart", "Mode"),
                                   list(_MODE_CODES), lambda c: MODES.label(c, lang()))]
    elif by in _VOCABS:
        vocab = _VOCABS[by]

        def label(code: str) -> str:
            text = category_label(vocab, code, lang())  # "ohne Angabe": the question skipped
            return f"{text} ({_tr('unbeantwortet', 'unanswered')})" if code == NOT_GIVEN else text

        code = _choice(f"{key}_{by}", CHARACTERISTICS[by][en], [*vocab.codes, NOT_GIVEN],
                       label)
        chosen[{"age_band": "age_bands", "gender": "genders",
                "relation": "relations"}[by]] = [code]
    st.sidebar.caption(md_literal(_tr(
        "Aus Gründen der Geheimhaltung lässt sich immer nur nach einem Merkmal filtern.",
        "For confidentiality, you can filter by only one characteristic at a time.")))
    try:
        flt = build_filter(opts, campaign_ids, **chosen)
    except ValidationError as err:
        st.error(md_literal(err.message_en if en else err.message_de))
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
