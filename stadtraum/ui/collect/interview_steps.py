"""Widgets for each step of the street interview (touch-friendly, German first)."""

from __future__ import annotations

import streamlit as st

from stadtraum.collect.interview import (
    ABOUT,
    AREA,
    CONSENT,
    NO_ANSWER,
    PRIORITIES,
    REVIEW,
    Interview,
)
from stadtraum.collect.setup import CampaignChoice
from stadtraum.criteria import Catalogue, Criterion
from stadtraum.geo.area_index import area_code_at
from stadtraum.geo.streets import directory_version
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.ui.collect.geolocation import position_button, secure_context
from stadtraum.ui.collect.interview_flow import show_response_number
from stadtraum.ui.collect.street_search import street_area
from stadtraum.ui.maps.area_picker import pick_area_on_map
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine
from stadtraum.vocab import AGE_BANDS, GENDERS, MAX_PRIORITIES, RELATIONS

CONSENT_TEXT = (
    "„Wir befragen Menschen hier im Quartier, wie sie ihr Umfeld erleben. Die Befragung dauert "
    "etwa fünf Minuten und ist freiwillig. Wir speichern keine Namen, keine Kontaktdaten und "
    "keine Standortdaten Ihres Geräts. Sie können jede Frage auslassen und jederzeit "
    "abbrechen. Die Ergebnisse werden nur zusammengefasst veröffentlicht.“")
SCALE = [1, 2, 3, 4, 5, 6, 7, NO_ANSWER]


def _scale_label(value: int) -> str:
    return "keine Angabe" if value == NO_ANSWER else str(value)


AREA_WAYS = {"name": "Name", "street": "Straße", "map": "Karte", "here": "Mein Standort"}


def _area_by_street(iv: Interview, choice: CampaignChoice) -> None:
    level_id = choice.info.level_id
    if directory_version(engine(), level_id)[0] == 0:
        st.info("Für diese Gebietsebene ist kein Straßenverzeichnis importiert.")
        return
    code = street_area(level_id, f"street_{iv.response_id}", choice.areas)
    if code is not None:
        iv.area_code = code


def _area_here(iv: Interview, choice: CampaignChoice) -> None:
    found = position_button(key=f"geo_{iv.response_id}")
    slot = f"geo_found_{iv.response_id}"
    if found is not None:
        lon, lat, accuracy = found
        st.session_state[slot] = (area_code_at(engine(), choice.info.level_id, lon, lat),
                                  accuracy)
    if slot not in st.session_state:
        st.caption("Die Position wird nur zum Vorschlagen des Gebiets genutzt und nicht "
                   "gespeichert.")
        return
    code, accuracy = st.session_state[slot]
    if code is None or code not in choice.areas:
        st.warning("Der Standort liegt in keinem Gebiet dieser Befragung.")
        return
    st.text(f"Ihr Standort liegt in: {choice.areas[code]} (Genauigkeit ± {accuracy:.0f} m)")
    if st.button("Dieses Gebiet übernehmen", key=f"geo_take_{iv.response_id}", type="primary"):
        iv.area_code = code


def area_step(iv: Interview, choice: CampaignChoice) -> None:
    st.subheader("Welches Gebiet wird bewertet?", anchor=False)
    ways = [w for w in AREA_WAYS if w != "here" or secure_context(st.context.url)]
    how = st.segmented_control("Gebiet finden über", ways, default="name",
                               format_func=AREA_WAYS.__getitem__, key=f"area_how_{iv.response_id}")
    if how == "street":
        _area_by_street(iv, choice)
    elif how == "map":
        picked = pick_area_on_map(level_geojson(engine(), choice.info.level_id),
                                  iv.area_code, key=f"map_{iv.response_id}")
        if picked in choice.areas:
            iv.area_code = picked
    elif how == "here":
        _area_here(iv, choice)
    else:
        # a new widget (e.g. after choosing on the map) starts at the area chosen so far
        codes = list(choice.areas)
        iv.area_code = st.selectbox(
            "Gebiet (zum Suchen tippen)", codes,
            index=codes.index(iv.area_code) if iv.area_code in codes else None,
            format_func=choice.areas.__getitem__, placeholder="Gebiet wählen …",
            key=f"area_{iv.response_id}")
    if how != "name":
        chosen = choice.areas.get(iv.area_code or "")
        st.text(f"Gewähltes Gebiet: {chosen}" if chosen else "Noch kein Gebiet gewählt.")


def consent_step(iv: Interview) -> None:
    st.subheader("Einwilligung", anchor=False)
    st.markdown("Bitte vorlesen:")
    st.info(CONSENT_TEXT)
    iv.consent = st.checkbox("Die befragte Person ist einverstanden.", value=iv.consent,
                             key=f"consent_{iv.response_id}")


