"""Shared builders for database tests: a tiny two-level city, a campaign, payloads, counts.

Boundaries are written directly through the ORM models (no geodata import code): every
quarter is a small square in EPSG:4326 (inside Bochum), every district the union of its
quarters, stored as shapely WKB like the importer does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import shapely
from shapely.geometry import box
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.collect.payload import CommentIn, ResponsePayload
from stadtraum.criteria import DEFAULT_CATALOGUE
from stadtraum.store.campaigns import create_campaign
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import Area, AreaLevel, BoundarySet, Response
from stadtraum.store.engine import write_engine

# district code -> its quarter codes
DEFAULT_LAYOUT: Mapping[str, Sequence[str]] = {"D1": ("Q1", "Q2"), "D2": ("Q3",)}
SURVEY_DATE = dt.date(2025, 5, 6)
_X0, _Y0, _SIDE = 7.20, 51.45, 0.01  # degrees, EPSG:4326


@dataclass(frozen=True)
class City:
    boundary_set_id: int
    district_level_id: int
    quarter_level_id: int
    area_ids: dict[str, int]  # area code (both levels) -> database id
    campaign_id: int

    def area_id(self, code: str) -> int:
        return self.area_ids[code]


def make_city(engine: Engine, *, layout: Mapping[str, Sequence[str]] = DEFAULT_LAYOUT,
              name: str = "Teststadt", campaign: str = "Befragung 2025", min_n: int = 5,
              status: str = "open", catalogue_id: str = DEFAULT_CATALOGUE) -> City:
    """A boundary set with a district level (rank 0) and a quarter level (rank 1) of tiny
    squares, and a campaign on the quarter level."""
    area_ids: dict[str, int] = {}
    with Session(write_engine(engine)) as session, session.begin():
        bset = BoundarySet(name=name, version=1)
        session.add(bset)
        session.flush()
        districts = AreaLevel(boundary_set_id=bset.id, name="Stadtbezirk", rank=0)
        quarters = AreaLevel(boundary_set_id=bset.id, name="Quartier", rank=1)
        session.add_all([districts, quarters])
        session.flush()
        col = 0
        for dcode, qcodes in layout.items():
            squares = []
            for _ in qcodes:
                squares.append(box(_X0 + col * _SIDE, _Y0, _X0 + (col + 1) * _SIDE, _Y0 + _SIDE))
                col += 1
            district = Area(level_id=districts.id, code=dcode, name=f"Bezirk {dcode}",
                            geometry_wkb=shapely.to_wkb(shapely.union_all(squares)))
            session.add(district)
            session.flush()
            area_ids[dcode] = district.id
            for qcode, geom in zip(qcodes, squares, strict=True):
                quarter = Area(level_id=quarters.id, code=qcode, name=f"Quartier {qcode}",
                               parent_id=district.id, geometry_wkb=shapely.to_wkb(geom))
                session.add(quarter)
                session.flush()
                area_ids[qcode] = quarter.id
        bset_id, dl_id, ql_id = bset.id, districts.id, quarters.id
    campaign_id = create_campaign(engine, name=campaign, level_id=ql_id,
                                  catalogue_id=catalogue_id, min_n=min_n, status=status)
    return City(bset_id, dl_id, ql_id, area_ids, campaign_id)


def add_campaign(engine: Engine, city: City, name: str, *, min_n: int = 5,
                 status: str = "open", catalogue_id: str = DEFAULT_CATALOGUE) -> int:
    return create_campaign(engine, name=name, level_id=city.quarter_level_id,
                           catalogue_id=catalogue_id, min_n=min_n, status=status)


def make_payload(campaign_id: int, area_code: str | None = "Q1",
                 ratings: Mapping[str, Any] | None = None, *, response_id: str | None = None,
                 mode: str = "street", comments: Sequence[tuple[str, str, str]] = (),
                 survey_date: dt.date | None = SURVEY_DATE, **kwargs: Any) -> ResponsePayload:
    """A payload; ``comments`` as (criterion id, kind, text) triples."""
    return ResponsePayload(
        response_id=response_id or str(uuid.uuid4()), campaign_id=campaign_id, mode=mode,
        ratings=dict(ratings if ratings is not None else {"moving_around": 4}),
        area_code=area_code, comments=tuple(CommentIn(*c) for c in comments),
        survey_date=survey_date, **kwargs)


def count_rows(engine: Engine, table: str, where: str = "") -> int:
    with engine.connect() as conn:
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return int(conn.execute(text(sql)).scalar_one())


def change_counter(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT value FROM change_counter WHERE id = 1"))
                   .scalar_one())


def set_status(engine: Engine, response_id: str, status: str) -> None:
    """Change a response's status the way a void or flag does: in a write transaction that
    bumps the change counter and stamps the row with the new value."""
    with Session(write_engine(engine)) as session, session.begin():
        seq = next_change_seq(session)
        session.execute(update(Response).where(Response.uuid == response_id)
                        .values(status=status, change_seq=seq))


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the ``stadtraum`` command in-process: (exit code, stdout, stderr)."""
    from stadtraum.cli.main import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err
