"""The statistics engine's in-memory data: compact column arrays of all responses.

Pure numpy, no database. One row per stored response (any status); ratings as a
criteria × rows ``uint8`` matrix (0 = "keine Angabe"). Besides the rows, the cube keeps per
campaign the valid responses' histograms by (mode, area, criterion, score), so an
unfiltered view is a sum of a few small arrays, and a filtered view counts only the selected
rows or, when those are the majority, their complement (never more than half the rows).
The database side (loading, deltas, snapshots) lives in :mod:`stadtraum.analysis.cube_store`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zlib
from dataclasses import dataclass

import numpy as np

from stadtraum.vocab import (
    AGE_BANDS,
    GENDERS,
    MODES,
    NOT_GIVEN,
    RELATIONS,
    STATUSES,
    SURVEY_MODES,
)

FORMAT_VERSION = 2
_ACCOUNT_CHUNK = 131_072  # rows per histogram update, bounds temporary memory
EPOCH = dt.date(2000, 1, 1)
_VALID = STATUSES.index("valid")
_NMODES = len(MODES.codes)
_COLUMNS = ("ids", "campaign", "area", "mode", "age", "gender", "relation", "day", "status")


def day_number(d: dt.date) -> int:
    return (d - EPOCH).days


@dataclass(frozen=True)
class CubeFilter:
    """A filter of DESIGN §3.3. ``None`` = no restriction; a tuple = one of these codes."""

    campaign_ids: tuple[int, ...]
    modes: tuple[str, ...] = SURVEY_MODES
    period: tuple[dt.date, dt.date] | None = None
    age_bands: tuple[str, ...] | None = None
    genders: tuple[str, ...] | None = None
    relations: tuple[str, ...] | None = None

    def has_row_predicates(self) -> bool:
        return any(v is not None for v in (self.period, self.age_bands, self.genders,
                                           self.relations))


@dataclass
class CubeRows:
    """A batch of rows (new or changed responses) as arrays; ``scores`` is (K, n)."""

    ids: np.ndarray
    campaign: np.ndarray
    area: np.ndarray
    mode: np.ndarray
    age: np.ndarray
    gender: np.ndarray
    relation: np.ndarray
    day: np.ndarray
    status: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return int(self.ids.shape[0])


_DTYPES = {"ids": np.int64, "campaign": np.int32, "area": np.int32, "mode": np.int8,
           "age": np.int8, "gender": np.int8, "relation": np.int8, "day": np.int32,
           "status": np.int8}


class ResponseCube:
    def __init__(self, criteria: tuple[str, ...], capacity: int = 1024) -> None:
        self.criteria = criteria
        self.n = 0
        self.change_seq = 0
        self._cols = {c: np.zeros(capacity, dtype=t) for c, t in _DTYPES.items()}
        self._scores = np.zeros((len(criteria), capacity), dtype=np.uint8)
        # campaign id -> (lowest area id, counts (modes, areas, K, 8), respondents (modes, areas))
        self._base: dict[int, tuple[int, np.ndarray, np.ndarray]] = {}
        self._max_id = -1
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    # ----------------------------------------------------------------- building
    def col(self, name: str) -> np.ndarray:
        return self._cols[name][: self.n]

    @property
    def scores(self) -> np.ndarray:
        return self._scores[:, : self.n]

    def _grow(self, need: int) -> None:
        cap = self._scores.shape[1]
        if need <= cap:
            return
        new_cap = max(need, cap * 2)
        for name, arr in self._cols.items():
            grown = np.zeros(new_cap, dtype=arr.dtype)
            grown[: self.n] = arr[: self.n]
            self._cols[name] = grown
        scores = np.zeros((self._scores.shape[0], new_cap), dtype=np.uint8)
        scores[:, : self.n] = self._scores[:, : self.n]
        self._scores = scores

    def upsert(self, rows: CubeRows) -> None:
        """Add new responses and replace changed ones (matched by database id)."""
        if len(rows) == 0:
            return
        existing = np.full(len(rows), -1, dtype=np.int64)
        if self.n and int(rows.ids.min()) <= self._max_id:
            ids, order = self._sorted_ids()
            pos = np.searchsorted(ids, rows.ids)
            pos = np.minimum(pos, len(ids) - 1)
            hit = ids[pos] == rows.ids
            existing[hit] = order[pos[hit]]
        upd = existing >= 0
        if upd.any():
            at = existing[upd]
            self._account(at, -1)
            for name in _COLUMNS:
                self._cols[name][at] = getattr(rows, name)[upd]
            self._scores[:, at] = rows.scores[:, upd]
            self._account(at, +1)
        new = ~upd
        k = int(new.sum())
        if k:
            start = self.n
            self._grow(self.n + k)
            for name in _COLUMNS:
                self._cols[name][start:start + k] = getattr(rows, name)[new]
            self._scores[:, start:start + k] = rows.scores[:, new]
            self.n += k
            for lo in range(start, start + k, _ACCOUNT_CHUNK):
                self._account(np.arange(lo, min(start + k, lo + _ACCOUNT_CHUNK)), +1)
            self._max_id = max(self._max_id, int(rows.ids[new].max()))
            self._sorted = None

    def drop_ids(self, ids: np.ndarray) -> int:
        """Remove the rows with these database ids (deleted responses); returns how many."""
        if not self.n or len(ids) == 0:
            return 0
        return self._remove(np.isin(self.col("ids"), ids))

    def drop_campaigns(self, campaign_ids: np.ndarray) -> int:
        """Remove every row of these campaigns (their raw data was purged)."""
        if len(campaign_ids) == 0:
            return 0
        removed = self._remove(np.isin(self.col("campaign"), campaign_ids)) if self.n else 0
        for cid in campaign_ids:
            self._base.pop(int(cid), None)
        return removed

    def _remove(self, mask: np.ndarray) -> int:
        """Take the rows of ``mask`` out of the histograms, close the gap, and zero the freed
        slots, so no value of a deleted row stays in memory or reaches a later snapshot."""
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return 0
        for lo in range(0, idx.size, _ACCOUNT_CHUNK):
            self._account(idx[lo:lo + _ACCOUNT_CHUNK], -1)
        keep = ~mask
        m, n = int(np.count_nonzero(keep)), self.n
        for name in _COLUMNS:
            arr = self._cols[name]
            arr[:m] = arr[:n][keep]
            arr[m:n] = 0
        self._scores[:, :m] = self._scores[:, :n][:, keep]
        self._scores[:, m:n] = 0
        self.n = m
        self._sorted = None
        self._max_id = int(self.col("ids").max(initial=-1))
        return int(idx.size)

    def _sorted_ids(self) -> tuple[np.ndarray, np.ndarray]:
        if self._sorted is None:
            order = np.argsort(self.col("ids"), kind="stable")
            self._sorted = (self.col("ids")[order], order)
        return self._sorted

    def _account(self, rows: np.ndarray, sign: int) -> None:
        """Add (+1) or remove (-1) the valid ones of ``rows`` to the per-campaign histograms."""
        rows = rows[self._cols["status"][rows] == _VALID]
        if rows.size == 0:
            return
        camp = self._cols["campaign"][rows]
        for cid in np.unique(camp):
            sel = rows[camp == cid]
            area = self._cols["area"][sel]
            lo, counts, resp = self._base_for(int(cid), int(area.min()), int(area.max()))
            cell = self._cols["mode"][sel].astype(np.int64) * counts.shape[1] + (area - lo)
            size = counts.shape[0] * counts.shape[1]
            resp += sign * np.bincount(cell, minlength=size).reshape(resp.shape)
            flat = counts.reshape(size, len(self.criteria), 8)
            for k in range(len(self.criteria)):
                key = cell * 8 + self._scores[k, sel]
                flat[:, k, :] += sign * np.bincount(key, minlength=size * 8).reshape(size, 8)

    def _base_for(self, cid: int, lo: int, hi: int) -> tuple[int, np.ndarray, np.ndarray]:
        n_crit = len(self.criteria)
        if cid in self._base:
            old_lo, counts, resp = self._base[cid]
            old_hi = old_lo + counts.shape[1] - 1
            if old_lo <= lo and hi <= old_hi:
                return self._base[cid]
            lo, hi = min(lo, old_lo), max(hi, old_hi)
            new_c = np.zeros((_NMODES, hi - lo + 1, n_crit, 8), dtype=np.int64)
            new_r = np.zeros((_NMODES, hi - lo + 1), dtype=np.int64)
            new_c[:, old_lo - lo: old_lo - lo + counts.shape[1]] = counts
            new_r[:, old_lo - lo: old_lo - lo + counts.shape[1]] = resp
        else:
            new_c = np.zeros((_NMODES, hi - lo + 1, n_crit, 8), dtype=np.int64)
            new_r = np.zeros((_NMODES, hi - lo + 1), dtype=np.int64)
        self._base[cid] = (lo, new_c, new_r)
        return self._base[cid]

    # ----------------------------------------------------------------- querying
    def valid_campaigns(self) -> frozenset[int]:
        """The campaigns that hold at least one valid response."""
        return frozenset(cid for cid, (_, _, resp) in self._base.items() if resp.sum() > 0)

    def histograms(self, flt: CubeFilter, area_pos: np.ndarray,
                   n_pos: int) -> tuple[np.ndarray, np.ndarray]:
        """Counts (n_pos, K, 7) and respondents (n_pos,) for the areas mapped by ``area_pos``
        (area database id -> position, -1 = not shown) under the filter ``flt``."""
        n_crit = len(self.criteria)
        mode_idx = [MODES.index(m) for m in flt.modes]
        counts_by_id, resp_by_id = self._base_totals(flt.campaign_ids, mode_idx, len(area_pos))
        size = len(resp_by_id)
        if flt.has_row_predicates() and self.n:
            cand = self._candidates(flt.campaign_ids, mode_idx)
            pred = self._predicate(flt)
            sel = cand & pred
            n_sel, n_cand = int(np.count_nonzero(sel)), int(np.count_nonzero(cand))
            if 2 * n_sel <= n_cand:
                counts_by_id, resp_by_id = self._count_rows(sel, size)
            else:
                minus_c, minus_r = self._count_rows(cand & ~pred, size)
                counts_by_id -= minus_c
                resp_by_id -= minus_r
        out = np.zeros((n_pos, n_crit, 8), dtype=np.int64)
        resp = np.zeros(n_pos, dtype=np.int64)
        ids = np.flatnonzero(area_pos[: len(counts_by_id)] >= 0)
        np.add.at(out, area_pos[ids], counts_by_id[ids])
        np.add.at(resp, area_pos[ids], resp_by_id[ids])
        return out[:, :, 1:], resp

    def _base_totals(self, campaign_ids: tuple[int, ...], mode_idx: list[int],
                     min_size: int) -> tuple[np.ndarray, np.ndarray]:
        size = max([lo + c.shape[1] for cid, (lo, c, _) in self._base.items()
                    if cid in campaign_ids] + [min_size, 1])
        counts = np.zeros((size, len(self.criteria), 8), dtype=np.int64)
        resp = np.zeros(size, dtype=np.int64)
        for cid in campaign_ids:
            if cid in self._base:
                lo, c, r = self._base[cid]
                counts[lo: lo + c.shape[1]] += c[mode_idx].sum(axis=0)
                resp[lo: lo + c.shape[1]] += r[mode_idx].sum(axis=0)
        return counts, resp

    def _lut_mask(self, column: str, allowed: list[int], offset: int = 0) -> np.ndarray:
        values = self.col(column).astype(np.int64) + offset
        lut = np.zeros(int(values.max(initial=0)) + 1, dtype=bool)
        ok = [a + offset for a in allowed if 0 <= a + offset < len(lut)]
        lut[ok] = True
        return lut[values]

    def _candidates(self, campaign_ids: tuple[int, ...], mode_idx: list[int]) -> np.ndarray:
        return (self._lut_mask("campaign", list(campaign_ids))
                & self._lut_mask("mode", mode_idx) & (self.col("status") == _VALID))

    def _predicate(self, flt: CubeFilter) -> np.ndarray:
        mask = np.ones(self.n, dtype=bool)
        if flt.period is not None:
            day = self.col("day")
            mask &= (day >= day_number(flt.period[0])) & (day <= day_number(flt.period[1]))
        for column, codes, vocab in (("age", flt.age_bands, AGE_BANDS),
                                     ("gender", flt.genders, GENDERS),
                                     ("relation", flt.relations, RELATIONS)):
            if codes is not None:
                mask &= self._lut_mask(column, [-1 if c == NOT_GIVEN else vocab.index(c)
                                                 for c in codes], offset=1)
        return mask

    def _count_rows(self, mask: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
        idx = np.flatnonzero(mask)
        area = self.col("area")[idx]  # rows of the requested campaigns: ids < size
        counts = np.zeros((size, len(self.criteria), 8), dtype=np.int64)
        key = area.astype(np.int64) * 8
        for k in range(len(self.criteria)):
            counts[:, k, :] = np.bincount(key + self._scores[k].take(idx),
                                          minlength=size * 8).reshape(size, 8)
        return counts, np.bincount(area, minlength=size).astype(np.int64)

    # ----------------------------------------------------------------- persistence
    def to_bytes(self) -> bytes:
        """A compact snapshot: a JSON header line, then the raw column buffers."""
        arrays = [(name, self.col(name)) for name in _COLUMNS]
        arrays.append(("scores", np.ascontiguousarray(self.scores)))
        crc = 0
        for _, arr in arrays:
            crc = zlib.crc32(arr.data, crc)
        meta = json.dumps({"criteria": list(self.criteria), "change_seq": self.change_seq,
                           "format": FORMAT_VERSION, "n": self.n, "crc32": crc,
                           "columns": [[name, str(arr.dtype), list(arr.shape)]
                                       for name, arr in arrays]}).encode()
        buf = io.BytesIO()
        buf.write(len(meta).to_bytes(8, "little"))
        buf.write(meta)
        for _, arr in arrays:
            buf.write(arr.tobytes())
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> ResponseCube:
        """Rebuild a cube from :meth:`to_bytes` output, copying each column once."""
        size = int.from_bytes(blob[:8], "little")
        meta = json.loads(blob[8:8 + size].decode())
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError("snapshot format changed")
        if zlib.crc32(memoryview(blob)[8 + size:]) != meta.get("crc32"):
            raise ValueError("snapshot checksum mismatch")
        n = int(meta["n"])
        cube = cls(tuple(meta["criteria"]), capacity=max(1024, n + n // 20))
        offset = 8 + size
        for name, dtype, shape in meta["columns"]:
            count = int(np.prod(shape))
            view = np.frombuffer(blob, dtype=np.dtype(dtype), count=count, offset=offset)
            offset += view.nbytes
            if name == "scores":
                cube._scores[:, :n] = view.reshape(shape)
            else:
                cube._cols[name][:n] = view
        cube.n = n
        cube._max_id = int(cube.col("ids").max(initial=-1))
        for start in range(0, n, _ACCOUNT_CHUNK):
            cube._account(np.arange(start, min(n, start + _ACCOUNT_CHUNK)), +1)
        cube.change_seq = int(meta["change_seq"])
        return cube
