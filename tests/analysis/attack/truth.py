"""The truth the attacker tries to find: the raw responses, read with pandas from the database
rows (never through the statistics engine), and any group's 7-bin histograms per area row.

The filter semantics are written down here a second time, from DESIGN §3.3 and not from the
engine's code: valid responses only; the campaigns; the modes (the survey modes when the view
names none, so focus groups only when chosen); the period on the survey date, both ends
included; a demographic filter keeps only responses that gave one of its codes (a response
without that answer is left out), where the code ``none`` ("ohne Angabe") keeps those who left
the question unanswered. A rating of 0 ("keine Angabe") is no rating. The last column of
every histogram is the respondents: each response of the group counts once, in bin 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from tests.analysis.attack.model import Layout, View

_SURVEY_MODES = ("street", "paper", "online")  # DESIGN §3.3: focus groups only when chosen
_COLUMNS = {"ages": "age_band", "genders": "gender", "relations": "relation"}
_NOT_GIVEN = "none"  # the filter's category for an unanswered question (stored as NULL)


class Truth:
    def __init__(self, engine: Engine, layout: Layout, criteria: tuple[str, ...]) -> None:
        with engine.connect() as conn:
            resp = pd.read_sql("SELECT id, campaign_id, area_id, mode, age_band, gender, "
                               "relation, survey_date, status FROM responses ORDER BY id", conn)
            ratings = pd.read_sql("SELECT response_id, criterion_id, score FROM ratings", conn)
            areas = pd.read_sql("SELECT a.id, a.code, a.parent_id, l.name AS level "
                                "FROM areas a JOIN area_levels l ON l.id = a.level_id", conn)
        self.resp = resp
        self.resp["survey_date"] = pd.to_datetime(resp["survey_date"]).dt.date
        wide = ratings[ratings["criterion_id"].isin(criteria)].pivot_table(
            index="response_id", columns="criterion_id", values="score", aggfunc="sum")
        wide = wide.reindex(index=resp["id"], columns=list(criteria)).fillna(0)
        self.scores = wide.to_numpy(dtype=np.int64)  # (R, C), 0 = not rated
        self.ids = resp["id"].to_numpy(dtype=np.int64)
        self.campaign = resp["campaign_id"].to_numpy(dtype=np.int64)
        self.n_rows = len(layout.code)
        self.chain = self._chains(areas, layout)  # (R, levels) area row per level, -1 = none
        levels = list(dict.fromkeys(layout.level))
        self.level_of_row = np.array([levels.index(lv) for lv in layout.level])
        self._masks: dict[View, np.ndarray] = {}
        # the columns as plain arrays (the same values; filtering them is much faster)
        self._valid = (resp["status"] == "valid").to_numpy(dtype=bool)
        self._day = np.array(self.resp["survey_date"].tolist(), dtype="datetime64[D]")
        self._text = {col: resp[col].fillna(_NOT_GIVEN).astype(str).to_numpy()
                      for col in ("mode", *_COLUMNS.values())}

    def _chains(self, areas: pd.DataFrame, layout: Layout) -> np.ndarray:
        """Per response the stacked row of its area at every level, by the areas' parents."""
        row_of = {(lv, code): i for i, (lv, code) in enumerate(zip(layout.level, layout.code,
                                                                    strict=True))}
        code_of = dict(zip(areas["id"].astype(int), areas["code"].astype(str), strict=True))
        parent_of = {int(i): (None if pd.isna(p) else int(p))
                     for i, p in zip(areas["id"], areas["parent_id"], strict=True)}
        levels = list(dict.fromkeys(layout.level))
        area_ids = self.resp["area_id"].to_numpy(dtype=np.int64)
        out = np.full((len(self.resp), len(levels)), -1, dtype=np.int64)
        for area_id in np.unique(area_ids):
            current: int | None = int(area_id)
            chain = [-1] * len(levels)
            for j, lv in enumerate(levels[:-1]):
                if current is None:
                    break
                chain[j] = row_of.get((lv, code_of[current]), -1)
                current = parent_of[current]
            chain[-1] = len(layout.code) - 1  # the city
            out[area_ids == area_id] = chain
        return out

    def mask(self, view: View) -> np.ndarray:
        if view not in self._masks:
            self._masks[view] = self._mask(view)
        return self._masks[view]

    def _mask(self, view: View) -> np.ndarray:
        m = self._valid & np.isin(self.campaign, view.campaigns)
        m &= np.isin(self._text["mode"], view.modes if view.modes is not None
                     else _SURVEY_MODES)
        if view.period is not None:
            lo, hi = (np.datetime64(d.isoformat(), "D") for d in view.period)
            m &= (self._day >= lo) & (self._day <= hi)
        for attr, column in _COLUMNS.items():
            codes = getattr(view, attr)
            if codes is not None:  # an unanswered question reads as "none" here
                m &= np.isin(self._text[column], codes)
        return m

    def hist(self, mask: np.ndarray) -> np.ndarray:
        """The group's histograms per area row and column (the criteria, then the
        respondents as ``[r, 0, …]``), shape (rows, C + 1, 7)."""
        n_crit = self.scores.shape[1]
        out = np.zeros((self.n_rows, n_crit + 1, 8), dtype=np.int64)
        sel = np.flatnonzero(mask)
        for j in range(self.chain.shape[1]):
            rows = self.chain[sel, j]
            keep = rows >= 0
            for c in range(n_crit + 1):
                score = self.scores[sel[keep], c] if c < n_crit else 1
                key = rows[keep] * 8 + score
                out[:, c, :] += np.bincount(key, minlength=self.n_rows * 8).reshape(-1, 8)
        return out[:, :, 1:]

    def members(self, mask: np.ndarray, rows: list[int], criterion: int) -> frozenset[int]:
        """Database ids of the group's responses in the area rows that rated the criterion
        (the respondents column: every response of the group)."""
        rated = self.scores[:, criterion] > 0 if criterion < self.scores.shape[1] \
            else np.ones(len(self.ids), dtype=bool)
        pick = mask & rated
        inside = np.zeros_like(pick)
        for row in rows:
            inside |= self.chain[:, self.level_of_row[row]] == row
        return frozenset(int(i) for i in self.ids[pick & inside])

    def campaigns_of(self, ids: frozenset[int]) -> set[int]:
        return {int(c) for c in self.campaign[np.searchsorted(self.ids, sorted(ids))]}
