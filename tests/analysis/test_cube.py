"""The statistics engine's arrays (pure) against a naive pandas oracle, and the provider
that keeps them current from the database (snapshot + deltas) on both engines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.analysis import cube as cube_module
from stadtraum.analysis.cube import (
    EPOCH,
    FORMAT_VERSION,
    CubeFilter,
    CubeRows,
    ResponseCube,
    day_number,
)
from stadtraum.analysis.cube_store import CubeProvider, load_snapshot, read_change_seq
from stadtraum.collect.submit import submit_response
from stadtraum.store.db import StatsSnapshot
from stadtraum.store.engine import write_engine
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS, STATUSES, SURVEY_MODES
from tests.helpers import SURVEY_DATE, City, make_city, make_payload, set_status

K = 5
CRITERIA = tuple(f"c{k}" for k in range(K))
_COLS = ("ids", "campaign", "area", "mode", "age", "gender", "relation", "day", "status")
DAY0 = day_number(dt.date(2025, 3, 1))


# ------------------------------------------------------------------------------ builders


def random_rows(rng: np.random.Generator, n: int, *, first_id: int = 1,
                campaigns: tuple[int, ...] = (1, 2, 3), max_area: int = 12) -> CubeRows:
    ids = first_id + np.sort(rng.choice(n * 3, size=n, replace=False)).astype(np.int64)
    rng.shuffle(ids)  # the engine must not depend on the order of a batch
    return CubeRows(
        ids=ids,
        campaign=rng.choice(campaigns, size=n).astype(np.int32),
        area=rng.integers(1, max_area + 1, size=n).astype(np.int32),
        mode=rng.integers(0, len(MODES.codes), size=n).astype(np.int8),
        age=rng.integers(-1, len(AGE_BANDS.codes), size=n).astype(np.int8),
        gender=rng.integers(-1, len(GENDERS.codes), size=n).astype(np.int8),
        relation=rng.integers(-1, len(RELATIONS.codes), size=n).astype(np.int8),
        day=(DAY0 + rng.integers(0, 60, size=n)).astype(np.int32),
        status=rng.choice(len(STATUSES.codes), size=n, p=[0.85, 0.05, 0.05, 0.05])
        .astype(np.int8),
        scores=rng.integers(0, 8, size=(K, n)).astype(np.uint8),
    )


def take(rows: CubeRows, idx: Any) -> CubeRows:
    return CubeRows(**{c: getattr(rows, c)[idx] for c in _COLS}, scores=rows.scores[:, idx])


def frame_of(rows: CubeRows) -> pd.DataFrame:
    """The rows as a plain table (latest version per id wins when concatenated)."""
    data = {c: getattr(rows, c).astype(np.int64) for c in _COLS}
    data.update({f"s{k}": rows.scores[k].astype(np.int64) for k in range(K)})
    return pd.DataFrame(data)


def merge(table: pd.DataFrame, rows: CubeRows) -> pd.DataFrame:
    both = pd.concat([table, frame_of(rows)], ignore_index=True)
    return both.drop_duplicates("ids", keep="last").reset_index(drop=True)


def oracle(table: pd.DataFrame, flt: CubeFilter, area_pos: np.ndarray,
           n_pos: int) -> tuple[np.ndarray, np.ndarray]:
    """Load all rows, filter, group by (position, criterion, score): the naive way."""
    t = table
    keep = (t["status"] == STATUSES.index("valid")) & t["campaign"].isin(flt.campaign_ids)
    keep &= t["mode"].isin([MODES.index(m) for m in flt.modes])
    if flt.period is not None:
        keep &= t["day"].between(day_number(flt.period[0]), day_number(flt.period[1]))
    for col, codes, vocab in (("age", flt.age_bands, AGE_BANDS),
                              ("gender", flt.genders, GENDERS),
                              ("relation", flt.relations, RELATIONS)):
        if codes is not None:
            keep &= t[col].isin([vocab.index(c) for c in codes])
    t = t[keep & (t["area"] < len(area_pos))].copy()
    t["pos"] = area_pos[t["area"].to_numpy()]
    t = t[t["pos"] >= 0]
    counts = np.zeros((n_pos, K, 7), dtype=np.int64)
    long = t.melt(id_vars=["pos"], value_vars=[f"s{k}" for k in range(K)], var_name="k",
                  value_name="score")
    long = long[long["score"] > 0]
    for key, size in long.groupby(["pos", "k", "score"]).size().items():
        pos, k, score = cast(tuple[int, str, int], key)
        counts[pos, int(k[1:]), score - 1] = size
    resp = np.bincount(t["pos"].to_numpy(dtype=np.int64), minlength=n_pos)
    return counts, resp


def selected_share(table: pd.DataFrame, flt: CubeFilter) -> float:
    """Share of the filter's candidate rows (campaigns, modes, valid) its predicates keep."""
    base = dataclasses.replace(flt, period=None, age_bands=None, genders=None, relations=None)
    all_pos = np.arange(int(table["area"].max()) + 1)
    _, cand = oracle(table, base, all_pos, len(all_pos))
    _, sel = oracle(table, flt, all_pos, len(all_pos))
    return sel.sum() / max(cand.sum(), 1)


