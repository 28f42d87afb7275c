"""Turn a read layer into validated areas: code, name, parent code and a clean coverage."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from stadtraum.geo import coverage
from stadtraum.geo.fields import normalise_text, resolve_fields
from stadtraum.geo.model import (
    Note,
    PreparedLayer,
    RawLayer,
    feature_de,
    feature_en,
    reject,
)

__all__ = ["DEFAULT_GAP_WIDTH_M", "PreparedLayer", "prepare_layer"]

# Gaps between neighbours narrower than this (metres) are slivers and get closed.
DEFAULT_GAP_WIDTH_M = 5.0

_KIND_DE = {"Point": "ein Punkt", "MultiPoint": "Punkte", "LineString": "eine Linie",
            "MultiLineString": "Linien", "LinearRing": "eine Linie"}


def prepare_layer(raw: RawLayer, *, code_field: str | None, name_field: str | None,
                  parent_field: str | None = None, metric_crs: str = "EPSG:25832",
                  gap_width_m: float = DEFAULT_GAP_WIDTH_M) -> PreparedLayer:
    """Validate and clean ``raw``; reject the file with the first bad feature named.

    ``code_field``/``name_field`` ``None`` means: detect them. The returned frame has the
    columns ``code`` (str), ``name`` (str), ``parent_code`` (str or None, from
    ``parent_field``) and ``geometry`` (Polygon/MultiPolygon, EPSG:4326) in file order.
    ``notes`` holds the reading notes of ``raw`` followed by the ones from this step.
    """
    frame = raw.frame
    geom_name = frame.geometry.name
    attrs = pd.DataFrame(frame.drop(columns=geom_name))
    code_field, name_field, parent_field, field_notes = resolve_fields(
        attrs, code_field, name_field, parent_field)
    notes = [*raw.notes, *field_notes]
    codes, names, parents = _attributes(attrs, code_field, name_field, parent_field)
    geoms, had_z = _geometries(list(frame.geometry.values), codes)
    if had_z:
        notes.append(Note("z_dropped", "Höhenwerte (Z) der Geometrien wurden verworfen.",
                          "Z coordinates were dropped"))
    labels = [f"{c} {n}" for c, n in zip(codes, names, strict=True)]
    metric = coverage.MetricFrame(geoms, metric_crs)
    repaired, repair_notes = coverage.repair(metric.metric, labels)
    notes.extend(repair_notes)
    cleaned, report, clean_notes = coverage.clean(repaired, gap_width_m=gap_width_m,
                                                  labels=labels)
    final = np.asarray(geoms, dtype=object)
    # Rows that went through GEOS come back via the vertex map (kept vertices are exact).
    rows = (list(range(len(final))) if report.ran
            else sorted(n.row for n in repair_notes if n.row is not None))
    if rows:
        final[rows] = coverage.keep_types(final[rows], metric.to_wgs84(cleaned[rows]))
    final, valid_notes = coverage.ensure_valid(final, labels,
                                               {n.row for n in repair_notes if n.row is not None})
    notes.extend(valid_notes)
    summary = coverage.report_note(report, labels, gap_width_m)
    if summary is not None:
        notes.append(summary)
    notes.extend(clean_notes)
    out = gpd.GeoDataFrame(
        {"code": pd.Series(codes, dtype=object), "name": pd.Series(names, dtype=object),
         "parent_code": pd.Series(parents, dtype=object)},
        geometry=gpd.GeoSeries(final, crs="EPSG:4326"), crs="EPSG:4326")
    return PreparedLayer(frame=out, notes=notes, code_field=code_field, name_field=name_field)


def _attributes(attrs: pd.DataFrame, code_field: str, name_field: str,
                parent_field: str | None) -> tuple[list[str], list[str], list[str | None]]:
    codes: list[str] = []
    names: list[str] = []
    parents: list[str | None] = []
    seen: dict[str, int] = {}
    code_values = attrs[code_field].tolist()
    name_values = attrs[name_field].tolist()
    parent_values: list[Any] = (attrs[parent_field].tolist() if parent_field is not None
                                else [None] * len(attrs))
    for row, (code_v, name_v, parent_v) in enumerate(
            zip(code_values, name_values, parent_values, strict=True)):
        code = normalise_text(code_v, row=row, field=code_field, what_de="Schlüssel",
                              what_en="code")
        name = normalise_text(name_v, row=row, field=name_field, what_de="Name", what_en="name")
        assert code is not None and name is not None  # required=True
        parent = (normalise_text(parent_v, row=row, field=parent_field, required=False,
                                 what_de="übergeordnete Schlüssel", what_en="parent code")
                  if parent_field is not None else None)
        if code in seen:
            first = seen[code]
            raise reject(
                f"Der Schlüssel {code!r} (Feld {code_field!r}) kommt mehrfach vor: "
                f"{feature_de(first)} und {feature_de(row)}. Schlüssel müssen eindeutig sein.",
                f"duplicate code {code!r} (field {code_field!r}): {feature_en(first)} and "
                f"{feature_en(row)}", row=row)
        seen[code] = row
        codes.append(code)
        names.append(name)
        parents.append(parent)
    return codes, names, parents


def _geometries(values: list[Any], codes: list[str]) -> tuple[list[BaseGeometry], bool]:
    """Check each feature is a non-empty polygon; returns 2D geometries and whether Z was seen."""
    out: list[BaseGeometry] = []
    had_z = False
    for row, geom in enumerate(values):
        where_de = f"{feature_de(row)} (Schlüssel {codes[row]!r})"
        where_en = f"{feature_en(row)} (code {codes[row]!r})"
        if geom is None or geom.is_empty:
            raise reject(f"{where_de}: Die Geometrie fehlt oder ist leer.",
                         f"{where_en}: geometry is missing or empty", row=row)
        if isinstance(geom, GeometryCollection) and not isinstance(geom, MultiPolygon):
            if any(not isinstance(p, Polygon) for p in shapely.get_parts(
                    shapely.get_parts(geom)) if not p.is_empty):
                raise reject(f"{where_de}: Die Geometriesammlung enthält Punkte oder Linien; "
                             "erwartet werden nur Flächen.",
                             f"{where_en}: geometry collection with points or lines", row=row)
            part = coverage.polygonal_part(geom)
            if part is None:
                raise reject(f"{where_de}: Die Geometrie ist leer.",
                             f"{where_en}: geometry is empty", row=row)
            geom = part
        if not isinstance(geom, Polygon | MultiPolygon):
            kind = _KIND_DE.get(geom.geom_type, geom.geom_type)
            raise reject(
                f"{where_de}: Die Geometrie ist {kind} ({geom.geom_type}); erwartet werden "
                "Flächen (Polygon oder MultiPolygon).",
                f"{where_en}: geometry is a {geom.geom_type}, expected a polygon", row=row)
        if shapely.has_z(geom):
            had_z = True
            geom = shapely.force_2d(geom)
        out.append(geom)
    return out, had_z
