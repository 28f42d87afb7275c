"""The campaigns page (admins): every campaign in a table, a form for a new one, and one
campaign's controls: status (open, close after confirmation, reopen), settings, targets per
area, the citizens' link, the invitation codes and the burst detector.

Every control calls a use case of :mod:`stadtraum.admin` with the signed-in actor, in a
callback that carries the campaign's row version as the page showed it: a change someone
else made meanwhile is refused as a conflict. Campaign, area and boundary names are user text:
they are shown with ``st.dataframe``, select options or
:func:`~stadtraum.ui.plain.md_literal`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaigns import CampaignRow, list_campaign_rows, setting_choices
from stadtraum.citizen.public_link import public_link
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin import invitations as admin_invitations
from stadtraum.ui.admin import public_link as admin_public
from stadtraum.ui.admin.burst_view import burst_section
from stadtraum.ui.admin.campaign_form import create_form, edit_form
from stadtraum.ui.admin.campaign_status import status_section
from stadtraum.ui.admin.campaign_targets_view import targets_section
from stadtraum.ui.admin.campaign_texts import (
    FLASH,
    PICK,
    error_text,
    flash_here,
    mode_label,
    status_label,
    tr,
)
from stadtraum.ui.admin.settings_cache import city
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["PAGE", "show"]

PAGE = "befragungen"


def _period(row: CampaignRow) -> str:
    if not row.starts_on and not row.ends_on:
        return ""
    start = f"{row.starts_on:%d.%m.%Y}" if row.starts_on else "…"
    end = f"{row.ends_on:%d.%m.%Y}" if row.ends_on else "…"
    return f"{start} – {end}"


def _table(rows: list[CampaignRow]) -> None:
    st.dataframe(pd.DataFrame({
        tr("Name", "Name"): [r.name for r in rows],
        tr("Status", "Status"): [status_label(r.status) for r in rows],
        tr("Gebietsebene", "Area level"): [f"{r.level_name} ({r.boundary_set} "
                                           f"v{r.boundary_version})" for r in rows],
        tr("Zeitraum", "Period"): [_period(r) for r in rows],
        tr("Erhebungsarten", "Modes"): [", ".join(mode_label(m) for m in r.allowed_modes)
                                        for r in rows],
        "min_n": [r.min_n for r in rows],
        tr("Antworten", "Responses"): [r.n_responses for r in rows],
        tr("Bürger-Link", "Citizens' link"): [tr("an", "on") if r.public_enabled
                                              else tr("aus", "off") for r in rows],
    }), hide_index=True, width="stretch", key="camp_table")


def _link_section(row: CampaignRow, actor: Actor) -> None:
    """The citizens' link and the invitation codes (the panels of the Verwaltung page)."""
    if "online" not in row.allowed_modes:
        st.caption(tr("Die Befragung erlaubt keine Online-Antworten: der Link zeigt einen "
                      "Hinweis statt des Fragebogens.", "The survey allows no online "
                      "responses: the link shows a notice instead of the form."))
    base, guessed = admin_public.base_url(PAGE)
    if guessed:
        st.caption(tr("Die Adresse der Links stammt aus Ihrem Browser; vor dem Drucken bitte "
                      "die öffentliche Adresse auf der Seite Einstellungen eintragen.",
                      "The links' address comes from your browser; please enter the public "
                      "address on the Settings page before printing."))
    link = public_link(engine(), row.id)
    admin_public.link_panel(link, base, actor)
    admin_invitations.invitation_panel(link, base, actor)


def _panel(row: CampaignRow, actor: Actor, flash: object, refused: object) -> None:
    with st.container(border=True):
        demo = tr(" · Demo", " · demo") if row.is_demo else ""
        st.markdown(f"**{md_literal(row.name)}** · {md_literal(status_label(row.status))} · "
                    + md_literal(tr(f"{row.n_responses} Antworten", f"{row.n_responses} "
                                    f"responses") + demo))
        status_section(row, actor, flash)
    st.subheader(tr("Einstellungen", "Settings"), anchor=False)
    flash_here("settings", flash)
    edit_form(row, actor, setting_choices(engine(), actor=actor))
    st.subheader(tr("Zielzahlen je Gebiet", "Targets per area"), anchor=False)
    targets_section(row, actor, flash, refused)
    st.subheader(tr("Bürger-Link und Einladungscodes", "Citizens' link and invitation codes"),
                 anchor=False)
    _link_section(row, actor)
    st.subheader(tr("Schutz vor Massenantworten", "Protection against mass responses"),
                 anchor=False)
    burst_section(row, actor, flash)


def show(actor: Actor) -> None:
    """The whole page below its title."""
    flash = st.session_state.pop(FLASH, None)  # once: gone at the next interaction
    refused = st.session_state.pop(FLASH + "_exc", None)
    note = st.session_state.pop("admin_flash", None)  # from the link and code panels
    if note:
        st.info(md_literal(note))
    try:
        rows = list_campaign_rows(engine(), actor=actor)
        choices = setting_choices(engine(), actor=actor)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    st.subheader(tr(f"Alle Befragungen ({len(rows)})", f"All surveys ({len(rows)})"),
                 anchor=False)
    if rows:
        _table(rows)
    with st.expander(tr("Neue Befragung anlegen", "Create a new survey"),
                     expanded=not rows):
        create_form(actor, choices, city().default_min_n)
    flash_here("create", flash)
    if not rows:
        return
    st.subheader(tr("Befragung bearbeiten", "Edit a survey"), anchor=False)
    by_id = {r.id: r for r in rows}
    if st.session_state.get(PICK) not in by_id:
        st.session_state[PICK] = rows[0].id
    pick = st.selectbox(tr("Befragung", "Survey"), list(by_id),
                        format_func=lambda i: by_id[i].name if i in by_id else str(i), key=PICK)
    if pick in by_id:
        _panel(by_id[pick], actor, flash, refused)
