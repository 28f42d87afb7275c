"""The engine before issue 10's fix, as a small adapter: proof that the harness sees leaks.

Before the fix every view was one table suppressed on its own: its n per area at every level
through :func:`~stadtraum.analysis.suppression.suppress_hierarchy` (primary, secondary
bottom-up, hidden parents), with the campaigns' largest min_n, and the filter took any set
of categories, any period, any set of modes and any campaigns together.
:class:`OldEngineAttacker` publishes exactly that: the counts from the product's cube
(``ResponseCube.histograms``, any :class:`~stadtraum.analysis.cube.CubeFilter`), the masks
per table the old way — respondents as one more column of the same table. Nothing is
refused, so the same harness that finds 0 on today's engine must find the planted leaks
here; if it does not, the harness has gone blind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.results import Results
from stadtraum.analysis.suppression import effective_min_n, suppress_hierarchy
from stadtraum.vocab import SURVEY_MODES
from tests.analysis.attack.model import SCORES, Attacker, Published, View, layout_of


@dataclass
class OldEngineAttacker(Attacker):
    """An :class:`Attacker` whose views are suppressed per table (the engine before the
    fix); the area structure comes once from the real engine's plain view."""

    structure: Results | None = None

    def _compute(self, view: View) -> Published:
        if self.structure is None:
            self.structure = self._results(View(view.campaigns[:1]))
            self.layout = layout_of(self.structure)
            self.criteria = tuple(c.id for c in self.structure.criteria)
        lay = self.layout
        assert lay is not None
        self.calls += 1
        frames = [lv.areas for lv in self.structure.levels]
        bottom_ids = frames[0]["id"].to_numpy(dtype=np.int64)
        area_pos = np.full(int(bottom_ids.max(initial=0)) + 1, -1, dtype=np.int64)
        area_pos[bottom_ids] = np.arange(len(bottom_ids))
        cube = self.provider.get()
        flt = CubeFilter(view.campaigns, view.modes or SURVEY_MODES, view.period, view.ages,
                         view.genders, view.relations)
        counts, resp = cube.histograms(flt, area_pos, len(bottom_ids))
        cols = [cube.criteria.index(c) for c in self.criteria]
        n_rows, n_cols = len(lay.code), len(cols) + 1
        hist = np.zeros((n_rows, n_cols, 7), dtype=np.int64)
        hist[: lay.bottom, :-1] = counts[:, cols]
        hist[: lay.bottom, -1, 0] = resp
        for row in range(n_rows):  # children come before their parents in the stacked rows
            if lay.parent[row] >= 0:
                hist[lay.parent[row]] += hist[row]
        min_n = effective_min_n([self.options.campaign(c).min_n for c in view.campaigns])
        sizes = [len(f) for f in frames]
        starts = np.cumsum([0, *sizes])
        n_levels = [hist[starts[k]: starts[k + 1]].sum(axis=-1) for k in range(len(sizes))]
        parents = [lay.parent[starts[k]: starts[k + 1]] - starts[k + 1]
                   for k in range(len(sizes) - 1)]
        shown = ~np.concatenate(suppress_hierarchy(n_levels, parents, min_n))
        respondents = hist[:, -1, 0].copy()
        hist[~shown] = 0
        n = hist[:, :-1].sum(axis=-1)
        use = shown[:, :-1] & (n > 0)
        means = np.where(use, (hist[:, :-1] @ SCORES) / np.maximum(n, 1), 0.0)
        index = np.where((respondents >= min_n) & use.any(axis=1),
                         means.sum(axis=1) / np.maximum(use.sum(axis=1), 1), np.nan)
        return Published(view, hist, shown, index, min_n)

    def wave_shown(self, view: View, campaign_a: int, campaign_b: int) -> np.ndarray:
        """A cell of the old wave comparison is shown where both waves show it (same level)."""
        assert self.layout is not None
        a = self.publish(View((campaign_a,), view.modes, None, view.ages, view.genders,
                              view.relations))
        b = self.publish(View((campaign_b,), view.modes, None, view.ages, view.genders,
                              view.relations))
        shown = a.shown[: self.layout.bottom] & b.shown[: self.layout.bottom]
        shown[:, -1] = False
        return shown
