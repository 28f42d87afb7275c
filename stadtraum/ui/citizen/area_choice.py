"""The citizens' form: finding one's area the ways a helper can, in plain words — by the
area's name, by one's street (the street directory), by tapping the offline map, or by
"Mein Standort" (only in a secure context; the position suggests the area and is never
stored or sent on: only the area the person accepts goes into the form)."""

from __future__ import annotations

import streamlit as st

from stadtraum.citizen.form import CitizenForm
from stadtraum.citizen.public_link import PublicCampaign
from stadtraum.citizen.texts import text
from stadtraum.geo.area_index import area_code_at
from stadtraum.geo.streets import directory_version
from stadtraum.maps.display_geojson import level_geojson
from stadtraum.ui.collect.geolocation import position_button, secure_context
from stadtraum.ui.collect.street_search import StreetWords, street_area
from stadtraum.ui.maps.area_picker import pick_area_on_map
from stadtraum.ui.state import engine

__all__ = ["choose_area"]

PHONE_MAP_HEIGHT = 380  # a 390×844 phone keeps the "Weiter" button in reach under the map


def _ways(campaign: PublicCampaign) -> list[str]:
    ways = ["name"]
    if directory_version(engine(), campaign.level_id)[0] > 0:
        ways.append("street")
    ways.append("map")
    if secure_context(st.context.url):
        ways.append("here")
    return ways


def _by_name(form: CitizenForm, campaign: PublicCampaign) -> None:
    codes = list(campaign.areas)
    form.area_code = st.selectbox(
        text("area_label", form.lang), codes,
        index=codes.index(form.area_code) if form.area_code in codes else None,
        format_func=campaign.areas.__getitem__, placeholder=text("area_placeholder", form.lang),
        key="pub_area")


def _by_street(form: CitizenForm, campaign: PublicCampaign) -> None:
    lang = form.lang
    words = StreetWords(text("street_label", lang), text("street_placeholder", lang),
                        text("street_pick", lang), text("street_nothing", lang),
                        text("street_more", lang))
    code = street_area(campaign.level_id, "pub_street", campaign.areas, words)
    if code is not None:
        form.area_code = code


def _by_map(form: CitizenForm, campaign: PublicCampaign) -> None:
    picked = pick_area_on_map(level_geojson(engine(), campaign.level_id), form.area_code,
                              key="pub_map", height=PHONE_MAP_HEIGHT,
                              captions=(text("map_hint", form.lang),
                                        text("map_hint", form.lang)))
    if picked in campaign.areas:
        form.area_code = picked


def _here(form: CitizenForm, campaign: PublicCampaign) -> None:
    lang = form.lang
    st.caption(text("here_note", lang))
    found = position_button(
        "pub_geo", {"button": text("here_button", lang), "busy": text("here_busy", lang),
                    "https": text("here_https", lang)},
        {1: text("here_denied", lang), 2: text("here_failed", lang),
         3: text("here_slow", lang)})
    if found is not None:  # only the area is kept, never the position
        lon, lat, _ = found
        st.session_state["pub_geo_area"] = area_code_at(engine(), campaign.level_id, lon, lat)
    if "pub_geo_area" not in st.session_state:
        return
    code = st.session_state["pub_geo_area"]
    if code is None or code not in campaign.areas:
        st.warning(text("here_outside", lang))
        return
    st.text(text("here_found", lang, area=campaign.areas[code]))
    if st.button(text("here_take", lang), type="primary", key="pub_geo_take"):
        form.area_code = code


def choose_area(form: CitizenForm, campaign: PublicCampaign) -> None:
    lang = form.lang
    st.subheader(text("area_heading", lang), anchor=False)
    ways = _ways(campaign)
    how = st.segmented_control(text("area_how", lang), ways, default="name",
                               format_func=lambda w: text(f"way_{w}", lang), key="pub_area_how")
    if how == "street":
        _by_street(form, campaign)
    elif how == "map":
        _by_map(form, campaign)
    elif how == "here":
        _here(form, campaign)
    else:
        _by_name(form, campaign)
    if how != "name" and how is not None:
        chosen = campaign.areas.get(form.area_code or "")
        st.text(text("area_chosen", lang, area=chosen) if chosen else text("area_none", lang))
