"""The pure SVG radar: points where the values say, gaps for hidden values, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from stadtraum.charts.radar import RadarSeries
from stadtraum.charts.radar_svg import axis_point, radar_svg
from stadtraum.criteria import DEFAULT_CATALOGUE, get_catalogue

NS = {"s": "http://www.w3.org/2000/svg"}
LABELS = [c.label("de") for c in get_catalogue(DEFAULT_CATALOGUE).criteria]
FULL = [1 + (i % 7) * 0.9 for i in range(14)]  # 1.0 .. 6.4, every spoke
HOSTILE = '</text><script>alert(1)</script>"><svg onload=alert(2)> & Co'


def _geometry(svg: ET.Element) -> tuple[float, float, float]:
    """Centre and radius, read from the outermost grid ring (score 7) and the spokes."""
    line = svg.find(".//s:line", NS)
    assert line is not None
    cx, cy = float(line.get("x1", "")), float(line.get("y1", ""))
    top_y = float(line.get("y2", ""))  # spoke 0 points straight up to score 7
    return cx, cy, cy - top_y


def _points(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in text.split())]


def test_a_full_series_is_one_polygon_through_its_values() -> None:
    svg = ET.fromstring(radar_svg(LABELS, [RadarSeries("Quartier", FULL, 12)]))
    cx, cy, radius = _geometry(svg)
    polygon = svg.find(".//s:g[@class='sr-series']/s:polygon[@class='sr-line']", NS)
    assert polygon is not None
    expected = [axis_point(cx, cy, radius, 14, a, v) for a, v in enumerate(FULL)]
    got = _points(polygon.get("points", ""))
    assert len(got) == 14
    for (gx, gy), (ex, ey) in zip(got, expected, strict=True):
        assert gx == pytest.approx(ex, abs=0.06) and gy == pytest.approx(ey, abs=0.06)
    # value 1 sits in the centre, the spoke labels are the 14 criteria in catalogue order
    assert got[0] == pytest.approx((cx, cy), abs=0.06)
    labels = ["".join(t.itertext()) for t in svg.iterfind(".//s:text[@class='sr-axis-label']",
                                                            NS)]
    assert [label.replace(" ", "") for label in labels] == [
        label.replace(" ", "") for label in LABELS]


def test_hidden_values_are_gaps_with_a_note() -> None:
    values: list[float | None] = list(FULL)
    values[3] = None
    values[9] = None
    svg_text = radar_svg(LABELS, [RadarSeries("A", values), RadarSeries("B", FULL)], min_n=5)
    svg = ET.fromstring(svg_text)
    first = svg.find(".//s:g[@data-series='0']", NS)
    assert first is not None
    assert first.find("s:polygon[@class='sr-line']", NS) is None  # broken, not closed
    lines = first.findall("s:polyline", NS)
    assert len(lines) == 2
    cx, cy, radius = _geometry(svg)
    drawn = {pt for line in lines for pt in _points(line.get("points", ""))}
    # the line goes through the shown values only: no point for a hidden one, no fake value
    assert drawn == {axis_point(cx, cy, radius, 14, a, v) for a, v in enumerate(values)
                     if v is not None}
    axes = {int(p.get("data-axis", "")) for p in first.iterfind("*[@class='sr-point']")}
    assert axes == set(range(14)) - {3, 9}
    legend = [t.text or "" for t in svg.iterfind(".//s:text[@class='sr-legend']", NS)]
    assert legend[0] == "A – ohne Wert: 2 von 14" and legend[1] == "B"
    note = svg.find(".//s:text[@class='sr-gap-note']", NS)
    assert note is not None and "n < 5" in (note.text or "")
    # a complete chart has no gap note
    assert "sr-gap-note" not in radar_svg(LABELS, [RadarSeries("B", FULL)])


def test_hostile_names_are_escaped_and_the_output_is_deterministic() -> None:
    series = [RadarSeries(HOSTILE, FULL, 7), RadarSeries("Gesamtstadt", FULL)]
    text = radar_svg([HOSTILE, *LABELS[1:]], series, title=HOSTILE)
    assert text == radar_svg([HOSTILE, *LABELS[1:]], series, title=HOSTILE)
    svg = ET.fromstring(text)  # well-formed despite the payload
    tags = {el.tag.split("}")[-1] for el in svg.iter()}
    assert "script" not in tags
    assert sum(1 for el in svg.iter() if el.tag.endswith("}svg")) == 1  # only the root
    assert not [a for el in svg.iter() for a in el.attrib if a.lower().startswith("on")]
    legend = svg.find(".//s:text[@class='sr-legend']", NS)
    assert legend is not None and legend.text == HOSTILE + " (n = 7)"
    assert svg.find("s:title", NS) is not None
    assert svg.find("s:title", NS).text == HOSTILE  # type: ignore[union-attr]


@pytest.mark.parametrize("values", [FULL[:13], [*FULL[:13], 7.5], [*FULL[:13], 0.0]])
def test_bad_series_are_refused(values: list[float]) -> None:
    with pytest.raises(ValueError, match="series"):
        radar_svg(LABELS, [RadarSeries("x", values)])


def test_no_labels_or_too_many_series_are_refused() -> None:
    with pytest.raises(ValueError, match="criterion"):
        radar_svg([], [])
    with pytest.raises(ValueError, match="series"):
        radar_svg(LABELS, [RadarSeries(str(i), FULL) for i in range(7)])
