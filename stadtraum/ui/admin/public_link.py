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
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine, settings
from stadtraum.vocab import CAMPAIGN_STATUSES

ADMIN_PATH = "verwaltung"
FALLBACK_BASE = "http://localhost:8501"


def base_url(page_path: str = ADMIN_PATH) -> tuple[str, bool]:
    """The public base URL and whether it was guessed from the admin's own address (that of
    the page ``page_path``)."""
    configured = settings().public_base_url
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
                    f"{CAMPAIGN_STATUSES.label(link.campaign_status)}")
        st.session_state[f"pub_on_{cid}"] = link.enabled  # the database decides, not the widget
        st.toggle("Bürger-Link eingeschaltet", key=f"pub_on_{cid}", on_change=_switch,
                  args=(cid, actor))
        if link.campaign_status != "open":
            st.caption("Die Befragung ist nicht geöffnet: der Link zeigt statt des Fragebogens "
                       "einen freundlichen Hinweis.")
        if link.token is None:
            st.caption("Beim ersten Einschalten wird ein Link mit nicht erratbarem Schlüssel "
                       "erzeugt.")
            return
        url = public_url(base, link.token)
        st.code(url, language=None)
        if not link.enabled:
            st.caption("Ausgeschaltet: der Link zeigt „ungültig“. Beim Wiedereinschalten gilt "
                       "derselbe Link, gedruckte QR-Codes funktionieren dann wieder.")
        png = _png(url)
        st.image(png, width=180, caption="QR-Code zum Link")
        left, right = st.columns(2)
        left.download_button("QR-Code als PNG", png, file_name=qr_file_name(link.campaign_name,
                             "png"), mime="image/png", key=f"qr_png_{cid}", width="stretch")
        right.download_button("QR-Code als SVG (Druck)",
                              _svg(url, f"Mitmachen: {link.campaign_name}"),
                              file_name=qr_file_name(link.campaign_name, "svg"),
                              mime="image/svg+xml", key=f"qr_svg_{cid}", width="stretch")
        with st.expander("Neuen Link erzeugen"):
            sure = st.checkbox("Mir ist klar: der alte Link und gedruckte QR-Codes funktionieren "
                               "danach nicht mehr.", key=f"pub_rotate_ok_{cid}")
            if st.button("Neuen Link erzeugen", disabled=not sure, key=f"pub_rotate_{cid}"):
                rotate_public_token(engine(), cid, actor=actor)
                st.session_state["admin_flash"] = "Neuer Link erzeugt; der alte gilt nicht mehr."
                st.rerun()