def assert_same(cube: ResponseCube, table: pd.DataFrame, flt: CubeFilter,
                area_pos: np.ndarray, n_pos: int) -> None:
    got_c, got_r = cube.histograms(flt, area_pos, n_pos)
    exp_c, exp_r = oracle(table, flt, area_pos, n_pos)
    assert got_c.shape == (n_pos, K, 7)
    np.testing.assert_array_equal(got_r, exp_r)
    np.testing.assert_array_equal(got_c, exp_c)


IDENTITY = np.arange(13)  # area id -> position (ids 1..12, position 0 unused)

FILTERS = {
    "campaign 1": CubeFilter((1,)),
    "two campaigns, all modes": CubeFilter((1, 3), modes=tuple(MODES.codes)),
    "focus groups only": CubeFilter((2,), modes=("focus_group",)),
    "no such campaign": CubeFilter((99,)),
    # row predicates keeping a minority of the candidates: the direct path
    "narrow period": CubeFilter((1, 2), period=(EPOCH + dt.timedelta(DAY0 + 3),
                                                EPOCH + dt.timedelta(DAY0 + 9))),
    "one age band": CubeFilter((1,), age_bands=("65plus",)),
    "women 18-44 living here": CubeFilter((1, 2, 3), genders=("female",),
                                          age_bands=("18_29", "30_44"), relations=("live",)),
    # predicates keeping the majority: the complement path
    "wide period": CubeFilter((1, 2), period=(EPOCH + dt.timedelta(DAY0 + 2),
                                              EPOCH + dt.timedelta(DAY0 + 100))),
    "all but one relation": CubeFilter((1, 3), modes=tuple(MODES.codes),
                                       relations=("live", "work", "both")),
    "four of five age bands": CubeFilter((2,), age_bands=("u18", "18_29", "30_44", "45_64")),
}
DIRECT = ("narrow period", "one age band", "women 18-44 living here")
COMPLEMENT = ("wide period", "all but one relation", "four of five age bands")


@pytest.fixture(scope="module")
def data() -> tuple[ResponseCube, pd.DataFrame]:
    rows = random_rows(np.random.default_rng(7), 3000)
    cube = ResponseCube(CRITERIA, capacity=16)  # small: growing is exercised too
    for part in np.array_split(np.arange(3000), 5):
        cube.upsert(take(rows, part))
    return cube, frame_of(rows)


def test_both_counting_paths_are_exercised(data: tuple[ResponseCube, pd.DataFrame]) -> None:
    _, table = data
    for name in DIRECT:
        assert 0 < selected_share(table, FILTERS[name]) < 0.5, name
    for name in COMPLEMENT:
        assert 0.5 < selected_share(table, FILTERS[name]) < 1, name


@pytest.mark.parametrize("name", list(FILTERS))
def test_histograms_match_the_oracle(data: tuple[ResponseCube, pd.DataFrame], name: str) -> None:
    cube, table = data
    assert_same(cube, table, FILTERS[name], IDENTITY, 13)


@pytest.mark.parametrize("name", list(FILTERS))
def test_histograms_with_merged_and_hidden_areas(data: tuple[ResponseCube, pd.DataFrame],
                                                 name: str) -> None:
    cube, table = data
    # areas 1..4 -> 0, 5..8 -> 1 (e.g. two waves matched by code), 9 hidden, 10.. beyond map
    area_pos = np.array([-1, 0, 0, 0, 0, 1, 1, 1, 1, -1], dtype=np.int64)
    assert_same(cube, table, FILTERS[name], area_pos, 2)
    # a map longer than any area id
    assert_same(cube, table, FILTERS[name], np.arange(40) % 3 - 1, 2)


