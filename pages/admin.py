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
from stadtraum.ui.session import require_page
from stadtraum.ui.state import engine

user = require_page("verwaltung")
st.title("Verwaltung", anchor=False)
flash = st.session_state.pop("admin_flash", None)
if flash:
    st.info(flash)

st.header("Online-Befragung für Bürgerinnen und Bürger", anchor=False)
base, guessed = admin_public.base_url()
if guessed:
    st.warning("Die Adresse der Links stammt aus Ihrem Browser. Bevor Plakate gedruckt werden, "
               "bitte die öffentliche Adresse in STADTRAUM_PUBLIC_BASE_URL einstellen.")
links = list_public_links(engine())
if not links:
    st.info("Noch keine Befragung angelegt.")
for link in links:
    admin_public.link_panel(link, base, user.actor)
admin_invitations.invitations_section(links, base, user.actor)

st.header("Ergebnisse veröffentlichen", anchor=False)
admin_publish.publish_section(user.actor)

st.header("Markierte Online-Antworten", anchor=False)
admin_flagged.flagged_panel(user.actor)

st.header("Antworten exportieren", anchor=False)
admin_export.export_panel(user.actor)
