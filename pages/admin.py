"""Verwaltung: the citizens' public link per campaign (switch, link, QR codes), publishing
results, the review of flagged online responses, and the export of responses."""

from __future__ import annotations

import streamlit as st

from stadtraum.citizen.public_link import list_public_links
from stadtraum.ui.admin import export as admin_export
from stadtraum.ui.admin import flagged as admin_flagged
from stadtraum.ui.admin import invitations as admin_invitations
from stadtraum.ui.admin import public_link as admin_public
from stadtraum.ui.admin import publish as admin_publish
from stadtraum.ui.admin.campaign_texts import tr
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import require_page
from stadtraum.ui.state import engine

user = require_page("verwaltung")
st.title(tr("Verwaltung", "Administration"), anchor=False)
flash = st.session_state.pop("admin_flash", None)
if flash:
    st.info(md_literal(str(flash)))  # may quote a campaign's name: literal text

st.header(tr("Online-Befragung für Bürgerinnen und Bürger", "Online survey for citizens"),
          anchor=False)
base, guessed = admin_public.base_url()
if guessed:
    st.warning(tr("Die Adresse der Links stammt aus Ihrem Browser. Bevor Plakate gedruckt "
                  "werden, bitte die öffentliche Adresse auf der Seite Einstellungen "
                  "eintragen.", "The links' address comes from your browser. Before posters "
                  "are printed, please enter the public address on the Settings page."))
links = list_public_links(engine())
if not links:
    st.info(tr("Noch keine Befragung angelegt.", "No survey yet."))
for link in links:
    admin_public.link_panel(link, base, user.actor)
admin_invitations.invitations_section(links, base, user.actor)

st.header(tr("Ergebnisse veröffentlichen", "Publish results"), anchor=False)
admin_publish.publish_section(user.actor)

st.header(tr("Markierte Online-Antworten", "Flagged online responses"), anchor=False)
admin_flagged.flagged_panel(user.actor)

st.header(tr("Antworten exportieren", "Export responses"), anchor=False)
admin_export.export_panel(user.actor)
