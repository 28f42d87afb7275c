"""Admin widgets of the page "Veröffentlichung": switch a campaign's published results public
("Ergebnisse öffentlich abrufbar") and show their public addresses. German first."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.config import CITY_TZ
from stadtraum.errors import StadtraumError
from stadtraum.publish.public_results import public_paths, public_switches, set_results_public
from stadtraum.publish.service import publication_status
from stadtraum.ui.admin.campaign_texts import error_text, tr
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["public_section"]

FLASH = "pub_flash"


def _base_url() -> str:
    """The app's address as the browser sees it, without the page's own path segment."""
    url = str(st.context.url or "")
    return url.rsplit("/", 1)[0] if url.count("/") > 2 else url.rstrip("/")


def _switch(campaign_id: int, key: str, actor: Actor) -> None:
    on = bool(st.session_state.get(key))
    try:
        set_results_public(engine(), campaign_id, on, actor=actor)
    except StadtraumError as exc:
        st.session_state[FLASH] = ("error", error_text(exc))
        st.session_state[key] = not on
        return
    st.session_state[FLASH] = ("success", tr(
        "Ergebnisse sind jetzt öffentlich abrufbar." if on else
        "Ergebnisse sind nicht mehr öffentlich abrufbar.",
        "Results are now public." if on else "Results are no longer public."))


def _when(at: dt.datetime | None) -> str:
    if at is None:
        return tr("noch nie veröffentlicht", "never published")
    local = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(CITY_TZ)
    return tr(f"veröffentlichter Stand vom {local:%d.%m.%Y, %H:%M} Uhr",
              f"published state of {local:%Y-%m-%d %H:%M}")


def public_section(actor: Actor, campaign_id: int) -> None:
    st.subheader(tr("Öffentliche Adressen", "Public addresses"), anchor=False)
    st.caption(tr(
        "Ist der Schalter an, liefert die App den veröffentlichten Stand dieser Befragung ohne "
        "Anmeldung unter festen Adressen aus: GeoJSON (für QGIS: Vektorlayer hinzufügen → "
        "Protokoll HTTP(S)) und CSV (z. B. für das Open-Data-Portal). Nur gerundete Werte, "
        "keine Fallzahlen, nie die aktuelle Auswertung; erneuert wird der Stand mit "
        "„Ergebnisse veröffentlichen“ auf der Seite Verwaltung.",
        "When on, the app serves this survey's published state without sign-in at stable "
        "addresses: GeoJSON (QGIS: add vector layer → protocol HTTP(S)) and CSV (e.g. for "
        "the open-data portal). Rounded values only, no case numbers, never the live "
        "figures; the state is renewed with “Publish results” on the administration page."))
    if FLASH in st.session_state:
        kind, text = st.session_state.pop(FLASH)
        (st.error if kind == "error" else st.success)(text)
    status = {p.campaign_id: p for p in publication_status(engine())}
    item = status.get(campaign_id)
    published_at = item.published_at if item else None
    key = f"pub_public_{campaign_id}"
    if key not in st.session_state:
        st.session_state[key] = public_switches(engine()).get(campaign_id, False)
    st.toggle(tr("Ergebnisse öffentlich abrufbar", "Results publicly available"), key=key,
              disabled=published_at is None and not st.session_state[key],
              on_change=_switch, args=(campaign_id, key, actor),
              help=tr("Erst möglich, wenn die Befragung einmal veröffentlicht wurde.",
                      "Possible once the survey has been published."))
    st.caption(md_literal(_when(published_at)))
    if st.session_state[key]:
        base = _base_url()
        st.code("\n".join(base + path for path in public_paths(campaign_id)), language=None)
