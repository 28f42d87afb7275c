"""The radar builder: fixed 1..7 axis, catalogue order clockwise from the top, closed
polygons, honest gaps for missing values, distinct styles, escaped user text."""

from __future__ import annotations

import pytest

from stadtraum.charts import RadarSeries, download_config, radar_figure
from stadtraum.charts.radar import MAX_SERIES, plain, wrap_label
from stadtraum.criteria import get_catalogue

LABELS = [c.label_de for c in get_catalogue().criteria]
K = len(LABELS)


def _values(start: float = 1.0) -> list[float | None]:
    return [start + (i % 7) * 6 / 7 for i in range(K)]


def test_axis_is_fixed_1_to_7_and_spokes_run_clockwise_from_the_top() -> None:
    fig = radar_figure(LABELS, [RadarSeries("Gruppe", [4.0] * K)])
    polar = fig.layout.polar
    assert tuple(polar.radialaxis.range) == (1, 7)
    assert tuple(polar.radialaxis.tickvals) == (1, 2, 3, 4, 5, 6, 7)
    assert polar.angularaxis.direction == "clockwise" and polar.angularaxis.rotation == 90
    assert list(polar.angularaxis.tickvals) == [i * 360 / K for i in range(K)]
    # spoke labels in catalogue order, long ones wrapped
    texts = [t.replace("<br>", " ") for t in polar.angularaxis.ticktext]
    assert texts == LABELS
    assert "<br>" in polar.angularaxis.ticktext[6]  # "Versorgung und Dienstleistungen"


def test_each_series_is_a_closed_polygon_in_catalogue_order() -> None:
    values = _values()
    fig = radar_figure(LABELS, [RadarSeries("A", values, n=23), RadarSeries("B", [7.0] * K)])
    assert len(fig.data) == 2
    a = fig.data[0]
    assert list(a.r) == [*values, values[0]]
    assert list(a.theta) == [*(i * 360 / K for i in range(K)), 360.0]
    assert a.thetaunit == "degrees" and a.name == "A (n = 23)"
    assert "Sicherheitsgefühl: " in a.hovertext[11]


def test_missing_values_are_gaps_not_numbers_and_the_legend_says_so() -> None:
    values: list[float | None] = _values()
    values[0] = None
    values[5] = None
    values[3] = float("nan")  # pandas' missing value counts as missing too
    trace = radar_figure(LABELS, [RadarSeries("Quartier", values, n=12)]).data[0]
    assert trace.r[0] is None and trace.r[5] is None and trace.r[3] is None
    assert trace.r[-1] is None  # the closing point of a missing first spoke stays missing
    assert trace.connectgaps is False
    assert sum(v is None for v in trace.r[:K]) == 3
    assert "ohne Wert: 3 von 14" in trace.name
    assert trace.hovertext[5] == ""  # nothing to hover where nothing is drawn


def test_series_differ_in_colour_dash_and_symbol() -> None:
    series = [RadarSeries(f"S{i}", [4.0] * K) for i in range(MAX_SERIES)]
    fig = radar_figure(LABELS, series)
    for attr in (lambda t: t.line.color, lambda t: t.line.dash, lambda t: t.marker.symbol):
        assert len({attr(t) for t in fig.data}) == MAX_SERIES
    with pytest.raises(ValueError, match="at most"):
        radar_figure(LABELS, [*series, RadarSeries("zu viel", [4.0] * K)])


@pytest.mark.parametrize("bad", [[4.0] * (K - 1), [0.5] + [4.0] * (K - 1),
                                 [8.0] + [4.0] * (K - 1)])
def test_wrong_length_or_out_of_range_values_are_refused(bad: list[float | None]) -> None:
    with pytest.raises(ValueError):
        radar_figure(LABELS, [RadarSeries("x", bad)])


def test_user_text_is_escaped_everywhere() -> None:
    evil = '<img src=x onerror=alert(1)> & <b>fett</b>'
    labels = [evil, *LABELS[1:]]
    fig = radar_figure(labels, [RadarSeries(evil, [4.0] * K, n=5)], title=evil)
    trace = fig.data[0]
    for text in (trace.name, trace.hovertext[0], fig.layout.title.text,
                 fig.layout.polar.angularaxis.ticktext[0]):
        assert "<img" not in text and "<b>" not in text
        assert "&lt;img" in text and "&amp;" in text
    assert plain("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert wrap_label("Tom & Jerry <3 Straßen und Plätze", 10).count("<br>") >= 2


def test_large_mode_uses_bigger_fonts_and_lines() -> None:
    small = radar_figure(LABELS, [RadarSeries("A", [4.0] * K)])
    large = radar_figure(LABELS, [RadarSeries("A", [4.0] * K)], large=True)
    assert large.layout.font.size > small.layout.font.size
    assert large.data[0].line.width > small.data[0].line.width
    assert large.layout.height > small.layout.height


def test_download_config_names_the_png() -> None:
    cfg = download_config("Fokusgruppe Q1 / <Juni>.png")
    opts = cfg["toImageButtonOptions"]
    assert opts["format"] == "png" and opts["scale"] == 2
    assert opts["filename"] == "Fokusgruppe_Q1_Juni"
    assert download_config("  ")["toImageButtonOptions"]["filename"] == "stadtraum_radar"


def test_the_figure_serialises_to_json() -> None:
    values: list[float | None] = [None] * K
    values[2] = 3.5
    fig = radar_figure(LABELS, [RadarSeries("nur einer", values)])
    assert '"r":[null,null,3.5' in fig.to_json().replace(" ", "")