def test_default_filter_leaves_focus_groups_out(data: tuple[ResponseCube, pd.DataFrame]) -> None:
    cube, table = data
    assert CubeFilter((1,)).modes == SURVEY_MODES
    _, with_fg = cube.histograms(CubeFilter((1,), modes=tuple(MODES.codes)), IDENTITY, 13)
    _, without = cube.histograms(CubeFilter((1,)), IDENTITY, 13)
    fg = table[(table["campaign"] == 1) & (table["status"] == 0)
               & (table["mode"] == MODES.index("focus_group"))]
    assert len(fg) > 0
    assert with_fg.sum() - without.sum() == len(fg)


def test_upsert_of_changed_rows_moves_the_counts() -> None:
    rng = np.random.default_rng(11)
    rows = random_rows(rng, 800)
    rows.status[:] = STATUSES.index("valid")
    cube = ResponseCube(CRITERIA)
    cube.upsert(rows)
    table = frame_of(rows)
    flt_all = CubeFilter((1, 2, 3), modes=tuple(MODES.codes))
    _, before = cube.histograms(flt_all, IDENTITY, 13)
    assert before.sum() == 800

    # valid -> voided: subtracted everywhere
    voided = take(rows, np.arange(0, 100))
    voided.status[:] = STATUSES.index("voided")
    cube.upsert(voided)
    table = merge(table, voided)
    _, after = cube.histograms(flt_all, IDENTITY, 13)
    assert after.sum() == 700
    for flt in FILTERS.values():
        assert_same(cube, table, flt, IDENTITY, 13)

    # other area, campaign, scores and demographics; voided -> valid again; new rows too
    changed = take(rows, np.arange(50, 250))
    changed.area[:] = rng.integers(1, 13, size=200)
    changed.campaign[:] = rng.choice((1, 2, 3), size=200)
    changed.scores[:] = rng.integers(0, 8, size=(K, 200))
    changed.age[:] = rng.integers(-1, 5, size=200)
    changed.status[:] = rng.choice(4, size=200)
    fresh = random_rows(rng, 100, first_id=int(rows.ids.max()) + 1)
    both = CubeRows(**{c: np.concatenate([getattr(changed, c), getattr(fresh, c)])
                       for c in _COLS}, scores=np.concatenate([changed.scores, fresh.scores], 1))
    cube.upsert(both)
    table = merge(table, both)
    assert cube.n == 900
    for flt in FILTERS.values():
        assert_same(cube, table, flt, IDENTITY, 13)


def test_upserting_the_same_rows_again_changes_nothing() -> None:
    rows = random_rows(np.random.default_rng(3), 500)
    cube = ResponseCube(CRITERIA)
    cube.upsert(rows)
    cube.upsert(rows)
    cube.upsert(take(rows, np.arange(10, 20)))
    assert cube.n == 500
    for flt in FILTERS.values():
        assert_same(cube, frame_of(rows), flt, IDENTITY, 13)


def test_round_trip_through_bytes(data: tuple[ResponseCube, pd.DataFrame]) -> None:
    cube, table = data
    cube.change_seq = 4711
    back = ResponseCube.from_bytes(cube.to_bytes())
    assert back.criteria == cube.criteria and back.n == cube.n and back.change_seq == 4711
    np.testing.assert_array_equal(back.scores, cube.scores)
    for col in _COLS:
        np.testing.assert_array_equal(back.col(col), cube.col(col))
    for flt in FILTERS.values():
        np.testing.assert_array_equal(back.histograms(flt, IDENTITY, 13)[0],
                                      cube.histograms(flt, IDENTITY, 13)[0])
    # the restored cube still recognises known rows on update
    ids = back.col("ids")
    changed = frame_rows(table, ids[:40])
    changed.status[:] = STATUSES.index("voided")
    back.upsert(changed)
    assert back.n == cube.n
    for flt in FILTERS.values():
        assert_same(back, merge(table, changed), flt, IDENTITY, 13)


