"""Shared pieces of the campaigns page: the language of the run, the field names a refusal
is prefixed with, and the one-time outcome messages ("flash") of the last action."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stadtraum.errors import StadtraumError, ValidationError
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.vocab import CAMPAIGN_STATUSES, MODES

FLASH = "camp_flash"  # (where, kind, text) of the last action, shown once where it was done
PICK = "camp_pick"
# use-case field -> label (German, English), to name the field of a refused input
FIELDS = {"name": ("Name", "Name"), "catalogue_id": ("Kriterienkatalog", "Criteria catalogue"),
          "level_id": ("Gebietsebene", "Area level"), "starts_on": ("Beginn", "Start"),
          "ends_on": ("Ende", "End"), "allowed_modes": ("Erhebungsarten", "Modes"),
          "min_n": ("Mindestzahl je Zelle", "Minimum cell size"),
          "default_target": ("Zielzahl je Gebiet", "Target per area"),
          "targets_file": ("Zielzahlen-Datei", "Targets file"), "file": ("Datei", "File"),
          "status": ("Status", "Status"), "mode": ("Erhebungsart", "Mode")}


def tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def keyed(base: str) -> str:
    """A widget key per language: a selectbox keeps the labels it showed first."""
    return f"{base}_{lang()}"


def status_label(code: str) -> str:
    return CAMPAIGN_STATUSES.label(code, lang())


def mode_label(code: str) -> str:
    return MODES.label(code, lang())


def error_text(exc: StadtraumError) -> str:
    en = lang() == "en"
    text = exc.message_en if en else exc.message_de
    field = exc.field if isinstance(exc, ValidationError) else None
    if field in FIELDS:
        text = f"{FIELDS[field][1 if en else 0]}: {text}"
    return text


def do(call: Callable[[], object], done_de: str, done_en: str, where: str) -> object | None:
    """Run a use case; note the outcome (or the refusal) for the next run, to be shown
    ``where`` it was asked for. The refusal itself is kept under ``FLASH + '_exc'`` for
    callers that show more (the rows of a bad file)."""
    try:
        result = call()
    except StadtraumError as exc:  # refused: permission, validation, conflict, not found
        st.session_state[FLASH] = (where, "error", error_text(exc))
        st.session_state[FLASH + "_exc"] = exc
        return None
    st.session_state[FLASH] = (where, "success", tr(done_de, done_en))
    return result


def flash_here(where: str, flash: object) -> None:
    """The outcome of the last action, if it belongs here (shown literally)."""
    if isinstance(flash, tuple) and flash[0] == where:
        _, kind, text = flash
        (st.error if kind == "error" else st.success)(md_literal(text))
