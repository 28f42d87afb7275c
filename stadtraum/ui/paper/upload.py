"""Upload, check and import of typed-in paper forms: a dry-run check first, then an explicit
import button that only appears for the very file (and options) that were checked."""

from __future__ import annotations

import hashlib

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.errors import StadtraumError
from stadtraum.paper.importer import ImportReport, import_paper
from stadtraum.ui.state import engine

CHECKED = "paper_checked"  # (fingerprint, report) of the last check
DONE = "paper_done"  # report of the last import


def _fingerprint(data: bytes, campaign_id: int, partial: bool) -> str:
    return f"{campaign_id}:{int(partial)}:{hashlib.sha256(data).hexdigest()}"


def _show_errors(report: ImportReport) -> None:
    st.dataframe(report.errors_frame(), hide_index=True, width="stretch",
                 key="paper_error_table")


def upload_and_import(campaign_id: int, actor: Actor) -> None:
    done = st.session_state.get(DONE)
    if isinstance(done, ImportReport) and done.campaign_id == campaign_id:
        st.success("Importiert. " + done.summary_de())
        if done.errors:
            st.warning("Diese Zeilen wurden ausgelassen:")
            _show_errors(done)
    uploaded = st.file_uploader("Ausgefüllte Vorlage (CSV oder XLSX, höchstens 10 MB)",
                                type=["csv", "xlsx", "txt"], max_upload_size=10,
                                key="paper_upload")
    partial = st.checkbox("Fehlerfreie Zeilen importieren, auch wenn andere Zeilen Fehler "
                          "haben (die fehlerhaften werden ausgelassen)", key="paper_partial")
    if uploaded is None:
        st.session_state.pop(CHECKED, None)
        return
    data = uploaded.getvalue()
    fingerprint = _fingerprint(data, campaign_id, partial)
    if st.button("Datei prüfen", type="primary", key="paper_check"):
        st.session_state.pop(DONE, None)
        try:
            report = import_paper(engine(), data, uploaded.name, campaign_id,
                                  entered_by=actor.name, actor=actor, partial=partial,
                                  dry_run=True)
        except StadtraumError as exc:
            st.session_state.pop(CHECKED, None)
            st.error(exc.message_de)
            return
        st.session_state[CHECKED] = (fingerprint, report)
    checked = st.session_state.get(CHECKED)
    if not checked or checked[0] != fingerprint:
        st.caption("Zuerst prüfen: dabei wird noch nichts gespeichert.")
        return
    report = checked[1]
    if report.errors:
        st.error(f"Prüfung: {report.summary_de()}" + ("" if partial else
                 " Es wird nichts importiert, solange eine Zeile fehlerhaft ist."))
        _show_errors(report)
    else:
        st.info(f"Prüfung ohne Fehler ({report.source}): {report.summary_de()}")
    if report.created == 0 or (report.errors and not partial):
        return
    if st.button(f"{report.created} Bögen importieren", type="primary", key="paper_import"):
        try:
            result = import_paper(engine(), data, uploaded.name, campaign_id,
                                  entered_by=actor.name, actor=actor, partial=partial)
        except StadtraumError as exc:
            st.error(exc.message_de)
            return
        st.session_state.pop(CHECKED, None)
        if result.errors and not partial:  # changed since the check (another import)
            st.error(f"Nicht importiert: {result.summary_de()}")
            _show_errors(result)
            return
        st.session_state[DONE] = result
        st.rerun()
