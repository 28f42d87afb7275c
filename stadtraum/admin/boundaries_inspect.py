"""Use case: look at an uploaded boundary file before importing it (nothing is stored).

Reads the file with the same checks as the import (size, zip bomb and path traversal
refused before extraction, CRS and plausibility region), detects the name, code and parent
fields, guesses a CRS the file does not name, and runs the same preparation and cleaning as
the import, so the report shown is the one the import will give.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from stadtraum.accounts.permissions import Actor, require
from stadtraum.config import Settings, load_settings
from stadtraum.errors import GeoImportError
from stadtraum.geo.clean import prepare_layer
from stadtraum.geo.crs import CrsUnknownError, crs_from_file
from stadtraum.geo.display import display_geojson
from stadtraum.geo.fields import guess_parent_field, resolve_fields
from stadtraum.geo.model import RawLayer
from stadtraum.geo.read import DEFAULT_MAX_BYTES, read_boundary_file, spatial_layers
from stadtraum.geo.report import ReportRow, report_rows
from stadtraum.geo.upload import staged_upload

__all__ = ["FieldChoice", "Inspection", "boundary_source", "inspect_upload"]

log = logging.getLogger(__name__)
PREVIEW_TOLERANCE_M = 15.0


@dataclass(frozen=True)
class FieldChoice:
    """The fields an admin chose; ``parent_field`` ``None``: parents by overlap (or none)."""

    code_field: str
    name_field: str
    parent_field: str | None = None


@dataclass
class Inspection:
    """What the upload page shows before the import.

    ``problem_de``/``problem_en`` say why the file cannot be imported with these fields (the
    choosers stay, so another field can be tried); the file itself was readable.
    """

    filename: str
    n_features: int
    columns: list[str]
    source_crs: str
    crs_guessed: bool  # the file does not name its CRS: the import needs a confirmation
    assume_crs: str | None  # what to pass to the import (the guess), None: the file's
    crs_alternatives: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)  # a GeoPackage's layers with geometry
    layer: str | None = None
    code_field: str | None = None
    name_field: str | None = None
    parent_field: str | None = None
    preview: dict[str, Any] = field(default_factory=dict)  # FeatureCollection, code + name
    rows: list[ReportRow] = field(default_factory=list)
    problem_de: str | None = None
    problem_en: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem_de is None


def boundary_source(data: bytes | Path, filename: str | None,
                    max_bytes: int) -> AbstractContextManager[Path]:
    """A path to read: an upload staged in a temporary folder, or a file on the server."""
    if isinstance(data, Path):
        return nullcontext(data)
    return staged_upload(data, filename or "datei", max_bytes=max_bytes)


def _read(path: Path, settings: Settings, layer: str | None, assume_crs: str | None,
          max_bytes: int) -> tuple[RawLayer, str | None, list[str]]:
    """The layer as read, the CRS that had to be assumed (or None) and the alternatives."""
    try:
        raw = read_boundary_file(path, region=settings.region, layer=layer,
                                 assume_crs=assume_crs, max_bytes=max_bytes)
    except CrsUnknownError as exc:
        if assume_crs is not None or not exc.suggestions:
            raise
        guess = exc.suggestions[0]
        raw = read_boundary_file(path, region=settings.region, layer=layer, assume_crs=guess,
                                 max_bytes=max_bytes)
        return raw, guess, exc.suggestions
    return raw, None if crs_from_file(raw.notes) else raw.source_crs, []


def inspect_upload(data: bytes | Path, filename: str | None = None, *, actor: Actor,
                   fields: FieldChoice | None = None, layer: str | None = None,
                   assume_crs: str | None = None, settings: Settings | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> Inspection:
    """Read and check an upload; needs ``areas.import``. Stores nothing.

    ``fields`` ``None`` detects them (the preselection); ``layer`` picks a GeoPackage layer
    (default: the first with geometry); ``assume_crs`` replaces the guess for a file without
    CRS. A file that cannot be read raises :class:`GeoImportError` naming the file and the
    reason; a problem with the chosen fields is returned in the inspection.
    """
    require(actor, "areas.import")
    settings = settings or load_settings()
    try:
        with boundary_source(data, filename, max_bytes) as path:
            return _inspect(path, settings, fields, layer, assume_crs, max_bytes)
    except GeoImportError as exc:
        log.info("boundary file %r refused: %s", filename or str(data), exc.message_en)
        raise


def _inspect(path: Path, settings: Settings, fields: FieldChoice | None, layer: str | None,
             assume_crs: str | None, max_bytes: int) -> Inspection:
    layers = spatial_layers(path) if path.suffix.lower() == ".gpkg" else []
    if layers and layer is None:
        layer = layers[0]
    raw, assumed, alternatives = _read(path, settings, layer, assume_crs, max_bytes)
    frame = raw.frame
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out = Inspection(filename=path.name, n_features=len(frame),
                     columns=[str(c) for c in attrs.columns], source_crs=raw.source_crs,
                     crs_guessed=assumed is not None,
                     assume_crs=assumed, crs_alternatives=alternatives, layers=layers,
                     layer=layer)
    try:
        detected: list[ReportRow] = []
        if fields is None:
            code, name, _, notes = resolve_fields(attrs, None, None, None)
            fields = FieldChoice(code, name, guess_parent_field(attrs, code, name))
            detected = report_rows(notes)
        out.code_field, out.name_field = fields.code_field, fields.name_field
        out.parent_field = fields.parent_field
        prepared = prepare_layer(raw, code_field=fields.code_field,
                                 name_field=fields.name_field, parent_field=fields.parent_field,
                                 metric_crs=settings.metric_crs)
    except GeoImportError as exc:
        log.info("boundary file %r: %s", path.name, exc.message_en)
        out.problem_de, out.problem_en = exc.message_de, exc.message_en
        return out
    rows = report_rows(prepared.notes)  # the reading notes first, then the cleaning
    n_read = len(raw.notes)
    out.rows = [*rows[:n_read], *detected, *rows[n_read:]]
    out.preview = display_geojson(prepared.frame, metric_crs=settings.metric_crs,
                                  tolerance_m=PREVIEW_TOLERANCE_M)
    return out
