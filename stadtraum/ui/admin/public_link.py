"""Admin widgets for a campaign's public link: switch, link text, QR downloads, rotation."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.citizen.public_link import (
    PublicLink,
    disable_public_link,
    enable_public_link,
    public_url,
    rotate_public_token,
)
from stadtraum.citizen.qr import qr_file_name, qr_png, qr_svg
from stadtraum.ui.admin.settings_cache import city
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine
from stadtraum.vocab import CAMPAIGN_STATUSES

ADMIN_PATH = "verwaltung"
FALLBACK_BASE = "http://localhost:8501"


def tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def base_url(page_path: str = ADMIN_PATH) -> tuple[str, bool]:
    """The public base URL (the city setting, already checked and normalised) and whether it
    was guessed from the admin's own address (that of the page ``page_path``)."""
    configured = city().public_base_url
    if configured:
        return configured, False
    parts = urlsplit(st.context.url or FALLBACK_BASE)
    path = parts.path.rstrip("/")
    if path.endswith("/" + page_path):
        path = path[: -len(page_path) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")), True


@st.cache_data(show_spinner=False, max_entries=64)
def _png(url: str) -> bytes:
    return qr_png(url)


@st.cache_data(show_spinner=False, max_entries=64)
def _svg(url: str, title: str) -> str:
    return qr_svg(url, title=title)


def _switch(campaign_id: int, actor: Actor) -> None:
    if st.session_state.get(f"pub_on_{campaign_id}"):
        enable_public_link(engine(), campaign_id, actor=actor)
    else:
        disable_public_link(engine(), campaign_id, actor=actor)


def link_panel(link: PublicLink, base: str, actor: Actor) -> None:
    cid = link.campaign_id
    with st.container(border=True):
        st.markdown(f"**{md_literal(link.campaign_name)}** · "
                    f"{CAMPAIGN_STATUSES.label(link.campaign_status, lang())}")
        st.session_state[f"pub_on_{cid}"] = link.enabled  # the database decides, not the widget
        # the label names the setting; the state is said in words beside it (a fixed label
        # "eingeschaltet" read as a statement while the switch was off)
        st.toggle(tr("Bürger-Link", "Citizens' link"), key=f"pub_on_{cid}",
                  on_change=_switch, args=(cid, actor))
        st.caption(tr("Zurzeit **eingeschaltet**: der Link nimmt Antworten an." if link.enabled
                      else "Zurzeit **ausgeschaltet**: der Link nimmt keine Antworten an.",
                      "Currently **on**: the link takes responses." if link.enabled
                      else "Currently **off**: the link takes no responses."))
        if link.campaign_status != "open":
            st.caption(tr("Die Befragung ist nicht geöffnet: der Link zeigt statt des "
                          "Fragebogens einen freundlichen Hinweis.",
                          "The survey is not open: the link shows a friendly notice instead "
                          "of the form."))
        if link.token is None:
            st.caption(tr("Beim ersten Einschalten wird ein Link mit nicht erratbarem "
                          "Schlüssel erzeugt.", "Switching it on for the first time creates "
                          "a link with an unguessable key."))
            return
        url = public_url(base, link.token)
        st.code(url, language=None)
        if not link.enabled:
            st.caption(tr("Ausgeschaltet: der Link zeigt „ungültig“. Beim Wiedereinschalten "
                          "gilt derselbe Link, gedruckte QR-Codes funktionieren dann wieder.",
                          "Off: the link shows “invalid”. Switched on again, the same link "
                          "applies and printed QR codes work again."))
        png = _png(url)
        st.image(png, width=180, caption=tr("QR-Code zum Link", "QR code of the link"),
                 alt=tr("QR-Code des Bürger-Links", "QR code of the citizens' link"))
        left, right = st.columns(2)
        left.download_button(tr("QR-Code als PNG", "QR code as PNG"), png,
                             file_name=qr_file_name(link.campaign_name, "png"),
                             mime="image/png", key=f"qr_png_{cid}", width="stretch")
        right.download_button(tr("QR-Code als SVG (Druck)", "QR code as SVG (print)"),
                              _svg(url, f"Mitmachen: {link.campaign_name}"),
                              file_name=qr_file_name(link.campaign_name, "svg"),
                              mime="image/svg+xml", key=f"qr_svg_{cid}", width="stretch")
        with st.expander(tr("Neuen Link erzeugen", "Create a new link")):
            sure = st.checkbox(tr("Mir ist klar: der alte Link und gedruckte QR-Codes "
                                  "funktionieren danach nicht mehr.", "I understand: the old "
                                  "link and printed QR codes stop working."),
                               key=f"pub_rotate_ok_{cid}")
            if st.button(tr("Neuen Link erzeugen", "Create a new link"), disabled=not sure,
                         key=f"pub_rotate_{cid}"):
                rotate_public_token(engine(), cid, actor=actor)
                st.session_state["admin_flash"] = tr(
                    "Neuer Link erzeugt; der alte gilt nicht mehr.",
                    "New link created; the old one no longer works.")
                st.rerun()
