"""Admin widgets for one-time invitation codes per campaign: the "Einladungscodes
erforderlich" switch, generating a batch, and its one-time downloads (CSV, printable sheet).
German first, English in the English UI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.citizen.invitation_export import codes_csv, codes_sheet
from stadtraum.citizen.invitations import (
    MAX_BATCH,
    generate_codes,
    invitation_status,
    invitation_url,
    set_codes_required,
)
from stadtraum.citizen.public_link import PublicLink, public_url
from stadtraum.citizen.qr import qr_file_name
from stadtraum.errors import PermissionDeniedError, ValidationError
from stadtraum.ui.admin.campaign_texts import error_text, tr
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

FRESH = "inv_fresh_{}"  # session key: the batch just generated, downloadable in this session


@dataclass(frozen=True)
class _Batch:
    count: int
    csv: bytes
    sheet: str


def _switch(campaign_id: int, actor: Actor) -> None:
    try:
        set_codes_required(engine(), campaign_id,
                           bool(st.session_state.get(f"inv_req_{campaign_id}")), actor=actor)
    except PermissionDeniedError as exc:
        st.session_state["admin_flash"] = error_text(exc)


def _generate(link: PublicLink, base: str, actor: Actor) -> None:
    cid = link.campaign_id
    count = int(st.session_state.get(f"inv_count_{cid}") or 0)
    try:
        codes = generate_codes(engine(), cid, count, actor=actor)
    except (PermissionDeniedError, ValidationError) as exc:
        st.session_state["admin_flash"] = error_text(exc)
        return
    token = link.token
    link_for = (lambda c: invitation_url(base, token, c)) if token else None
    typed = public_url(base, token) if token else None
    st.session_state[FRESH.format(cid)] = _Batch(len(codes), codes_csv(codes, link_for),
                                                 codes_sheet(link.campaign_name, codes,
                                                             link_for, typed))


def _downloads(link: PublicLink) -> None:
    cid = link.campaign_id
    batch = st.session_state.get(FRESH.format(cid))
    if not isinstance(batch, _Batch):
        return
    st.warning(tr(f"{batch.count} neue Codes. Bitte jetzt herunterladen: gespeichert sind nur "
                  "Prüfsummen, die Codes lassen sich später nicht noch einmal anzeigen.",
                  f"{batch.count} new codes. Please download them now: only checksums are "
                  "stored, the codes cannot be shown again later."))
    name = qr_file_name(link.campaign_name, "csv").replace("qr_", "einladungscodes_", 1)
    left, right = st.columns(2)
    left.download_button(tr("Codes als CSV", "Codes as CSV"), batch.csv, file_name=name,
                         mime="text/csv", key=f"inv_csv_{cid}", width="stretch")
    right.download_button(tr("Druckbogen mit QR-Codes (HTML)",
                             "Printable sheet with QR codes (HTML)"), batch.sheet,
                          file_name=name.replace(".csv", ".html"), mime="text/html",
                          key=f"inv_sheet_{cid}", width="stretch")
    if st.button(tr("Fertig heruntergeladen", "Done downloading"), key=f"inv_done_{cid}"):
        st.session_state.pop(FRESH.format(cid), None)
        st.rerun()


def invitation_panel(link: PublicLink, base: str, actor: Actor) -> None:
    cid = link.campaign_id
    status = invitation_status(engine(), cid)
    with st.container(border=True):
        st.markdown(f"**{md_literal(link.campaign_name)}** · "
                    + tr(f"{status.total} Codes, davon {status.used} verwendet",
                         f"{status.total} codes, {status.used} of them used"))
        st.session_state[f"inv_req_{cid}"] = status.required  # the database decides
        st.toggle(tr("Einladungscodes erforderlich", "Invitation codes required"),
                  key=f"inv_req_{cid}", on_change=_switch, args=(cid, actor))
        if status.required and not status.total - status.used:
            st.caption(tr("Es gibt keine unbenutzten Codes: niemand kann den Fragebogen "
                          "absenden.", "There are no unused codes: nobody can send the "
                          "form."))
        if link.token is None:
            st.caption(tr("Ohne eingeschalteten Bürger-Link enthalten die Codes noch keinen "
                          "Link und keinen QR-Code.", "Without the citizens' link switched "
                          "on, the codes contain no link and no QR code yet."))
        st.number_input(tr("Anzahl neuer Codes", "Number of new codes"), min_value=1,
                        max_value=MAX_BATCH, value=100, step=50, key=f"inv_count_{cid}")
        st.button(tr("Codes erzeugen", "Generate codes"), key=f"inv_gen_{cid}",
                  on_click=_generate, args=(link, base, actor))
        _downloads(link)


def invitations_section(links: Sequence[PublicLink], base: str, actor: Actor) -> None:
    """The section of the Verwaltung page: one panel per campaign."""
    st.header(tr("Einladungscodes für den Online-Fragebogen",
                 "Invitation codes for the online form"), anchor=False)
    st.caption(tr("Mit Einladungscodes kann nur absenden, wer einen Code von einem Brief oder "
                  "Aushang hat; jeder Code gilt einmal. Gespeichert wird, ob ein Code benutzt "
                  "wurde, nie zu welcher Antwort.", "With invitation codes, only someone "
                  "with a code from a letter or a notice can send the form; each code works "
                  "once. What is stored is whether a code was used, never for which "
                  "response."))
    for link in links:
        invitation_panel(link, base, actor)