def frame_rows(table: pd.DataFrame, ids: np.ndarray) -> CubeRows:
    """CubeRows for the given ids taken from a table (a copy)."""
    sub = table.set_index("ids").loc[ids].reset_index()
    return CubeRows(**{c: sub[c].to_numpy().astype(t) for c, t in (
        ("ids", np.int64), ("campaign", np.int32), ("area", np.int32), ("mode", np.int8),
        ("age", np.int8), ("gender", np.int8), ("relation", np.int8), ("day", np.int32),
        ("status", np.int8))}, scores=sub[[f"s{k}" for k in range(K)]].to_numpy()
        .T.astype(np.uint8).copy())


def test_empty_cube_and_empty_round_trip() -> None:
    cube = ResponseCube(CRITERIA)
    counts, resp = cube.histograms(FILTERS["wide period"], IDENTITY, 13)
    assert counts.shape == (13, K, 7) and counts.sum() == 0 and resp.sum() == 0
    back = ResponseCube.from_bytes(cube.to_bytes())
    assert back.n == 0 and back.criteria == CRITERIA


def test_snapshot_of_another_format_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    cube = ResponseCube(CRITERIA)
    cube.upsert(random_rows(np.random.default_rng(1), 5))
    monkeypatch.setattr(cube_module, "FORMAT_VERSION", cube_module.FORMAT_VERSION + 1)
    blob = cube.to_bytes()
    monkeypatch.undo()
    with pytest.raises(ValueError, match="format"):
        ResponseCube.from_bytes(blob)


# ------------------------------------------------------------------------ properties

filters = st.builds(
    CubeFilter,
    campaign_ids=st.lists(st.sampled_from((1, 2, 3, 4)), min_size=1, max_size=3,
                          unique=True).map(tuple),
    modes=st.lists(st.sampled_from(MODES.codes), min_size=0, max_size=4, unique=True).map(tuple),
    period=st.none() | st.tuples(st.integers(-5, 65), st.integers(0, 70)).map(
        lambda ab: (EPOCH + dt.timedelta(DAY0 + ab[0]), EPOCH + dt.timedelta(DAY0 + ab[1]))),
    age_bands=st.none() | st.lists(st.sampled_from(AGE_BANDS.codes), unique=True).map(tuple),
    genders=st.none() | st.lists(st.sampled_from(GENDERS.codes), unique=True).map(tuple),
    relations=st.none() | st.lists(st.sampled_from(RELATIONS.codes), unique=True).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 120), flt=filters,
       chunks=st.integers(1, 4), n_changed=st.integers(0, 40))
