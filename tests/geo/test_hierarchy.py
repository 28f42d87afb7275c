"""derive_parents: parent by largest overlap, orphans rejected, weak overlaps noted."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from stadtraum.errors import GeoImportError
from stadtraum.geo.hierarchy import ParentAssignment, derive_parents
from tests.geo.builders import KM, X0, Y0, frame, square


def _layer(geoms: list, codes: list[str]) -> gpd.GeoDataFrame:
    return frame(geoms, code=codes, name=codes).to_crs("EPSG:4326")


# Parents: A = columns 0-1, B = columns 2-3, C = columns 4-5 (each 2 km x 1 km).
PARENTS = _layer([box(X0, Y0, X0 + 2 * KM, Y0 + KM), box(X0 + 2 * KM, Y0, X0 + 4 * KM, Y0 + KM),
                  box(X0 + 4 * KM, Y0, X0 + 6 * KM, Y0 + KM)], ["A", "B", "C"])


def _straddle(x_from: float, x_to: float) -> object:
    return box(X0 + x_from * KM, Y0, X0 + x_to * KM, Y0 + KM)


@pytest.mark.parametrize(("child", "parent"), [
    (square(0), "A"),
    (square(3), "B"),
    (_straddle(1.2, 2.5), "A"),   # 0.8 km² in A, 0.5 in B
    (_straddle(1.7, 2.6), "B"),   # 0.3 in A, 0.6 in B
    (_straddle(1.0, 4.5), "B"),   # 1.0 in A, 2.0 in B, 0.5 in C
    (_straddle(3.9, 6.0), "C"),   # 0.1 in B, 2.0 in C
])
def test_parent_is_the_largest_overlap(child: object, parent: str) -> None:
    result = derive_parents(_layer([child], ["x"]), PARENTS)
    assert isinstance(result, ParentAssignment)
    assert result.codes == [parent]
    assert result.notes == []


def test_child_mostly_outside_gets_a_note() -> None:
    # 0.8 km x 1.5 km; a sixth lies in A, a sixth in B (tie → first parent), the rest outside
    child = box(X0 + 1.6 * KM, Y0 + 0.5 * KM, X0 + 2.4 * KM, Y0 + 2 * KM)
    result = derive_parents(_layer([square(0), child], ["ok", "weit"]), PARENTS)
    assert result.codes == ["A", "A"]
    assert [(n.code, n.row) for n in result.notes] == [("parent_low_overlap", 1)]
    assert "Objekt 2" in result.notes[0].message_de and "17 %" in result.notes[0].message_de


def test_child_without_parent_is_rejected_with_row() -> None:
    far = box(X0 + 10 * KM, Y0, X0 + 11 * KM, Y0 + KM)
    touching = box(X0 + 6 * KM, Y0, X0 + 7 * KM, Y0 + KM)  # shares only an edge with C
    with pytest.raises(GeoImportError) as info:
        derive_parents(_layer([square(0), far, touching], ["1", "2", "3"]), PARENTS)
    assert info.value.row == 1
    assert "Objekt 2" in info.value.message_de
    assert "überlappt keine" in info.value.message_de
    assert "Ohne Zuordnung: 2, 3" in info.value.message_de


def test_order_and_metric_crs() -> None:
    children = _layer([square(5), square(0), square(2)], ["c5", "c0", "c2"])
    assert derive_parents(children, PARENTS, metric_crs="EPSG:3035").codes == ["C", "A", "B"]


def test_missing_columns_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="code"):
        derive_parents(PARENTS.drop(columns="code"), PARENTS)
