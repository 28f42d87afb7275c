"""The page "Gebiete": the import part (where to, the button, the summary) and the helpers
the other parts share (texts in the UI's language, the report table).

Level, set and file names are user text: shown through :func:`~stadtraum.ui.plain.md_literal`,
select options or ``st.dataframe``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.boundaries import (
    DEFAULT_BOUNDARY_SET,
    BoundaryLevelRow,
    FieldChoice,
    ImportReport,
    Inspection,
    import_boundaries,
)
from stadtraum.errors import StadtraumError, ValidationError
from stadtraum.geo.report import ReportRow
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine, settings

__all__ = ["DONE", "INSPECTED", "NO_PARENT", "UPLOADS", "choose_target", "do_import",
           "error_text", "report_table", "summary", "tr"]

UPLOADS = "geb_uploads"  # a counter in the uploader's key: a new one after an import
INSPECTED = "geb_inspected"  # (file key, choice) -> Inspection
DONE = "geb_done"  # the last ImportReport, shown until the next import
NEW_SET = "\u2795"  # the boundary-set option "new set" (never a stored name)
NO_PARENT = ""  # the parent-field / parent-level option "none"
FULL_ROWS = 40  # a longer report is shown as a scrollable grid
_FIELDS = {"level": ("Ebene", "Level"), "boundary_set": ("Grenzstand", "Boundary set"),
           "crs": ("Koordinatensystem", "Coordinate system"),
           "parent_level": ("Übergeordnete Ebene", "Parent level")}


def tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def error_text(exc: StadtraumError) -> str:
    text = exc.message_en if lang() == "en" else exc.message_de
    field = exc.field if isinstance(exc, ValidationError) else None
    if field in _FIELDS:
        text = f"{_FIELDS[field][1 if lang() == 'en' else 0]}: {text}"
    return text


def report_table(rows: list[ReportRow], key: str) -> None:
    """The validation and cleaning report as a table (or a line saying it is empty). Up to
    :data:`FULL_ROWS` rows as a static table whose messages wrap (cells escaped: they hold
    names from the file); a longer report as a scrollable data grid."""
    if not rows:
        st.caption(tr("Keine Auffälligkeiten: nichts repariert, keine Überlappungen oder "
                      "Lücken.", "Nothing to report: nothing repaired, no overlaps or gaps."))
        return
    code = "en" if lang() == "en" else "de"
    columns = {tr("Art", "Kind"): [r.kind(code) for r in rows],
               tr("Objekt", "Feature"): [r.feature(code) for r in rows],
               tr("Meldung", "Message"): [r.message(code) for r in rows]}
    if len(rows) > FULL_ROWS:
        st.dataframe(pd.DataFrame(columns), hide_index=True, width="stretch", key=key,
                     column_config={tr("Meldung", "Message"): st.column_config.TextColumn(
                         width="large")})
        return
    st.table(pd.DataFrame({md_literal(k): [md_literal(v) for v in values]
                           for k, values in columns.items()}), hide_index=True)


# --- the import ------------------------------------------------------------------------------

def choose_target(levels: list[BoundaryLevelRow]) -> tuple[str, str, str | None]:
    """Boundary set, level name and parent level as chosen (the set may be a new name)."""
    newest = [r for r in levels if r.newest]
    names = list(dict.fromkeys(r.set_name for r in newest))
    left, right = st.columns(2)
    chosen = left.selectbox(tr("Grenzstand", "Boundary set"), [*names, NEW_SET],
                            key="geb_set", format_func=lambda n: tr(
                                "neuer Grenzstand …", "new boundary set …") if n == NEW_SET
                            else n)
    set_name = str(chosen)
    if chosen == NEW_SET:
        set_name = right.text_input(tr("Name des neuen Grenzstands", "Name of the new set"),
                                    value=DEFAULT_BOUNDARY_SET if not names else "",
                                    max_chars=200, key="geb_set_new")
    in_set = sorted((r for r in newest if r.set_name == set_name), key=lambda r: r.rank)
    left, right = st.columns(2)
    level = left.text_input(tr("Name der Ebene", "Level name"), max_chars=100, key="geb_level",
                            placeholder=tr("z. B. Stadtbezirk", "e.g. Stadtbezirk"))
    existing = next((r for r in in_set if r.level == level.strip()), None)
    # a level imported again keeps the levels above it; a new one goes below the lowest
    above = [r for r in in_set if existing is None or r.rank < existing.rank]
    options = [NO_PARENT, *(r.level for r in above)]
    parent = right.selectbox(tr("Übergeordnete Ebene", "Parent level"), options,
                             index=len(options) - 1,
                             key=f"geb_parent_level_{set_name}_{len(options)}",
                             format_func=lambda n: n or tr("keine (oberste Ebene)",
                                                           "none (top level)"))
    if existing is not None:
        st.info(tr(
            f"Die Ebene {md_literal(existing.level)} gibt es in {md_literal(set_name)} schon: "
            f"der Import legt Version {existing.version + 1} an. Befragungen behalten die "
            "Grenzen, auf denen sie erhoben wurden; tiefere Ebenen danach neu importieren.",
            f"Level {md_literal(existing.level)} exists in {md_literal(set_name)}: the import "
            f"creates version {existing.version + 1}. Surveys keep the boundaries they were "
            "collected on; import the levels below again afterwards."))
    return set_name, level, str(parent) or None


def do_import(data: bytes, name: str, ins: Inspection, fields: FieldChoice,
               target: tuple[str, str, str | None], confirmed: bool, actor: Actor) -> None:
    set_name, level, parent_level = target
    try:
        report = import_boundaries(
            engine(), data, name, level=level, boundary_set=set_name,
            code_field=fields.code_field, name_field=fields.name_field,
            parent_level=parent_level, parent_field=fields.parent_field,
            assume_crs=ins.assume_crs, layer=ins.layer, confirm_crs=confirmed,
            settings=settings(), actor=actor)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    st.session_state[DONE] = report
    st.session_state[UPLOADS] = int(st.session_state.get(UPLOADS, 0)) + 1
    st.session_state.pop(INSPECTED, None)
    st.rerun()


def summary(report: ImportReport) -> None:
    st.success(md_literal(report.headline(lang())))
    report_table(report.rows, key="geb_done_report")
    frame = pd.DataFrame({tr("Schlüssel", "Code"): [a[0] for a in report.areas],
                          tr("Name", "Name"): [a[1] for a in report.areas]})
    if report.parent_level is not None:
        frame[tr(f"Übergeordnet ({report.parent_level})",
                 f"Parent ({report.parent_level})")] = [a[3] or "" for a in report.areas]
    st.dataframe(frame, hide_index=True, width="stretch", key="geb_done_areas")


