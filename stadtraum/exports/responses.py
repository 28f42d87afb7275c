"""Use case: export the valid responses of one or more campaigns as CSV, one row per
response, streamed in chunks.

The ratings and characteristics come from the statistics engine's arrays (which the app
holds anyway and which are brought up to date first), so a million responses do not mean
reading fourteen million rating rows again. Per chunk, two small indexed range queries add
what the arrays lack: each response's public id (its UUID) and its priorities. Memory beyond
the engine's arrays is one chunk plus 8 bytes per exported response.

What is exported (data minimisation): no helper names, no times of day, no coordinates, no
comments (free text may name people; comments have their own internal view). Area names
come from imported files and are neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.analysis.cube import EPOCH, ResponseCube
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.errors import ValidationError
from stadtraum.exports.spreadsheet import neutralise
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.catalogues import catalogue_for
from stadtraum.store.db import Area
from stadtraum.store.engine import write_engine
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS, STATUSES, Vocabulary

CHUNK = 50_000
Progress = Callable[[int, int], None]
_VALID = STATUSES.index("valid")
FIXED_COLUMNS = ("antwort_id", "befragung", "gebiet_code", "gebiet", "erhebungsart", "datum",
                 "altersgruppe", "geschlecht", "bezug")
PRIORITY_COLUMNS = ("prioritaet_1", "prioritaet_2", "prioritaet_3")


@dataclass(frozen=True)
class ExportPlan:
    campaign_ids: tuple[int, ...]
    campaign_names: dict[int, str]
    criteria: tuple[str, ...]  # rating columns, in catalogue order

    @property
    def columns(self) -> list[str]:
        return [*FIXED_COLUMNS, *self.criteria, *PRIORITY_COLUMNS]


def plan_export(engine: Engine, campaigns: Sequence[str | int], *, actor: Actor) -> ExportPlan:
    """Which campaigns and which criterion columns (the union of their catalogues). Needs
    ``responses.export``, as every step of the export does."""
    require(actor, "responses.export")
    if not campaigns:
        raise ValidationError("Bitte mindestens eine Befragung angeben.",
                              "no campaign given", field="campaign")
    with Session(engine) as session:
        found = [find_campaign(session, c) for c in campaigns]
        criteria: dict[str, None] = {}
        for campaign in found:
            for crit in catalogue_for(session, campaign.catalogue_id).criteria:
                criteria.setdefault(crit.id, None)
        ids = tuple(dict.fromkeys(c.id for c in found))
        names = {c.id: c.name for c in found}
    return ExportPlan(ids, names, tuple(criteria))


def csv_field(value: str) -> str:
    """One CSV field (RFC 4180): quoted when it holds a separator, a quote or a line break;
    neutralised first so a spreadsheet never reads it as a formula."""
    value = str(neutralise(value))
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _labels(vocab: Vocabulary) -> np.ndarray:
    """Index -> German label as a CSV field; the last slot (index -1) is "no answer"."""
    return np.array([*(csv_field(x) for x in vocab.labels_de), ""], dtype=object)


_SCORES = np.array(["", "1", "2", "3", "4", "5", "6", "7"], dtype=object)  # 0 = keine Angabe


def _area_table(engine: Engine, area_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                np.ndarray]:
    """Sorted area ids and their code and name as CSV fields (user text from files)."""
    wanted = [int(a) for a in np.unique(area_ids)]
    with Session(engine) as session:
        rows = sorted((int(i), str(c), str(n)) for i, c, n in session.execute(
            select(Area.id, Area.code, Area.name).where(Area.id.in_(wanted)))) if wanted else []
    return (np.array([r[0] for r in rows], dtype=np.int64),
            np.array([csv_field(r[1]) for r in rows], dtype=object),
            np.array([csv_field(r[2]) for r in rows], dtype=object))


def _side_sql(plan: ExportPlan, criteria: tuple[str, ...]) -> tuple[str, str, dict[str, object]]:
    """Two range scans over primary keys. No campaign condition: the ids come from the
    engine's selection already, and with one SQLite would scan the campaign's index instead
    of the id range. Priorities come back as numbers (rank * 64 + criterion position)."""
    params: dict[str, object] = {f"k{i}": cid for i, cid in enumerate(criteria)}
    whens = " ".join(f"WHEN :k{i} THEN {i}" for i in range(len(criteria)))
    uuids = "SELECT id, uuid FROM responses WHERE id BETWEEN :lo AND :hi ORDER BY id"
    prios = (f"SELECT response_id, rank * 64 + CASE criterion_id {whens} ELSE 63 END "
             "FROM priorities WHERE response_id BETWEEN :lo AND :hi")
    return uuids, prios, params


def _side_data(engine: Engine, sql: tuple[str, str, dict[str, object]], ids: np.ndarray,
               criteria: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """For the sorted response ids of a chunk: which still exist, their UUIDs and their three
    priority fields, aligned with numpy."""
    uuid_sql, prio_sql, params = sql
    bounds = {"lo": int(ids[0]), "hi": int(ids[-1])}
    with engine.connect() as conn:
        found = conn.execute(text(uuid_sql), bounds).all()
        prio_rows = conn.execute(text(prio_sql), {**params, **bounds}).all()
    id_col, uuid_col = zip(*found, strict=True) if found else ((), ())
    found_ids = np.array(id_col, dtype=np.int64)
    pos = np.searchsorted(found_ids, ids)
    exists = pos < len(found_ids)
    exists[exists] = found_ids[pos[exists]] == ids[exists]
    kept = ids[exists]
    uuids = np.array(uuid_col, dtype=object)[pos[exists]]
    prios = [np.full(len(kept), "", dtype=object) for _ in range(3)]
    if prio_rows:
        rid_col, code_col = zip(*prio_rows, strict=True)
        rid, code = np.array(rid_col, dtype=np.int64), np.array(code_col, dtype=np.int64)
        at = np.searchsorted(kept, rid)
        hit = at < len(kept)
        hit[hit] = kept[at[hit]] == rid[hit]
        rank, crit = code // 64, code % 64
        for k in range(3):
            mine = hit & (rank == k + 1)
            prios[k][at[mine]] = criteria[crit[mine]]
    return exists, [uuids, *prios]


def _chunk_lines(cube: ResponseCube, rows: np.ndarray, plan: ExportPlan,
                 areas: tuple[np.ndarray, np.ndarray, np.ndarray],
                 side: tuple[np.ndarray, list[np.ndarray]]) -> list[str]:
    exists, (uuids, *prios) = side
    rows = rows[exists]  # deleted since the engine loaded: skipped
    area_pos = np.searchsorted(areas[0], cube.col("area")[rows])
    days = cube.col("day")[rows].astype("timedelta64[D]") + np.datetime64(EPOCH.isoformat())
    campaign_field = {c: csv_field(name) for c, name in plan.campaign_names.items()}
    position = {c: k for k, c in enumerate(cube.criteria)}
    empty = np.full(len(rows), "", dtype=object)
    columns = [
        uuids, np.array([campaign_field[int(c)] for c in cube.col("campaign")[rows]],
                        dtype=object),
        areas[1][area_pos], areas[2][area_pos], _labels(MODES)[cube.col("mode")[rows]],
        np.datetime_as_string(days, unit="D").astype(object),
        _labels(AGE_BANDS)[cube.col("age")[rows]], _labels(GENDERS)[cube.col("gender")[rows]],
        _labels(RELATIONS)[cube.col("relation")[rows]],
        *(_SCORES[cube.scores[position[c], rows]] if c in position else empty
          for c in plan.criteria),
        *prios,
    ]
    return [",".join(fields) for fields in zip(*columns, strict=True)]


def write_responses_csv(engine: Engine, provider: CubeProvider, plan: ExportPlan, out: TextIO,
                        *, actor: Actor, chunk: int = CHUNK,
                        progress: Progress | None = None) -> int:
    """Write the header and every valid response of ``plan``'s campaigns to ``out`` (in id
    order, i.e. the order they were stored); returns the number of rows written."""
    require(actor, "responses.export")
    cube = provider.get()
    selected = np.flatnonzero(np.isin(cube.col("campaign"), plan.campaign_ids)
                              & (cube.col("status") == _VALID))
    selected = selected[np.argsort(cube.col("ids")[selected], kind="stable")]
    areas = _area_table(engine, cube.col("area")[selected])
    known = cube.criteria[:63]
    sql = _side_sql(plan, known)
    names = np.array([*known, *[""] * (64 - len(known))], dtype=object)  # 63: unknown
    out.write(",".join(plan.columns) + "\n")
    written = 0
    for start in range(0, len(selected), chunk):
        rows = selected[start:start + chunk]
        side = _side_data(engine, sql, cube.col("ids")[rows], names)
        lines = _chunk_lines(cube, rows, plan, areas, side)
        if lines:
            out.write("\n".join(lines) + "\n")
        written += len(lines)
        if progress is not None:
            progress(min(start + chunk, len(selected)), len(selected))
    return written


def record_export(engine: Engine, plan: ExportPlan, rows: int, *, actor: Actor) -> None:
    """Response-level data left the system: who, which campaigns, how many rows (audit log)."""
    require(actor, "responses.export")
    with Session(write_engine(engine)) as session, session.begin():
        audit(session, actor.name, "export_responses", "campaign",
              ",".join(str(c) for c in plan.campaign_ids), rows=rows)


def export_csv_text(engine: Engine, provider: CubeProvider, plan: ExportPlan, *,
                    actor: Actor) -> str:
    """The whole export as one text (for a download in the app), audited."""
    require(actor, "responses.export")
    buf = io.StringIO()
    rows = write_responses_csv(engine, provider, plan, buf, actor=actor)
    record_export(engine, plan, rows, actor=actor)
    return buf.getvalue()


def export_file_name(plan: ExportPlan, today: dt.date) -> str:
    return f"antworten_{'_'.join(str(c) for c in plan.campaign_ids)}_{today.isoformat()}.csv"
