"""Use cases of the boundary import (issue 11, item 4), for the page "Gebiete" and for the
command line alike: import a boundary file as a level of a versioned boundary set, list
the boundary sets with their levels, and import a level's street directory.

Each checks ``areas.import`` itself; the import writes the areas and its audit row in one
transaction, so a refused file stores nothing. Looking at a file before the import is
:func:`stadtraum.admin.boundaries_inspect.inspect_upload`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.admin.boundaries_inspect import (
    FieldChoice,
    Inspection,
    boundary_source,
    inspect_upload,
)
from stadtraum.config import Settings
from stadtraum.errors import NotFoundError, StadtraumError, ValidationError
from stadtraum.files.tables import MAX_BYTES as STREETS_MAX_BYTES
from stadtraum.geo.area_import import ImportReport, import_areas
from stadtraum.geo.model import human_size
from stadtraum.geo.read import DEFAULT_MAX_BYTES
from stadtraum.geo.streets import import_streets as replace_streets
from stadtraum.geo.streets import read_street_csv
from stadtraum.geo.upload import safe_name
from stadtraum.store.db import Area, AreaLevel, BoundarySet, Campaign, Street
from stadtraum.store.queries import list_levels

__all__ = ["DEFAULT_BOUNDARY_SET", "MAX_UPLOAD_BYTES", "BoundaryLevelRow", "FieldChoice",
           "ImportReport", "Inspection", "StreetReport", "import_boundaries", "import_streets",
           "inspect_upload", "list_boundary_sets"]

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = DEFAULT_MAX_BYTES  # the same limit on the page and on the command line
DEFAULT_BOUNDARY_SET = "Gebietsgliederung"
STREET_SUFFIXES = (".csv", ".txt")


def import_boundaries(engine: Engine, data: bytes | Path, filename: str | None = None, *,
                      level: str, actor: Actor, boundary_set: str = DEFAULT_BOUNDARY_SET,
                      code_field: str | None = None, name_field: str | None = None,
                      parent_level: str | None = None, parent_field: str | None = None,
                      assume_crs: str | None = None, layer: str | None = None,
                      confirm_crs: bool = False, settings: Settings | None = None,
                      max_bytes: int = MAX_UPLOAD_BYTES) -> ImportReport:
    """Import an uploaded file (``data`` bytes with the browser's ``filename``) or a file on
    the server (``data`` a path) as the level ``level`` of ``boundary_set``. Needs
    ``areas.import``.

    The set is created at its first import; a level that is new in the set's newest
    version is added to it; importing a level the newest version already has creates the
    next version (levels above are carried over, campaigns keep theirs). ``parent_level``
    names the level above: parents come from ``parent_field`` or, without one, from the
    largest overlap. ``confirm_crs`` must be true when the file does not name its CRS.
    Fields left ``None`` are detected. Refused input raises naming file, field and reason.
    """
    require(actor, "areas.import")
    boundary_set = (boundary_set or "").strip()
    if not boundary_set:
        raise ValidationError("Bitte einen Namen für den Grenzstand angeben.",
                              "boundary set name missing", field="boundary_set")
    try:
        with boundary_source(data, filename, max_bytes) as path:
            return import_areas(engine, path, level=level, code_field=code_field,
                                name_field=name_field, parent_level=parent_level or None,
                                parent_field=parent_field or None, assume_crs=assume_crs,
                                layer=layer, boundary_set=boundary_set, settings=settings,
                                actor=actor, confirm_crs=confirm_crs, max_bytes=max_bytes)
    except StadtraumError as exc:
        log.info("boundary import of %r refused: %s", filename or str(data), exc.message_en)
        raise


@dataclass(frozen=True)
class BoundaryLevelRow:
    """One level of one version of a boundary set, with its area and campaign counts."""

    set_id: int
    set_name: str
    version: int
    created_at: dt.datetime
    is_demo: bool
    level_id: int
    level: str
    rank: int
    n_areas: int
    source: str
    source_crs: str
    n_campaigns: int
    n_streets: int
    newest: bool  # the newest version of its set name


def list_boundary_sets(engine: Engine, *, actor: Actor) -> list[BoundaryLevelRow]:
    """Every level of every boundary-set version, newest sets first, levels by rank. Needs
    ``areas.import`` (the page that imports shows them)."""
    require(actor, "areas.import")
    with Session(engine) as session:
        levels = list_levels(session)
        sets = {s.id: s for s in session.scalars(select(BoundarySet))}
        extra = {lv.id: (lv.source or "", lv.source_crs or "")
                 for lv in session.scalars(select(AreaLevel))}
        campaigns = dict(session.execute(select(Campaign.level_id, func.count(Campaign.id))
                                         .group_by(Campaign.level_id)).all())
        streets = dict(session.execute(select(Street.level_id, func.count(Street.id))
                                       .group_by(Street.level_id)).all())
    newest: dict[str, int] = {}
    for s in sets.values():
        newest[s.name] = max(newest.get(s.name, 0), s.version)
    rows = [BoundaryLevelRow(
        lv.boundary_set_id, lv.boundary_set_name, lv.version,
        sets[lv.boundary_set_id].created_at, sets[lv.boundary_set_id].is_demo, lv.id, lv.name,
        lv.rank, lv.n_areas, *extra.get(lv.id, ("", "")), int(campaigns.get(lv.id, 0)),
        int(streets.get(lv.id, 0)), newest[lv.boundary_set_name] == lv.version)
        for lv in levels]
    return sorted(rows, key=lambda r: (-r.set_id, r.rank))


@dataclass(frozen=True)
class StreetReport:
    """The outcome of a street-directory import."""

    level_id: int
    level: str
    boundary_set: str
    version: int
    lines: int  # data lines read
    pairs: int  # street–area pairs stored (duplicates of a line merged)
    streets: int  # distinct streets
    replaced: int  # pairs the level had before
    per_area: list[tuple[str, str, int]]  # (code, name, streets) of every area of the level

    def headline(self, lang: str = "de") -> str:
        if lang == "en":
            return (f"Street directory of level “{self.level}” (boundary set "
                    f"“{self.boundary_set}” version {self.version}): {self.pairs} street–area "
                    f"pairs of {self.streets} streets from {self.lines} lines imported; "
                    f"{self.replaced} earlier pairs replaced.")
        return (f"Straßenverzeichnis der Ebene „{self.level}“ (Grenzstand „{self.boundary_set}“ "
                f"Version {self.version}): {self.pairs} Zuordnungen von {self.streets} "
                f"Straßen aus {self.lines} Zeilen importiert; {self.replaced} bisherige "
                "Zuordnungen ersetzt.")


def _street_bytes(data: bytes | Path, filename: str | None) -> tuple[bytes, str]:
    if isinstance(data, Path):
        if not data.is_file():
            raise NotFoundError(f"Datei „{data}“ gibt es nicht.", "street file not found")
        shown, size = data.name, data.stat().st_size
    else:
        shown, size = safe_name(filename or "datei.csv"), len(data)
    suffix = Path(shown).suffix.lower()
    if suffix not in STREET_SUFFIXES:
        raise ValidationError(
            f"{shown!r}: Das Straßenverzeichnis muss eine CSV-Datei sein (.csv oder .txt), "
            f"nicht {suffix or '(ohne Endung)'!r}.",
            f"{shown!r}: street directory must be .csv/.txt, not {suffix!r}", field="file")
    if size > STREETS_MAX_BYTES:
        raise ValidationError(
            f"Die Datei {shown!r} ist zu groß ({human_size(size)}, erlaubt sind "
            f"{human_size(STREETS_MAX_BYTES)}).", f"{shown!r} is {size} bytes", field="file")
    if size == 0:
        raise ValidationError(f"Die Datei {shown!r} ist leer.", f"{shown!r} is empty",
                              field="file")
    return (data.read_bytes() if isinstance(data, Path) else data), shown


def import_streets(engine: Engine, data: bytes | Path, filename: str | None = None, *,
                   level_id: int, actor: Actor) -> StreetReport:
    """Replace the street directory of level ``level_id`` with a CSV (columns ``strasse``
    and ``gebiet``, the area code); every bad line is named and nothing changes. Needs
    ``areas.import``."""
    require(actor, "areas.import")
    with Session(engine) as session:
        level = session.get(AreaLevel, level_id)
        if level is None:
            raise NotFoundError(f"Gebietsebene {level_id} gibt es nicht.",
                                f"level {level_id} missing")
        bset = session.get(BoundarySet, level.boundary_set_id)
        before = session.scalar(select(func.count(Street.id))
                                .where(Street.level_id == level_id)) or 0
        level_name, set_name = level.name, bset.name if bset else ""
        version = bset.version if bset else 0
    try:
        raw, _ = _street_bytes(data, filename)
        rows = read_street_csv(raw)
        pairs = replace_streets(engine, level_id, rows, actor=actor)
    except StadtraumError as exc:
        log.info("street directory %r refused: %s", filename or str(data), exc.message_en)
        raise
    with Session(engine) as session:
        counts = session.execute(
            select(Area.code, Area.name, func.count(Street.id))
            .join(Street, Street.area_id == Area.id, isouter=True)
            .where(Area.level_id == level_id).group_by(Area.id, Area.code, Area.name)
            .order_by(Area.code)).all()
        streets = session.scalar(select(func.count(func.distinct(Street.name_key)))
                                 .where(Street.level_id == level_id)) or 0
    return StreetReport(level_id, level_name, set_name, version, len(rows), pairs,
                        int(streets), int(before),
                        [(str(c), str(n), int(k)) for c, n, k in counts])