def test_property_any_filter_any_batching(seed: int, n: int, flt: CubeFilter, chunks: int,
                                          n_changed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = random_rows(rng, n, max_area=6)
    cube = ResponseCube(CRITERIA, capacity=4)
    for part in np.array_split(np.arange(n), chunks):
        cube.upsert(take(rows, part))
    table = frame_of(rows)
    if n:
        changed = random_rows(rng, min(n_changed, n), max_area=8)
        changed.ids[:] = rng.choice(rows.ids, size=len(changed), replace=False)
        cube.upsert(changed)
        table = merge(table, changed)
    area_pos = rng.integers(-1, 3, size=int(rng.integers(1, 10)))
    assert_same(cube, table, flt, area_pos, 3)
    assert_same(ResponseCube.from_bytes(cube.to_bytes()), table, flt, area_pos, 3)


# ------------------------------------------------------------- provider on both engines



def _hist(cube: ResponseCube, city: City, flt: CubeFilter) -> tuple[np.ndarray, np.ndarray]:
    codes = ("Q1", "Q2", "Q3")
    area_pos = np.full(max(city.area_ids.values()) + 1, -1, dtype=np.int64)
    for i, code in enumerate(codes):
        area_pos[city.area_id(code)] = i
    counts, resp = cube.histograms(flt, area_pos, len(codes))
    return counts[:, [cube.criteria.index("moving_around"), cube.criteria.index("housing")]], resp


def _submit(engine: Engine, city: City, area: str, moving: int | None, housing: int | None,
            **kw: Any) -> str:
    ratings = {k: v for k, v in (("moving_around", moving), ("housing", housing))
               if v is not None}
    p = make_payload(city.campaign_id, area, ratings, **kw)
    submit_response(engine, p)
    return p.response_id


def _flt(city: City, **kw: Any) -> CubeFilter:
    return CubeFilter((city.campaign_id,), **kw)


def test_provider_follows_submits_and_status_changes(engine: Engine) -> None:
    city = make_city(engine)
    provider = CubeProvider(engine)
    counts, resp = _hist(provider.get(), city, _flt(city))
    assert counts.sum() == 0 and resp.sum() == 0
    first = _submit(engine, city, "Q1", 3, 5)
    _submit(engine, city, "Q1", 4, None)
    _submit(engine, city, "Q3", None, 7)
    _submit(engine, city, "Q2", 1, 1, mode="focus_group", participants=6)
    cube = provider.get()
    assert cube.change_seq == _seq(engine)
    counts, resp = _hist(cube, city, _flt(city))
    assert resp.tolist() == [2, 0, 1]
    assert counts[0, 0].tolist() == [0, 0, 1, 1, 0, 0, 0]  # Q1 moving_around: 3, 4
    assert counts[0, 1].tolist() == [0, 0, 0, 0, 1, 0, 0]  # Q1 housing: 5
    assert counts[2, 1].tolist() == [0, 0, 0, 0, 0, 0, 1]  # Q3 housing: 7
    assert counts[1].sum() == 0  # the focus group is not in the survey statistics
    fg_counts, fg_resp = _hist(cube, city, _flt(city, modes=("focus_group",)))
    assert fg_resp.tolist() == [0, 1, 0] and fg_counts[1, :, 0].tolist() == [1, 1]
    assert provider.get() is cube  # nothing changed: no reload

    set_status(engine, first, "voided")
    cube = provider.get()
    counts, resp = _hist(cube, city, _flt(city))
    assert resp.tolist() == [1, 0, 1]
    assert counts[0, 0].tolist() == [0, 0, 0, 1, 0, 0, 0]
    assert counts[0, 1].sum() == 0
    # the row predicates (both paths) see the change too
    may = (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    counts, resp = _hist(cube, city, _flt(city, period=may))
    assert resp.tolist() == [1, 0, 1]
    counts, resp = _hist(cube, city, _flt(city, period=(SURVEY_DATE, SURVEY_DATE),
                                          age_bands=("65plus",)))
    assert resp.sum() == 0

    set_status(engine, first, "valid")
    _, resp = _hist(provider.get(), city, _flt(city))
    assert resp.tolist() == [2, 0, 1]


def test_provider_sees_corrections(engine: Engine) -> None:
    city = make_city(engine)
    provider = CubeProvider(engine)
    old = _submit(engine, city, "Q1", 2, None)
    counts, _ = _hist(provider.get(), city, _flt(city))
    assert counts[0, 0].tolist() == [0, 1, 0, 0, 0, 0, 0]
    _submit(engine, city, "Q2", 6, None, replaces=old)
    counts, resp = _hist(provider.get(), city, _flt(city))
    assert resp.tolist() == [0, 1, 0]
    assert counts[:, 0].sum(axis=0).tolist() == [0, 0, 0, 0, 0, 1, 0]


def _seq(engine: Engine) -> int:
    with engine.connect() as conn:
        return read_change_seq(conn)


def _snapshots(engine: Engine) -> list[tuple[int, int]]:
    with Session(engine) as session:
        return [(int(s), len(ResponseCube.from_bytes(bytes(p)).col("ids")))
                for s, p in session.execute(select(StatsSnapshot.change_seq,
                                                   StatsSnapshot.payload))]


def test_second_provider_loads_snapshot_and_delta(engine: Engine) -> None:
    city = make_city(engine)
    ids = [_submit(engine, city, ("Q1", "Q2", "Q3")[i % 3], 1 + i % 7, 7 - i % 7)
           for i in range(9)]
    first = CubeProvider(engine, snapshot_after_rows=5)
    first.get()  # a full read of 9 rows: writes a snapshot
    assert _snapshots(engine) == [(_seq(engine), 9)]

    _submit(engine, city, "Q2", 4, 4)
    _submit(engine, city, "Q3", 5, None)
    set_status(engine, ids[0], "voided")
    set_status(engine, ids[4], "flagged")

    second = CubeProvider(engine, snapshot_after_rows=10**6)  # another process
    cube2 = second.get()
    cube1 = first.get()  # a delta of 4 rows: below the threshold, no new snapshot
    assert _snapshots(engine) == [(_seq(engine) - 4, 9)]
    assert cube1.change_seq == cube2.change_seq == _seq(engine)
    assert cube1.n == cube2.n == 11
    for flt in (_flt(city), _flt(city, modes=tuple(MODES.codes)),
                _flt(city, period=(SURVEY_DATE, SURVEY_DATE)), _flt(city, genders=("male",))):
        for a, b in zip(_hist(cube1, city, flt), _hist(cube2, city, flt), strict=True):
            np.testing.assert_array_equal(a, b)
    _, resp = _hist(cube2, city, _flt(city))
    assert resp.sum() == 11 - 2

    # a fresh provider whose load reads enough rows replaces the snapshot
    third = CubeProvider(engine, snapshot_after_rows=1)
    third.get()
    assert _snapshots(engine) == [(_seq(engine), 11)]


def test_snapshot_is_really_used(engine: Engine) -> None:
    """A provider starts from the stored snapshot and reads only newer rows: a row changed
    behind the counter's back (never done by the app) stays as in the snapshot."""
    city = make_city(engine)
    rid = _submit(engine, city, "Q1", 2, None)
    CubeProvider(engine, snapshot_after_rows=1).get()
    with engine.begin() as conn:
        conn.execute(text("UPDATE ratings SET score = 7"))
    _submit(engine, city, "Q2", 3, None)
    counts, _ = _hist(CubeProvider(engine).get(), city, _flt(city))
    assert counts[0, 0].tolist() == [0, 1, 0, 0, 0, 0, 0]  # from the snapshot
    assert counts[1, 0].tolist() == [0, 0, 1, 0, 0, 0, 0]  # from the delta
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(delete(StatsSnapshot))
    counts, _ = _hist(CubeProvider(engine).get(), city, _flt(city))
    assert counts[0, 0].tolist() == [0, 0, 0, 0, 0, 0, 1]  # a full read
    assert rid


@pytest.mark.parametrize("kind", ["garbage", "truncated", "damaged start", "empty"])
def test_unreadable_snapshot_is_ignored(engine: Engine, kind: str) -> None:
    city = make_city(engine)
    _submit(engine, city, "Q3", 6, 6)
    good = ResponseCube(CRITERIA)
    good.upsert(random_rows(np.random.default_rng(5), 50))
    whole = good.to_bytes()
    blob = {"garbage": b"not a snapshot", "truncated": whole[: len(whole) // 2],
            "damaged start": bytes(b ^ 0xFF for b in whole[:16]) + whole[16:],
            "empty": b""}[kind]
    with Session(write_engine(engine)) as session, session.begin():
        session.add(StatsSnapshot(change_seq=_seq(engine), format_version=FORMAT_VERSION,
                                  payload=blob))
    with engine.connect() as conn:
        assert load_snapshot(conn) is None
    counts, resp = _hist(CubeProvider(engine).get(), city, _flt(city))
    assert resp.tolist() == [0, 0, 1] and counts[2, :, 5].tolist() == [1, 1]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(StatsSnapshot)) == 1


def test_snapshot_with_a_flipped_data_byte_is_refused() -> None:
    cube = ResponseCube(CRITERIA)
    cube.upsert(random_rows(np.random.default_rng(3), 50))
    blob = bytearray(cube.to_bytes())
    blob[-10] ^= 0x01  # inside the scores buffer
    with pytest.raises(ValueError, match="checksum"):
        ResponseCube.from_bytes(bytes(blob))
    assert ResponseCube.from_bytes(cube.to_bytes()).n == 50


def test_a_delta_load_on_sqlite_uses_the_change_seq_index(tmp_path: Path) -> None:
    """Catching up after a few new responses must not walk every stored response: the
    SQLite query plan of a delta load searches the change_seq index, while a full load
    walks the table once in id order (no sort)."""
    from stadtraum.analysis.cube_store import _rows_sql
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    migrate(engine)

    def plan(since: int) -> str:
        sql, params = _rows_sql("sqlite", ("moving_around", "housing"), since)
        with engine.connect() as conn:
            return " | ".join(str(r[3]) for r in conn.execute(
                text("EXPLAIN QUERY PLAN " + sql), params))

    delta, full = plan(5), plan(0)
    engine.dispose()
    assert "SEARCH p USING INDEX ix_responses_change_seq" in delta, delta
    assert "SCAN p" not in delta, delta
    assert "SCAN p" in full and "TEMP B-TREE FOR ORDER BY" not in full, full
