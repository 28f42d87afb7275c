"""Use case: import one level of area boundaries from a file into a versioned boundary set.

Levels are data (name, rank). A level imported with ``parent_level`` gets its parents from a
parent-code field or, without one, by largest overlap. Importing a level that already
exists creates a new version of the boundary set (the levels above are carried over), so
campaigns collected on the old version keep their boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.config import Settings, load_settings
from stadtraum.errors import GeoImportError, NotFoundError, ValidationError
from stadtraum.geo.clean import prepare_layer
from stadtraum.geo.crs import crs_from_file
from stadtraum.geo.hierarchy import derive_parents
from stadtraum.geo.model import Note, PreparedLayer, feature_de, feature_en
from stadtraum.geo.read import DEFAULT_MAX_BYTES, read_boundary_file
from stadtraum.geo.report import ReportRow, report_rows, report_text
from stadtraum.store.audit import audit
from stadtraum.store.db import Area, AreaLevel, BoundarySet
from stadtraum.store.engine import write_engine
from stadtraum.store.limits import check_length, fit_length


@dataclass
class ImportReport:
    boundary_set: str
    version: int
    level: str
    rank: int
    n_areas: int
    source_crs: str
    parents_from: str  # "field", "overlap" or "" (top level)
    notes: list[Note] = field(default_factory=list)
    parent_level: str | None = None
    new_set: bool = False  # the boundary set was created by this import
    # (code, name, parent code, parent name) of every imported area, in file order
    areas: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)

    @property
    def rows(self) -> list[ReportRow]:
        """The validation and cleaning report (what the command line prints as notes)."""
        return report_rows(self.notes)

    def headline(self, lang: str = "de") -> str:
        if lang == "en":
            return (f"{self.n_areas} areas of level “{self.level}” imported (boundary set "
                    f"“{self.boundary_set}” version {self.version}, source {self.source_crs}"
                    + {"field": ", parents from a field",
                       "overlap": ", parents by overlap"}.get(self.parents_from, "") + ").")
        return (f"{self.n_areas} Gebiete der Ebene „{self.level}“ importiert (Grenzstand "
                f"„{self.boundary_set}“ Version {self.version}, Quelle {self.source_crs}"
                + {"field": ", übergeordnete Gebiete aus Feld",
                   "overlap": ", übergeordnete Gebiete per Überlappung"}.get(self.parents_from, "")
                + ").")

    def text(self, lang: str = "de") -> str:
        return "\n".join([self.headline(lang), *report_text(self.rows, lang)])


def _latest_set(session: Session, name: str) -> BoundarySet | None:
    return session.scalars(select(BoundarySet).where(BoundarySet.name == name)
                           .order_by(BoundarySet.version.desc())).first()


def _levels(session: Session, set_id: int) -> list[AreaLevel]:
    return list(session.scalars(select(AreaLevel).where(AreaLevel.boundary_set_id == set_id)
                                .order_by(AreaLevel.rank)))


def _parent_frame(session: Session, level_id: int) -> gpd.GeoDataFrame:
    rows = session.execute(select(Area.code, Area.geometry_wkb).where(Area.level_id == level_id))
    codes, geoms = [], []
    for code, wkb in rows:
        codes.append(code)
        geoms.append(shapely.from_wkb(bytes(wkb)))
    return gpd.GeoDataFrame({"code": codes}, geometry=geoms, crs="EPSG:4326")


def _new_version(session: Session, old: BoundarySet, keep_below_rank: int,
                 is_demo: bool) -> BoundarySet:
    """Copy the levels above ``keep_below_rank`` into a new version of ``old``."""
    new = BoundarySet(name=old.name, version=old.version + 1, is_demo=is_demo)
    session.add(new)
    session.flush()
    id_map: dict[int, int] = {}
    for lv in _levels(session, old.id):
        if lv.rank >= keep_below_rank:
            continue
        copy = AreaLevel(boundary_set_id=new.id, name=lv.name, rank=lv.rank, source=lv.source,
                         source_crs=lv.source_crs)
        session.add(copy)
        session.flush()
        for a in session.scalars(select(Area).where(Area.level_id == lv.id).order_by(Area.id)):
            na = Area(level_id=copy.id, code=a.code, name=a.name, geometry_wkb=a.geometry_wkb,
                      parent_id=id_map.get(a.parent_id) if a.parent_id else None)
            session.add(na)
            session.flush()
            id_map[a.id] = na.id
    return new


def _check_lengths(frame: gpd.GeoDataFrame, code_field: str, name_field: str) -> None:
    """Codes and names must fit their columns (PostgreSQL would refuse them raw)."""
    for row, (code, name) in enumerate(zip(frame["code"], frame["name"], strict=True)):
        for value, column, source, what in ((code, "code", code_field, "Der Schlüssel"),
                                            (name, "name", name_field, "Der Name")):
            check_length(str(value), Area, column, what_de=what, field=column,
                         where_de=f"{feature_de(row)}, Feld {source!r}: ",
                         where_en=f"{feature_en(row)}, field {source!r}: ")


def _check_valid(frame: gpd.GeoDataFrame) -> None:
    """The last guard: a geometry is stored only if it is valid as stored (EPSG:4326)."""
    for row in np.flatnonzero(~shapely.is_valid(np.asarray(frame.geometry.values))).tolist():
        raise GeoImportError(
            f"{feature_de(row)}: Die Geometrie ist nach der Bereinigung ungültig "
            f"({shapely.is_valid_reason(frame.geometry.values[row])}); nichts importiert.",
            f"{feature_en(row)}: geometry invalid after cleaning; nothing imported", row=row)


def import_areas(engine: Engine, path: Path, *, level: str, code_field: str | None = None,
                 name_field: str | None = None, parent_level: str | None = None,
                 parent_field: str | None = None, assume_crs: str | None = None,
                 layer: str | None = None, boundary_set: str = "Gebietsgliederung",
                 settings: Settings | None = None, actor: Actor,
                 is_demo: bool = False, confirm_crs: bool = True,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """Import a boundary file as a new area level. Needs ``areas.import``.

    ``confirm_crs=False`` refuses a file whose CRS was not named by the file itself (assumed
    from the coordinates or as given in ``assume_crs``): the upload page passes the admin's
    confirmation; on the command line ``--assume-crs`` is the explicit statement."""
    require(actor, "areas.import")
    settings = settings or load_settings()
    level = level.strip()
    if not level:
        raise GeoImportError("Name der Gebietsebene fehlt.", "level name missing")
    check_length(level, AreaLevel, "name", what_de="Der Name der Gebietsebene", field="level")
    if parent_field and parent_level is None:
        raise ValidationError(
            f"Das Feld {parent_field!r} soll die übergeordneten Gebiete nennen, aber es ist "
            "keine übergeordnete Ebene gewählt.",
            f"parent field {parent_field!r} given without a parent level", field="parent_level")
    check_length(boundary_set, BoundarySet, "name", what_de="Der Name der Gebietsgliederung",
                 field="boundary_set")
    raw = read_boundary_file(Path(path), region=settings.region, layer=layer,
                             assume_crs=assume_crs, max_bytes=max_bytes)
    if not confirm_crs and not crs_from_file(raw.notes):
        raise ValidationError(
            f"Die Datei {Path(path).name!r} nennt ihr Koordinatensystem nicht; angenommen "
            f"wird {raw.source_crs}. Bitte auf der Karte prüfen und die Annahme bestätigen.",
            f"{Path(path).name!r} names no CRS ({raw.source_crs} assumed): confirmation "
            "required", field="crs")
    prepared: PreparedLayer = prepare_layer(raw, code_field=code_field, name_field=name_field,
                                            parent_field=parent_field,
                                            metric_crs=settings.metric_crs)
    notes = list(prepared.notes)  # already starts with the reading notes
    frame = prepared.frame
    _check_lengths(frame, prepared.code_field, prepared.name_field)
    _check_valid(frame)
    with Session(write_engine(engine)) as session, session.begin():
        bset = _latest_set(session, boundary_set)
        new_set = bset is None
        if bset is None:
            bset = BoundarySet(name=boundary_set, version=1, is_demo=is_demo)
            session.add(bset)
            session.flush()
        levels = {lv.name: lv for lv in _levels(session, bset.id)}
        if level in levels:
            bset = _new_version(session, bset, levels[level].rank, is_demo)
            levels = {lv.name: lv for lv in _levels(session, bset.id)}
            notes.append(Note("new_version", f"Ebene „{level}“ gab es schon: neuer Grenzstand "
                              f"Version {bset.version} angelegt; bestehende Befragungen behalten "
                              "ihre Grenzen. Tiefere Ebenen bitte neu importieren.",
                              f"level {level!r} existed: new boundary version {bset.version}"))
        parent: AreaLevel | None = None
        if parent_level is not None:
            parent = levels.get(parent_level)
            if parent is None:
                raise NotFoundError(
                    f"Übergeordnete Ebene „{parent_level}“ gibt es im Grenzstand „{bset.name}“ "
                    f"nicht (vorhanden: {', '.join(levels) or 'keine'}).",
                    f"parent level {parent_level!r} not found")
        rank = parent.rank + 1 if parent else (max((lv.rank for lv in levels.values()),
                                                    default=-1) + 1)
        if any(lv.rank == rank for lv in levels.values()):
            raise GeoImportError(
                f"Unter „{parent_level}“ gibt es schon eine Ebene; bitte die tiefere Ebene "
                "zuerst als neue Version importieren.", f"rank {rank} is taken")
        parents_from = ""
        parent_ids: list[int | None] = [None] * len(frame)
        parent_codes: list[str | None] = [None] * len(frame)
        name_of: dict[str, str] = {}
        if parent is not None:
            pframe = _parent_frame(session, parent.id)
            if parent_field:
                codes = [None if c is None else str(c) for c in frame["parent_code"]]
                parents_from = "field"
            else:
                assignment = derive_parents(frame, pframe, metric_crs=settings.metric_crs)
                codes, parents_from = assignment.codes, "overlap"
                notes += assignment.notes
            id_of: dict[str, int] = {}
            for code, area_id, area_name in session.execute(
                    select(Area.code, Area.id, Area.name).where(Area.level_id == parent.id)):
                id_of[str(code)], name_of[str(code)] = int(area_id), str(area_name)
            for i, c in enumerate(codes):
                if c is not None and c not in id_of:
                    raise GeoImportError(
                        f"Objekt {i + 1}: übergeordnetes Gebiet „{c}“ gibt es in der Ebene "
                        f"„{parent.name}“ nicht.", f"feature {i + 1}: parent {c!r} not found",
                        row=i)
            parent_ids = [None if c is None else id_of[c] for c in codes]
            parent_codes = list(codes)
        lv = AreaLevel(boundary_set_id=bset.id, name=level, rank=rank, source=Path(path).name,
                       source_crs=fit_length(raw.source_crs, AreaLevel, "source_crs"))
        session.add(lv)
        session.flush()
        session.execute(insert(Area), [
            {"level_id": lv.id, "code": str(r.code), "name": str(r.name),
             "parent_id": pid, "geometry_wkb": shapely.to_wkb(r.geometry)}
            for r, pid in zip(frame.itertuples(), parent_ids, strict=True)])
        audit(session, actor.name, "import", "area_level", lv.id, file=Path(path).name,
              n=len(frame), level=level, boundary_set=bset.name, version=bset.version,
              parent_level=parent.name if parent is not None else None,
              crs=raw.source_crs)
        return ImportReport(
            bset.name, bset.version, level, rank, len(frame), raw.source_crs, parents_from,
            notes, parent_level=parent.name if parent is not None else None, new_set=new_set,
            areas=[(str(r.code), str(r.name), pc, None if pc is None else name_of.get(pc))
                   for r, pc in zip(frame.itertuples(), parent_codes, strict=True)])
