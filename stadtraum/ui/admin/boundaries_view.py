"""The boundary import of the page "Gebiete" (admins): upload a file, see it on a map with
its names, choose the name, code and parent fields (preselected), see the coordinate system
(a guessed one needs a tick), read the validation and cleaning report, import.

The file is looked at by :func:`stadtraum.admin.boundaries.inspect_upload`, which stores
nothing; the result is kept per file and choice, so a rerun (a widget change elsewhere)
does not read the file again. Every text from the file (names, codes, field names) is shown
with ``st.dataframe``, select options or :func:`~stadtraum.ui.plain.md_literal`, and goes
into the map HTML-escaped (:func:`stadtraum.maps.picker.picker_geojson`).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.boundaries import (
    MAX_UPLOAD_BYTES,
    BoundaryLevelRow,
    FieldChoice,
    ImportReport,
    Inspection,
    inspect_upload,
)
from stadtraum.errors import StadtraumError
from stadtraum.maps.picker import picker_geojson, picker_map
from stadtraum.ui.admin.boundaries_target import (
    DONE,
    INSPECTED,
    NO_PARENT,
    UPLOADS,
    choose_target,
    do_import,
    error_text,
    report_table,
    summary,
    tr,
)
from stadtraum.ui.i18n import lang
from stadtraum.ui.maps.map_view import show_map
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import settings

__all__ = ["import_section"]

MAP_HEIGHT = 420


# --- looking at the file ---------------------------------------------------------------------

def _inspect(data: bytes, name: str, file_key: str, actor: Actor, fields: FieldChoice | None,
             layer: str | None, assume_crs: str | None) -> Inspection:
    cache = st.session_state.setdefault(INSPECTED, {})
    key = (file_key, fields, layer, assume_crs)
    if key not in cache:
        if len(cache) > 8:
            cache.clear()
        cache[key] = inspect_upload(data, name, actor=actor, fields=fields, layer=layer,
                                    assume_crs=assume_crs, settings=settings())
    inspection: Inspection = cache[key]
    return inspection


def _choose_fields(first: Inspection, fk: str) -> FieldChoice | None:
    """The three field choosers, preselected from the detection; None until both are set."""
    columns = first.columns
    for kind, value in (("code", first.code_field), ("name", first.name_field),
                        ("parent", first.parent_field or NO_PARENT)):
        if f"geb_{kind}_{fk}" not in st.session_state and (value in columns or not value):
            st.session_state[f"geb_{kind}_{fk}"] = value
    st.markdown(tr("**Felder der Datei**", "**Fields of the file**"))
    left, middle, right = st.columns(3)
    name = left.selectbox(tr("Name", "Name"), columns, key=f"geb_name_{fk}",
                          index=None, placeholder=tr("bitte wählen", "please choose"))
    code = middle.selectbox(tr("Schlüssel", "Code"), columns,
                            key=f"geb_code_{fk}", index=None,
                            placeholder=tr("bitte wählen", "please choose"),
                            help=tr("Eindeutig je Gebiet, z. B. die Bezirksnummer.",
                                    "Unique per area, e.g. the district number."))
    parent = right.selectbox(
        tr("Übergeordnetes Gebiet", "Parent area"), [NO_PARENT, *columns],
        key=f"geb_parent_{fk}",
        format_func=lambda c: c or tr("kein Feld: nach Lage", "no field: by location"),
        help=tr("Schlüssel des übergeordneten Gebiets (z. B. Stadtbezirksnummer). Ohne Feld "
                "wird jedes Gebiet dem übergeordneten Gebiet zugeordnet, mit dem es sich am "
                "meisten überlappt.", "Code of the parent area. Without a field each area "
                "goes to the parent it overlaps most."))
    if name is None or code is None:
        return None
    return FieldChoice(str(code), str(name), str(parent) or None)


def _crs(ins: Inspection, fk: str) -> bool:
    """Show the coordinate system; True when it may be used (named by the file or ticked)."""
    if not ins.crs_guessed:
        st.markdown(tr(f"**Koordinatensystem:** {md_literal(ins.source_crs)} (aus der Datei)",
                       f"**Coordinate system:** {md_literal(ins.source_crs)} (from the file)"))
        return True
    others = [c for c in ins.crs_alternatives if c != ins.source_crs]
    st.warning(tr(
        f"**Koordinatensystem geschätzt: {md_literal(ins.source_crs)}.** Die Datei nennt "
        "keines; die Koordinaten passen zu diesem." + (
            f" Ebenfalls möglich: {md_literal(', '.join(others))}." if others else "")
        + " Bitte auf der Karte prüfen, ob die Gebiete an der richtigen Stelle liegen.",
        f"**Coordinate system guessed: {md_literal(ins.source_crs)}.** The file names none; "
        "the coordinates fit this one." + (
            f" Also possible: {md_literal(', '.join(others))}." if others else "")
        + " Check on the map that the areas lie in the right place."))
    return st.checkbox(tr(f"Die Gebiete liegen richtig: {ins.source_crs} verwenden",
                          f"The areas are in the right place: use {ins.source_crs}"),
                       key=f"geb_crs_ok_{fk}_{ins.source_crs}")


def _preview(ins: Inspection, fk: str) -> None:
    features = picker_geojson(ins.preview)
    if not features["features"]:
        return
    st.caption(tr("Vorschau: die Gebiete mit ihren Namen (vereinfacht dargestellt; "
                  "gespeichert wird die Originalgeometrie).",
                  "Preview: the areas with their names (drawn simplified; the original "
                  "geometry is stored)."))
    show_map(picker_map(features, basemap_key=settings().basemap), key=f"geb_map_{fk}",
             height=MAP_HEIGHT)


def import_section(actor: Actor, levels: list[BoundaryLevelRow]) -> None:
    """Upload → preview → fields → CRS → report → import → summary."""
    done = st.session_state.get(DONE)
    if isinstance(done, ImportReport):
        summary(done)
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    uploaded = st.file_uploader(
        tr(f"Grenzdatei: GeoJSON, GeoPackage oder Shapefile als ZIP (höchstens {limit_mb} MB)",
           f"Boundary file: GeoJSON, GeoPackage or Shapefile as ZIP (at most {limit_mb} MB)"),
        type=["geojson", "json", "gpkg", "zip"], max_upload_size=limit_mb,
        key=f"geb_upload_{st.session_state.get(UPLOADS, 0)}")
    if uploaded is None:
        return
    data, name = uploaded.getvalue(), uploaded.name
    fk = hashlib.sha256(data).hexdigest()[:16] + str(len(data))
    st.session_state.pop(DONE, None)
    try:
        first = _inspect(data, name, fk, actor, None, None, None)
        layer = first.layer
        if len(first.layers) > 1:
            layer = st.selectbox(tr("Ebene der GeoPackage-Datei", "GeoPackage layer"),
                                 first.layers, key=f"geb_layer_{fk}")
            first = _inspect(data, name, fk, actor, None, layer, None)
        st.markdown(tr(f"**{md_literal(first.filename)}**: {first.n_features} Objekte",
                       f"**{md_literal(first.filename)}**: {first.n_features} features"))
        fields = _choose_fields(first, fk)
        ins = first if fields is None or fields == FieldChoice(
            first.code_field or "", first.name_field or "", first.parent_field) \
            else _inspect(data, name, fk, actor, fields, layer, None)
    except StadtraumError as exc:  # the file itself was refused: nothing stored
        st.error(md_literal(error_text(exc)))
        return
    confirmed = _crs(ins, fk)
    if ins.problem_de is not None:
        st.error(md_literal(ins.problem_en if lang() == "en" else ins.problem_de))
    if fields is None:
        st.info(tr("Bitte das Feld mit dem Namen und das mit dem Schlüssel wählen.",
                   "Please choose the name field and the code field."))
        return
    _preview(ins, fk)
    st.markdown(tr("**Prüfbericht**", "**Check report**"))
    report_table(ins.rows, key=f"geb_report_{fk}")
    if not ins.ok:
        return
    with st.container(border=True):
        st.markdown(tr("**Importieren**", "**Import**"))
        target = choose_target(levels)
        if st.button(tr("Gebiete importieren", "Import areas"), type="primary",
                     key="geb_import", disabled=not confirmed or not target[1].strip()):
            do_import(data, name, ins, fields, target, confirmed, actor)
        if not confirmed:
            st.caption(tr("Erst das geschätzte Koordinatensystem bestätigen.",
                          "Confirm the guessed coordinate system first."))
        elif not target[1].strip():
            st.caption(tr("Bitte einen Namen für die Ebene angeben.",
                          "Please name the level."))
