"""The page "Veröffentlichung" (key ``veroeffentlichung``, planners and admins): a campaign's
results as CSV, XLSX, GeoJSON or GeoPackage (suppressed, with metadata), its released
comments as CSV, and for admins the public addresses. Its use cases check the actor
themselves and write the audit entries; files are built only when the button is pressed.
Names are user text: shown as select options or literally."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor, may
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.view_filter import CampaignOption
from stadtraum.errors import StadtraumError
from stadtraum.exports.comments_export import export_comments
from stadtraum.exports.results_export import FORMATS, export_results
from stadtraum.ui.admin.campaign_texts import tr
from stadtraum.ui.admin.publication_links import export_link
from stadtraum.ui.admin.publication_open_data import open_data_section
from stadtraum.ui.admin.publication_public import public_section
from stadtraum.ui.analysis.filters import options
from stadtraum.ui.i18n import lang
from stadtraum.ui.state import cube_provider, engine

__all__ = ["PAGE", "show"]

PAGE = "veroeffentlichung"
_FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "geojson": "GeoJSON",
                  "gpkg": "GeoPackage"}


def _deferred(build: Callable[[Engine, CubeProvider], bytes]) -> Callable[[], bytes]:
    """The button's callable: it runs on another thread when clicked, so the engine, the
    statistics engine and the language are taken now. An error becomes the file's text."""
    eng, provider, english = engine(), cube_provider(), lang() == "en"

    def data() -> bytes:
        try:
            return build(eng, provider)
        except StadtraumError as exc:
            return (exc.message_en if english else exc.message_de).encode("utf-8")

    return data


def _results_data(actor: Actor, campaign: CampaignOption, fmt: str, levels: list[str],
                  numbers: str, part: str = "file") -> Callable[[], bytes]:
    def build(eng: Engine, provider: CubeProvider) -> bytes:
        out = export_results(eng, provider, campaign.id, fmt, actor=actor, levels=levels,
                             numbers=numbers)
        return out.sidecar[1] if part == "meta" and out.sidecar is not None else out.data

    return _deferred(build)


def _results(actor: Actor, campaign: CampaignOption) -> None:
    st.subheader(tr("Ergebnisse herunterladen", "Download results"), anchor=False)
    fmt = st.radio(tr("Format", "Format"), list(FORMATS), horizontal=True,
                   format_func=_FORMAT_LABELS.__getitem__, key="pub_format")
    names = list(campaign.level_names)
    default = names[:1] if fmt == "geojson" else names
    levels = st.multiselect(tr("Gebietsebenen", "Area levels"), names, default=default,
                            key=f"pub_levels_{campaign.id}_{fmt == 'geojson'}",
                            max_selections=1 if fmt == "geojson" else None)
    numbers = "de"
    if fmt == "csv":
        numbers = st.radio(tr("Zahlenformat", "Number format"), ["de", "intl"],
                           horizontal=True, key="pub_numbers",
                           format_func=lambda v: tr("deutsch (3,5; Trenner „;“)",
                                                    "German (3,5; separator ';')")
                           if v == "de" else tr("international (3.5; Trenner „,“)",
                                                "international (3.5; separator ',')"))
    st.caption(tr(
        f"Je Gebiet und Kriterium: n, Mittelwert, 95-%-Konfidenzintervall und Median, dazu der "
        f"Gesamtindex. Zellen mit weniger als {campaign.min_n} Bewertungen und die zu ihrem "
        "Schutz mitunterdrückten zeigen weder Wert noch n (in Excel „·“). Jede Datei nennt "
        "Befragung, Filter, Geheimhaltungsregel und Stand (CSV: in der beiliegenden "
        "Metadaten-Datei). Jeder Export wird protokolliert.",
        f"Per area and criterion: n, mean, 95 % confidence interval and median, plus the "
        f"overall index. Cells with fewer than {campaign.min_n} ratings and those suppressed "
        "to protect them show neither value nor n (“·” in Excel). Every file names the "
        "survey, filter, confidentiality rule and date (CSV: in the accompanying metadata "
        "file). Every export is recorded in the audit log."))
    if not levels:
        st.caption(tr("Bitte mindestens eine Gebietsebene wählen.",
                      "Please choose at least one area level."))
        return
    ext, media = FORMATS[fmt]
    stem = f"ergebnisse_{campaign.id}"
    cols = st.columns(2)
    cols[0].download_button(
        tr("Ergebnisse herunterladen", "Download results"), on_click="ignore",
        data=_results_data(actor, campaign, fmt, levels, numbers),
        file_name=f"{stem}.{ext}", mime=media, key="pub_download",
        icon=":material/download:")
    if fmt == "csv":
        cols[1].download_button(
            tr("Metadaten zur CSV", "Metadata of the CSV"), on_click="ignore",
            data=_results_data(actor, campaign, fmt, levels, numbers, "meta"),
            file_name=f"{stem}.csv-metadata.json", mime="application/csvm+json",
            key="pub_download_meta")


def _comments(actor: Actor, campaign: CampaignOption) -> None:
    st.subheader(tr("Kommentare herunterladen", "Download comments"), anchor=False)
    st.caption(tr("Nur freigegebene Kommentare, geschwärzt, wo die Moderation geschwärzt hat; "
                  "nie in offenen Daten. CSV mit „;“, protokolliert.",
                  "Released comments only, redacted where moderation redacted them; never "
                  "in open data. CSV with ';', recorded in the audit log."))
    data = _deferred(lambda eng, provider: export_comments(eng, provider, campaign.id,
                                                           actor=actor).data)
    st.download_button(tr("Kommentare als CSV", "Comments as CSV"), data=data,
                       on_click="ignore", file_name=f"kommentare_{campaign.id}.csv",
                       mime="text/csv", key="pub_comments", icon=":material/download:")


def _raw(campaign: CampaignOption) -> None:
    link = export_link("responses", {"campaigns": [campaign.id]})
    if link is None:
        return
    with st.expander(tr("Große Datei: alle gültigen Antworten (Rohdaten)",
                        "Large file: all valid responses (raw data)")):
        st.caption(tr("Wird direkt vom Server gestreamt; der Link gilt 5 Minuten und nur in "
                      "dieser Anmeldung. Protokolliert.", "Streamed by the server; the link "
                      "is valid for 5 minutes and only in this session. Recorded."))
        st.link_button(tr("Antworten als CSV (gestreamt)", "Responses as CSV (streamed)"),
                       link, icon=":material/download:")


def show(actor: Actor) -> None:
    campaigns = {c.id: c for c in options().campaigns}
    if not campaigns:
        st.info(tr("Noch keine Befragung angelegt.", "No survey yet."))
        return
    chosen = st.selectbox(tr("Befragung", "Survey"), list(campaigns), index=len(campaigns) - 1,
                          format_func=lambda cid: campaigns[cid].name, key="pub_campaign")
    campaign = campaigns[int(chosen)]
    _results(actor, campaign)
    _comments(actor, campaign)
    open_data_section(actor, campaign.id)
    if may(actor, "results.publish"):
        public_section(actor, campaign.id)
    if may(actor, "responses.export"):
        _raw(campaign)
