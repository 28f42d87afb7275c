"""The targets of a campaign on the campaigns page: every area with its target (and whether it
comes from the file or from the number for every area), a file upload that replaces the
per-area targets, a template with every area to fill in, and a bad file's rows as a table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaign_targets import (
    TargetsFileError,
    TargetsReport,
    area_target_rows,
    clear_area_targets,
    set_area_targets,
    targets_template,
)
from stadtraum.admin.campaigns import CampaignRow
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin.campaign_texts import FLASH, do, error_text, flash_here, tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["targets_section"]


def _file_key(row: CampaignRow) -> str:
    return f"camp_tfile_{row.id}_{row.version}"


def _upload(row: CampaignRow, actor: Actor) -> None:
    file = st.session_state.get(_file_key(row))
    if file is None:
        st.session_state[FLASH] = ("targets", "error", tr(
            "Zielzahlen-Datei: Bitte zuerst eine Datei auswählen.",
            "Targets file: Please choose a file first."))
        return
    report = do(lambda: set_area_targets(engine(), row.id, file.getvalue(), file.name,
                                         actor=actor, expected_version=row.version),
                "", "", where="targets")
    if isinstance(report, TargetsReport):
        st.session_state[FLASH] = ("targets", "success", tr(
            f"Zielzahlen für {report.areas} Gebiete übernommen, zusammen {report.total} "
            f"Antworten (Datei: {report.source}).", f"Targets taken over for {report.areas} "
            f"areas, together {report.total} responses (file: {report.source})."))


def _clear(row: CampaignRow, actor: Actor) -> None:
    do(lambda: clear_area_targets(engine(), row.id, actor=actor, expected_version=row.version),
       "Zielzahlen je Gebiet entfernt; es gilt die Zahl für alle Gebiete.",
       "Per-area targets removed; the number for every area applies.", where="targets")


def _problems(exc: object) -> None:
    if not isinstance(exc, TargetsFileError):
        return
    en = lang() == "en"
    st.dataframe(pd.DataFrame({
        tr("Zeile", "Row"): [p.row for p in exc.problems],
        tr("Problem", "Problem"): [p.message_en if en else p.message_de
                                   for p in exc.problems]}),
        hide_index=True, width="stretch", key="camp_target_problems")


def targets_section(row: CampaignRow, actor: Actor, flash: object, refused: object) -> None:
    try:
        targets = area_target_rows(engine(), row.id, actor=actor)
        template = targets_template(engine(), row.id, actor=actor)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    with_target = [t for t in targets if t.target is not None]
    everywhere = (tr(f"für alle Gebiete {row.default_target}", f"{row.default_target} for every "
                     "area") if row.default_target else tr("keine Zahl für alle Gebiete",
                                                           "no number for every area"))
    st.caption(md_literal(tr(
        f"Zielzahl: {everywhere}; aus der Datei: {row.n_area_targets} von {len(targets)} "
        f"Gebieten; zusammen {sum(t.target or 0 for t in with_target)} Antworten.",
        f"Target: {everywhere}; from the file: {row.n_area_targets} of {len(targets)} areas; "
        f"together {sum(t.target or 0 for t in with_target)} responses.")))
    source = {"file": tr("Datei", "file"), "all": tr("für alle", "for all"), None: ""}
    st.dataframe(pd.DataFrame({
        tr("Code", "Code"): [t.code for t in targets],
        tr("Gebiet", "Area"): [t.name for t in targets],
        tr("Zielzahl", "Target"): [t.target for t in targets],
        tr("Herkunft", "Source"): [source[t.source] for t in targets]}),
        hide_index=True, width="stretch", height=min(38 + 35 * len(targets), 250),
        key=f"camp_targets_{row.id}")
    st.file_uploader(tr("Zielzahlen je Gebiet aus einer Datei (CSV oder XLSX mit den Spalten "
                        "code und target)", "Targets per area from a file (CSV or XLSX with "
                        "the columns code and target)"), type=["csv", "xlsx"],
                     max_upload_size=1, key=_file_key(row),
                     help=tr("Ersetzt die bisherigen Zielzahlen je Gebiet. Bei einem Fehler "
                             "wird nichts gespeichert.", "Replaces the previous per-area "
                             "targets. On any error nothing is stored."))
    buttons = st.container(horizontal=True)
    buttons.button(tr("Zielzahlen aus der Datei übernehmen", "Take targets from the file"),
                   key=f"camp_tupload_{row.id}", on_click=_upload, args=(row, actor))
    buttons.download_button(tr("Vorlage mit allen Gebieten (CSV)", "Template with every area "
                               "(CSV)"), template, file_name=f"zielzahlen_{row.id}.csv",
                            mime="text/csv", key=f"camp_ttemplate_{row.id}",
                            on_click="ignore")
    if row.n_area_targets:
        buttons.button(tr("Zielzahlen je Gebiet entfernen", "Remove per-area targets"),
                       key=f"camp_tclear_{row.id}", on_click=_clear, args=(row, actor))
    flash_here("targets", flash)
    if isinstance(flash, tuple) and flash[0] == "targets":
        _problems(refused)
