"""Kataloge: the shipped and uploaded criteria catalogues with the surveys that use each;
upload a TOML catalogue (every problem reported with its line, or a preview as the interview
shows it, then add it); copy a catalogue under a new id, download it, delete an uploaded one
no survey uses (admins)."""

from __future__ import annotations

import streamlit as st

from stadtraum.admin.catalogues import list_catalogues
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin import catalogues_manage, catalogues_view
from stadtraum.ui.admin.catalogues_view import tr
from stadtraum.ui.session import require_page
from stadtraum.ui.state import engine

user = require_page("kataloge")
st.title(tr("Kataloge", "Catalogues"), anchor=False)
try:
    rows = list_catalogues(engine(), actor=user.actor)
except StadtraumError as exc:
    st.error(tr(exc.message_de, exc.message_en))
    st.stop()
st.caption(tr("Ein Kriterienkatalog legt die Themen einer Befragung fest. Ein Katalog, den "
              "eine Befragung verwendet, bleibt unverändert (die Themen-Ids sind die Schlüssel "
              "der gespeicherten Bewertungen); ändern heißt: kopieren, die Kopie bearbeiten "
              "und hochladen.",
              "A criteria catalogue sets the topics of a survey. A catalogue a survey uses "
              "stays unchanged (the topic ids key the stored ratings); to change it, copy "
              "it, edit the copy and upload it."))
catalogues_manage.catalogue_table(rows)

st.header(tr("Katalog hochladen", "Upload a catalogue"), anchor=False)
st.caption(tr("Die Datei wird erst geprüft und als Vorschau gezeigt; gespeichert wird erst "
              "mit „Katalog hinzufügen“.", "The file is checked and previewed first; nothing "
              "is stored before “Add catalogue”."))
catalogues_view.upload_section(user.actor)

st.header(tr("Katalog ansehen, kopieren oder löschen", "View, copy or delete a catalogue"),
          anchor=False)
catalogues_manage.manage_section(user.actor, rows)
