"""Protokoll: who did what and when (sign-ins, failed sign-ins, exports, status changes,
deletions, account and campaign changes), filtered by person, kind and period, page by page,
and as a CSV download. Read-only."""

from __future__ import annotations

import streamlit as st

from stadtraum.ui.admin import audit_view as view
from stadtraum.ui.session import require_page

user = require_page("protokoll")
st.title(view.tr("Protokoll", "Audit log"), anchor=False)
st.caption(view.tr("Wer hat wann was getan: Anmeldungen, fehlgeschlagene Anmeldungen, Exporte, "
                   "Statusänderungen, Löschungen, Änderungen an Konten und Befragungen. "
                   "Zeiten in Ortszeit (Europe/Berlin). Das Protokoll kann niemand ändern.",
                   "Who did what and when: sign-ins, failed sign-ins, exports, status "
                   "changes, deletions, changes to accounts and surveys. Times in local time "
                   "(Europe/Berlin). Nobody can change the log."))
chosen = view.filters(user.actor)
if chosen is not None:
    page = view.entries_table(user.actor, chosen)
    if page is not None:
        view.download(user.actor, chosen, page.total)
