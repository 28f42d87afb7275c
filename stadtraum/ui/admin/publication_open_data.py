"""The open-data package on the page "Veröffentlichung": licence and contact point, then the
ZIP of the published snapshot (built when the button is pressed). German first."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.errors import StadtraumError
from stadtraum.publish.open_data import build_open_data
from stadtraum.publish.open_data_record import LICENCES, Publisher
from stadtraum.publish.service import publication_status
from stadtraum.ui.admin.campaign_texts import tr
from stadtraum.ui.admin.settings_cache import city
from stadtraum.ui.i18n import lang
from stadtraum.ui.state import engine

__all__ = ["open_data_section"]


def open_data_section(actor: Actor, campaign_id: int) -> None:
    st.subheader(tr("Open-Data-Paket", "Open-data package"), anchor=False)
    st.caption(tr(
        "Ein ZIP aus dem veröffentlichten Stand (gerundet, ohne Fallzahlen, nie Kommentare): "
        "CSV, GeoJSON und GeoPackage, Metadaten nach DCAT-AP.de, eine Erläuterung in "
        "einfacher Sprache und Prüfsummen – zum Hochladen in das Open-Data-Portal.",
        "A ZIP of the published state (rounded, no case numbers, never comments): CSV, "
        "GeoJSON and GeoPackage, DCAT-AP.de metadata, a plain-language explanation and "
        "checksums, for upload to the open-data portal."))
    profile = city()
    published = {p.campaign_id: p.published_at for p in publication_status(engine())}
    if published.get(campaign_id) is None:
        st.info(tr("Diese Befragung wurde noch nie veröffentlicht; offene Daten entstehen nur "
                   "aus dem veröffentlichten Stand (Seite Verwaltung).",
                   "This survey has never been published; open data come only from the "
                   "published state (administration page)."))
        return
    if not profile.city_name.strip():
        st.info(tr("Bitte zuerst den Namen der Stadt in den Einstellungen eintragen: er steht "
                   "als Herausgeber in den Metadaten.", "Please enter the city's name in the "
                   "settings first: it is the publisher in the metadata."))
        return
    cols = st.columns([1, 2])
    licence = cols[0].selectbox(tr("Lizenz", "Licence"), list(LICENCES), key="pub_licence")
    contact = cols[1].text_input(tr("Kontaktpunkt", "Contact point"),
                                 value=profile.privacy_contact or profile.city_name,
                                 max_chars=300, key="pub_contact")
    publisher = Publisher(profile.city_name, contact.strip() or profile.city_name,
                          profile.public_base_url)
    eng, english = engine(), lang() == "en"

    def data() -> bytes:
        try:
            return build_open_data(eng, campaign_id, actor=actor, publisher=publisher,
                                   licence=licence).data
        except StadtraumError as exc:
            return (exc.message_en if english else exc.message_de).encode("utf-8")

    st.download_button(tr("Open-Data-Paket (ZIP)", "Open-data package (ZIP)"), data=data,
                       on_click="ignore", file_name=f"offene_daten_{campaign_id}.zip",
                       mime="application/zip", key="pub_open_data",
                       icon=":material/folder_zip:")