def criterion_step(iv: Interview, crit: Criterion, number: int, total: int) -> None:
    # catalogue texts may come from a catalogue an admin uploaded: literal, never markdown
    st.caption(f"Thema {number} von {total} · {md_literal(crit.cluster_de)}")
    st.subheader(md_literal(crit.label_de), anchor=False)
    st.markdown(f"**{md_literal(crit.question_de)}**")
    st.markdown("\n".join(f"- {md_literal(p)}" for p in crit.prompts_de))
    current = iv.ratings.get(crit.id)
    st.markdown("1 = großer Verbesserungsbedarf · 7 = kaum Verbesserungsbedarf")
    # styled as one row of 1–7 (ui/style.py); the key as unique as the control's own
    key = f"rate_{iv.response_id}_{crit.id}"

    def rated() -> None:
        """The tap itself stores the rating, before any script run: a run cut short by the
        next tap ("Weiter") can no longer drop it (seen once in the browser test)."""
        value = st.session_state.get(key)
        if value is None:
            iv.ratings.pop(crit.id, None)
        else:
            iv.ratings[crit.id] = int(value)

    with st.container(key=f"scale_iv_{iv.response_id}_{crit.id}"):
        st.segmented_control("Bewertung", SCALE, default=current, format_func=_scale_label,
                             key=key, on_change=rated)
    with st.expander("Kommentare (optional)"):
        for kind, label in (("good", "Was ist hier gut?"), ("better", "Was könnte besser werden?")):
            text = st.text_area(label, value=iv.comments.get(crit.id, {}).get(kind, ""),
                                max_chars=2000, key=f"c_{iv.response_id}_{crit.id}_{kind}")
            iv.comments.setdefault(crit.id, {})[kind] = text


def priorities_step(iv: Interview, catalogue: Catalogue) -> None:
    st.subheader("Was ist am wichtigsten?", anchor=False)
    labels = {c.id: c.label_de for c in catalogue.criteria}
    iv.priorities = st.multiselect(
        f"Bis zu {MAX_PRIORITIES} Themen, die zuerst verbessert werden sollten (optional)",
        list(labels), default=iv.priorities, format_func=labels.__getitem__,
        max_selections=MAX_PRIORITIES, key=f"prio_{iv.response_id}")


def about_step(iv: Interview) -> None:
    st.subheader("Angaben zur Person (freiwillig)", anchor=False)
    for attr, vocab, label in (("age_band", AGE_BANDS, "Alter"), ("gender", GENDERS, "Geschlecht"),
                               ("relation", RELATIONS, "Bezug zum Ort")):
        value = st.segmented_control(label, list(vocab.codes), default=getattr(iv, attr),
                                     format_func=vocab.label, key=f"{attr}_{iv.response_id}")
        setattr(iv, attr, value)


def review_step(iv: Interview, catalogue: Catalogue, choice: CampaignChoice) -> None:
    st.subheader("Prüfen und speichern", anchor=False)
    # area names are imported data and st.table renders markdown in its cells: literal
    st.markdown(f"**Gebiet:** {md_literal(choice.areas.get(iv.area_code or '', '–'))}")
    rows = [{"Thema": md_literal(c.label_de),
             "Bewertung": _scale_label(iv.ratings[c.id]) if c.id in iv.ratings else "–"}
            for c in catalogue.criteria]
    st.table(rows)
    st.caption(f"{sum(1 for v in iv.ratings.values() if v)} von {len(catalogue.criteria)} "
               "Themen bewertet.")
    labels = {c.id: c.label_de for c in catalogue.criteria}
    chosen = [md_literal(labels[p]) for p in iv.priorities if p in labels]
    st.markdown("**Prioritäten:** " + (", ".join(chosen) if chosen else "keine"))
    person = [f"{what}: {vocab.label(code)}" for what, vocab, code in (
        ("Alter", AGE_BANDS, iv.age_band), ("Geschlecht", GENDERS, iv.gender),
        ("Bezug zum Ort", RELATIONS, iv.relation)) if code is not None]
    st.markdown("**Angaben zur Person:** " + (md_literal(" · ".join(person)) if person
                                               else "keine"))
    notes = sum(1 for kinds in iv.comments.values() for text in kinds.values() if text.strip())
    st.markdown(f"**Kommentare:** {notes}")


def render_step(iv: Interview, choice: CampaignChoice) -> None:
    catalogue = choice.catalogue
    here = iv.current(catalogue)
    if iv.step == 0:  # the interview saved just before: its number for the person
        show_response_number()
    if here == AREA:
        area_step(iv, choice)
    elif here == CONSENT:
        consent_step(iv)
    elif here == PRIORITIES:
        priorities_step(iv, catalogue)
    elif here == ABOUT:
        about_step(iv)
    elif here == REVIEW:
        review_step(iv, catalogue, choice)
    else:
        number = catalogue.ids.index(here) + 1
        criterion_step(iv, catalogue.get(here), number, len(catalogue.ids))
