"""The republication rule (pure, table-driven): a cell takes a new value only when its n grew
by at least min_n; everything public is rounded to one decimal and carries no n."""

from __future__ import annotations

import pytest

from stadtraum.publish.snapshot import Cell, republish

K = ("Quartier", "Q1", "moving_around")


@pytest.mark.parametrize(("old", "new", "min_n", "expected"), [
    (None, Cell(4.2, 5), 5, Cell(4.2, 5)),            # first publication: as it is
    (None, Cell(None, 3), 5, Cell(None, 3)),          # hidden at first: stays hidden
    (Cell(4.2, 5), Cell(4.0, 6), 5, Cell(4.2, 5)),    # one more person: no change
    (Cell(4.2, 5), Cell(3.9, 9), 5, Cell(4.2, 5)),    # four more: no change
    (Cell(4.2, 5), Cell(3.9, 10), 5, Cell(3.9, 10)),  # five more: the new value
    (Cell(None, 3), Cell(4.4, 5), 5, Cell(None, 3)),  # now above min_n, but only 2 more
    (Cell(None, 3), Cell(4.4, 8), 5, Cell(4.4, 8)),   # 5 more: shown
    (Cell(4.2, 5), Cell(None, 6), 5, Cell(4.2, 5)),   # hidden now (secondary): old value kept
    (Cell(4.2, 8), Cell(4.6, 4), 5, Cell(4.2, 8)),    # fewer (voided): old value kept
    (Cell(4.2, 5), Cell(4.0, 8), 3, Cell(4.0, 8)),    # the campaign's own min_n decides
])
def test_republish_one_cell(old: Cell | None, new: Cell, min_n: int, expected: Cell) -> None:
    before = {} if old is None else {K: old}
    assert republish(before, {K: new}, min_n)[K] == expected


def test_a_cell_gone_from_the_results_keeps_its_published_value() -> None:
    gone = ("Quartier", "Q9", "housing")
    assert republish({gone: Cell(5.5, 7)}, {K: Cell(4.0, 5)}, 5) == {gone: Cell(5.5, 7),
                                                                   K: Cell(4.0, 5)}
