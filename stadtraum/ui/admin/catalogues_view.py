"""The page "Kataloge" (admins): upload a TOML catalogue, read every problem with its line or
see it as the interview would show it, then add it (or replace the stored one of the same
id while no campaign uses it); the preview of any catalogue.

The preview draws a criterion with the street interview's own step
(:func:`stadtraum.ui.collect.interview_steps.criterion_step`) on a throwaway interview that
is never saved. Catalogue texts come from a file: they are shown with ``st.dataframe``,
select options or :func:`~stadtraum.ui.plain.md_literal`, never as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.catalogue_check import MAX_UPLOAD_BYTES, Problem
from stadtraum.admin.catalogues import (
    CatalogueInUseError,
    UploadCheck,
    add_catalogue,
    check_upload,
    replace_catalogue,
)
from stadtraum.collect.interview import Interview
from stadtraum.criteria import Catalogue
from stadtraum.errors import StadtraumError
from stadtraum.ui.collect.interview_steps import criterion_step
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["FLASH", "flash", "preview", "run_action", "tr", "upload_section"]

FLASH = "kat_flash"  # (where, kind, text) of the last action, shown once where it was done
UPLOADS = "kat_uploads"  # a counter in the uploader's key: a fresh uploader after saving


def tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def error_text(exc: StadtraumError) -> str:
    return exc.message_en if lang() == "en" else exc.message_de


def flash(where: str) -> None:
    """The outcome of the last action done ``where`` (once)."""
    note = st.session_state.get(FLASH)
    if note and note[0] == where:
        st.session_state.pop(FLASH)
        (st.success if note[1] == "success" else st.error)(md_literal(note[2]))


def run_action(where: str, call: Callable[[], object], done_de: str, done_en: str) -> bool:
    """Run a use case and note its outcome (or refusal) for the next run."""
    try:
        call()
    except StadtraumError as exc:
        st.session_state[FLASH] = (where, "error", error_text(exc))
        return False
    st.session_state[FLASH] = (where, "success", tr(done_de, done_en))
    return True


# --- the preview -----------------------------------------------------------------------------

def preview(cat: Catalogue, key: str) -> None:
    """The criteria as a table, and one criterion as the interview shows it."""
    en = lang() == "en"
    st.dataframe(pd.DataFrame({
        tr("Nr.", "No."): range(1, len(cat.criteria) + 1),
        "Id": [c.id for c in cat.criteria],
        tr("Thema", "Topic"): [c.label(lang()) for c in cat.criteria],
        tr("Bereich", "Cluster"): [c.cluster_en if en else c.cluster_de for c in cat.criteria],
        tr("Leichte Sprache", "Plain German"): [c.plain_de for c in cat.criteria],
        tr("Denkanstöße", "Prompts"): [len(c.prompts(lang())) for c in cat.criteria],
    }), hide_index=True, width="stretch", key=f"kat_table_{key}")
    pick = st.selectbox(tr("Thema in der Befragungsansicht", "Topic as in the interview"),
                        range(len(cat.criteria)), key=f"kat_pick_crit_{key}",
                        format_func=lambda i: f"{i + 1}. {cat.criteria[i].label_de}")
    crit = cat.criteria[int(pick or 0)]
    with st.container(border=True):
        st.caption(tr("Vorschau, wie Erfasser*innen das Thema sehen (die Befragung ist auf "
                      "Deutsch). Eingaben hier werden nicht gespeichert.",
                      "Preview as helpers see the topic (the interview is in German). "
                      "Nothing entered here is saved."))
        iv = Interview(campaign_id=0, entered_by="", response_id=f"kat_preview_{key}")
        criterion_step(iv, crit, int(pick or 0) + 1, len(cat.criteria))


# --- the upload ------------------------------------------------------------------------------

def _problems(problems: tuple[Problem, ...]) -> None:
    n = len(problems)
    st.error(tr(f"Die Datei hat {n} Problem{'e' if n > 1 else ''}; nichts wurde gespeichert. "
                "Bitte die Datei an den genannten Zeilen ändern und erneut hochladen.",
                f"The file has {n} problem{'s' if n > 1 else ''}; nothing was stored. Fix "
                "the lines named and upload it again."))
    en = lang() == "en"
    st.dataframe(pd.DataFrame({tr("Zeile", "Line"): [p.line for p in problems],
                               tr("Problem", "Problem"): [p.en if en else p.de
                                                          for p in problems]}),
                 hide_index=True, width="stretch", key="kat_problems",
                 column_config={tr("Problem", "Problem"): st.column_config.TextColumn(
                     width="large")})


def _save(data: bytes, actor: Actor, replacing: bool) -> None:
    if replacing:
        done = run_action("upload", lambda: replace_catalogue(engine(), data, actor=actor),
                          "Katalog ersetzt.", "Catalogue replaced.")
    else:
        done = run_action("upload", lambda: add_catalogue(engine(), data, actor=actor),
                          "Katalog hinzugefügt. Er steht jetzt bei den Befragungen zur Wahl.",
                          "Catalogue added. Surveys can now use it.")
    if done:
        st.session_state[UPLOADS] = int(st.session_state.get(UPLOADS, 0)) + 1


def _actions(result: UploadCheck, data: bytes, actor: Actor) -> None:
    cat, existing = result.check.catalogue, result.existing
    assert cat is not None
    if existing is not None and existing.campaigns:
        st.error(md_literal(error_text(CatalogueInUseError(
            cat.id, list(existing.campaigns), ("ersetzt", "replaced")))))
        return
    replacing = existing is not None
    if replacing:
        st.warning(tr(f"Einen gespeicherten Katalog mit der Id {md_literal(cat.id)} gibt es "
                      "schon; keine Befragung verwendet ihn. Er kann ersetzt werden.",
                      f"A stored catalogue with the id {md_literal(cat.id)} exists; no "
                      "survey uses it. It can be replaced."))
    st.button(tr("Katalog ersetzen", "Replace catalogue") if replacing
              else tr("Katalog hinzufügen", "Add catalogue"), type="primary", key="kat_add",
              on_click=_save, args=(data, actor, replacing))


def upload_section(actor: Actor) -> None:
    """Upload → every problem with its line, or the preview → add (or replace)."""
    flash("upload")
    kib = MAX_UPLOAD_BYTES // 1024
    uploaded = st.file_uploader(
        tr(f"Katalogdatei im TOML-Format (UTF-8, höchstens {kib} KiB)",
           f"Catalogue file in TOML format (UTF-8, at most {kib} KiB)"),
        type=["toml"], max_upload_size=1, key=f"kat_upload_{st.session_state.get(UPLOADS, 0)}")
    if uploaded is None:
        return
    data = uploaded.getvalue()
    try:
        result = check_upload(engine(), data, actor=actor)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    cat = result.check.catalogue
    if not result.check.ok or cat is None:
        _problems(result.check.problems)
        return
    st.success(tr(f"Die Datei ist in Ordnung: **{md_literal(cat.name_de)}** (Id "
                  f"{md_literal(cat.id)}) mit {len(cat.criteria)} Themen. Noch nicht "
                  "gespeichert.", f"The file is fine: **{md_literal(cat.name_en)}** (id "
                  f"{md_literal(cat.id)}) with {len(cat.criteria)} topics. Not stored yet."))
    preview(cat, "upload")
    _actions(result, data, actor)
