"""The page "Datenschutz" (key ``datenschutz``, admins): delete a response on request by its
number, purge a closed campaign's raw data, expire old drafts and run the daily maintenance.

Every action goes through its use case (:mod:`stadtraum.privacy`), which checks the actor
itself. Campaign and area names are user text: shown with ``st.text`` or escaped. The
confirmation of a deletion shows what identifies the response (campaign, area, date, mode,
versions), never its ratings or comments.
"""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.errors import StadtraumError
from stadtraum.privacy.deletion import DeletionPreview, delete_response, preview_deletion
from stadtraum.ui.admin import privacy_purge
from stadtraum.ui.admin.campaign_texts import error_text, mode_label, tr
from stadtraum.ui.i18n import plural
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["FLASH", "PAGE", "show"]

PAGE = "datenschutz"
FLASH = "dp_flash"
_PREVIEW = "dp_preview"  # (typed number, preview) of the number last looked up


def note(where: str, kind: str, text: str) -> None:
    """Remember an outcome for the next run, shown under section ``where``."""
    st.session_state[FLASH] = (where, kind, text)


def show_note(where: str) -> None:
    flash = st.session_state.get(FLASH)
    if isinstance(flash, tuple) and flash[0] == where:
        (st.error if flash[1] == "error" else st.success)(md_literal(flash[2]))


def _preview_lines(p: DeletionPreview) -> list[str]:
    return [tr(f"Antwortnummer: {p.number}", f"Response number: {p.number}"),
            tr(f"Befragung: {p.campaign_name}", f"Survey: {p.campaign_name}"),
            tr(f"Gebiet: {p.area_name} ({p.area_code})", f"Area: {p.area_name} ({p.area_code})"),
            tr(f"Datum: {p.survey_date:%d.%m.%Y}", f"Date: {p.survey_date:%Y-%m-%d}"),
            tr(f"Erhebungsart: {mode_label(p.mode)}", f"Mode: {mode_label(p.mode)}"),
            tr(f"Fassungen (mit Korrekturen): {p.versions}",
               f"Versions (with corrections): {p.versions}")]


def _look_up(actor: Actor, typed: str, paper: int | None) -> None:
    try:
        preview = preview_deletion(engine(), typed, actor=actor, paper_campaign=paper)
    except StadtraumError as exc:
        st.session_state.pop(_PREVIEW, None)
        note("delete", "error", error_text(exc))
        return
    st.session_state.pop(FLASH, None)
    st.session_state[_PREVIEW] = (typed, paper, preview)


def _delete(actor: Actor, typed: str, paper: int | None) -> None:
    st.session_state.pop(_PREVIEW, None)
    try:
        r = delete_response(engine(), typed, actor=actor, paper_campaign=paper)
    except StadtraumError as exc:
        note("delete", "error", error_text(exc))
        return
    privacy_purge.fresh_snapshot()
    note("delete", "success", tr(
        "Die Antwort ist gelöscht: " + ", ".join((
            plural(r.versions, "Fassung", "Fassungen"),
            plural(r.ratings, "Bewertung", "Bewertungen"),
            plural(r.comments, "Kommentar", "Kommentare"),
            plural(r.priorities, "Priorität", "Prioritäten"),
            plural(r.drafts, "Entwurf", "Entwürfe"))) + ". Veröffentlichte Ergebnisse bleiben "
        "unverändert.",
        "The response is deleted: " + ", ".join((
            plural(r.versions, "version", "versions"), plural(r.ratings, "rating", "ratings"),
            plural(r.comments, "comment", "comments"),
            plural(r.priorities, "priority", "priorities"),
            plural(r.drafts, "draft", "drafts"))) + ". Published results stay unchanged."))


def _delete_section(actor: Actor) -> None:
    st.subheader(tr("Antwort löschen", "Delete a response"), anchor=False)
    st.caption(tr("Auf Wunsch der befragten Person: die Antwortnummer von der Bestätigung "
                  "(z. B. 3F2A-9C1B-04D7) oder die volle Nummer eingeben. Gelöscht werden alle "
                  "Fassungen mit Bewertungen, Kommentaren, Prioritäten und Entwürfen.",
                  "On the respondent's request: enter the response number from the "
                  "confirmation (e.g. 3F2A-9C1B-04D7) or the full number. All versions go, "
                  "with ratings, comments, priorities and drafts."))
    paper = privacy_purge.paper_campaign_choice(actor)
    typed = st.text_input(tr("Bogen-Nr." if paper else "Antwortnummer",
                             "Form number" if paper else "Response number"),
                          max_chars=60, key="dp_number")
    if st.button(tr("Antwort suchen", "Find the response"), key="dp_find"):
        _look_up(actor, typed, paper)
        st.rerun()
    shown = st.session_state.get(_PREVIEW)
    if shown is not None and (shown[0], shown[1]) == (typed, paper):
        preview: DeletionPreview = shown[2]
        with st.container(border=True):
            for line in _preview_lines(preview):
                st.text(line)
            sure = st.checkbox(tr("Ja, diese Antwort endgültig löschen (lässt sich nicht "
                                  "rückgängig machen).", "Yes, delete this response for good "
                                  "(this cannot be undone)."), key="dp_sure")
            if st.button(tr("Endgültig löschen", "Delete for good"), type="primary",
                         disabled=not sure, key="dp_delete"):
                _delete(actor, typed, paper)
                st.session_state.pop("dp_sure", None)
                st.rerun()
    show_note("delete")


def show(actor: Actor) -> None:
    _delete_section(actor)
    st.divider()
    privacy_purge.purge_section(actor, note, show_note)
    st.divider()
    privacy_purge.drafts_section(actor, note, show_note)
