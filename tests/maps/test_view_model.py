"""The map's view model: metrics, criteria in catalogue order, change between waves matched
by area code (both waves must publish), the table, and the SVG for reports."""

from __future__ import annotations

import html

import pytest
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import Results, compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.criteria import get_catalogue
from stadtraum.errors import ValidationError
from stadtraum.maps.colours import CHANGE_SCALE
from stadtraum.maps.legend import legend_for
from stadtraum.maps.static_svg import static_svg
from stadtraum.maps.view_model import criterion_choices, layer_table, map_features, map_layer
from tests.helpers import add_campaign, make_city, make_payload

EVIL = '<img src=x onerror="window.pwned=1"> & ${alert(1)} ![x](http://evil/x.png)'
SQUARE = {"type": "Polygon", "coordinates": [[[7.0, 51.0], [7.01, 51.0], [7.01, 51.01],
                                              [7.0, 51.01], [7.0, 51.0]]]}


def _waves(engine: Engine) -> tuple[Results, Results]:
    """D1 = Q1, Q2; D2 = Q3, Q4, Q5. Wave 1: Q1 6×4, Q2 6×3, Q3 2×5 (hidden), Q4 5×5 (hidden
    with Q3, the smallest sibling), Q5 8×6. Wave 2: Q1 6×5, Q2 6×6, Q3 6×2 (hidden with Q5),
    Q4 7×4, Q5 2×1 (hidden)."""
    city = make_city(engine, layout={"D1": ("Q1", "Q2"), "D2": ("Q3", "Q4", "Q5")})
    wave2 = add_campaign(engine, city, "Welle 2")
    for cid, plan in ((city.campaign_id, {"Q1": [4] * 6, "Q2": [3] * 6, "Q3": [5] * 2,
                                          "Q4": [5] * 5, "Q5": [6] * 8}),
                      (wave2, {"Q1": [5] * 6, "Q2": [6] * 6, "Q3": [2] * 6, "Q4": [4] * 7,
                               "Q5": [1] * 2})):
        for code, scores in plan.items():
            for s in scores:
                submit_response(engine, make_payload(cid, code, {"feeling_safe": s}))
    provider = CubeProvider(engine)
    return (compute_results(engine, provider, CubeFilter((city.campaign_id,))),
            compute_results(engine, provider, CubeFilter((wave2,))))


def test_criteria_in_catalogue_order_after_the_index(engine: Engine) -> None:
    _, res = _waves(engine)
    choices = criterion_choices(res)
    assert choices[0] == (None, "Gesamtindex")
    assert [c for c, _ in choices[1:]] == list(get_catalogue().ids)
    assert dict(choices)["feeling_safe"] == "Sicherheitsgefühl"


def test_change_is_matched_by_code_and_hidden_unless_both_waves_publish(engine: Engine) -> None:
    before, now = _waves(engine)
    layer = map_layer(now, 0, "change", "feeling_safe", earlier=before)
    assert layer.scale is CHANGE_SCALE and layer.title == "Sicherheitsgefühl – Veränderung " \
        "seit früherer Welle"
    assert layer.values["Q1"].value == pytest.approx(1.0) and layer.values["Q1"].n == 6
    assert layer.values["Q2"].value == pytest.approx(3.0)
    assert layer.values["Q5"].suppressed and layer.values["Q5"].value is None  # hidden now
    assert layer.values["Q4"].suppressed and layer.values["Q4"].n is None  # hidden before
    assert layer.hints.get("Q1")
    index = map_layer(now, 0, "change", None, earlier=before)
    assert index.values["Q1"].value == pytest.approx(1.0)
    table = layer_table(now, 0, layer)
    row = table.set_index("Code").loc["Q1"]
    assert row["Veränderung seit früherer Welle"] == "+1,00" and row["n"] == 6
    assert "zu wenige Antworten (n < 5)" in str(table.set_index("Code").loc["Q3", "Hinweis"])
    with pytest.raises(ValidationError) as err:
        map_layer(now, 0, "change", "feeling_safe")
    assert "frühere Welle" in err.value.message_de


def test_metrics_shares_and_n(engine: Engine) -> None:
    before, _ = _waves(engine)
    assert map_layer(before, 0, "share_low", "feeling_safe").values["Q2"].value == 0.0
    n_layer = map_layer(before, "Quartier", "n", "feeling_safe")
    assert n_layer.values["Q1"].value == 6.0 and n_layer.values["Q3"].suppressed
    mean = map_layer(before, "Stadtbezirk", "mean", None, lang="en")
    assert mean.title == "Overall index – mean"
    with pytest.raises(ValidationError) as err:
        map_layer(before, 0, "median", None)
    assert "Kennzahl" in err.value.message_de and err.value.field == "metric"
    with pytest.raises(ValidationError) as err:
        map_layer(before, 0, "mean", "no_such_criterion")
    assert "Kriterium" in err.value.message_de and err.value.field == "criterion"


def test_features_carry_tooltip_and_escape_names(engine: Engine) -> None:
    before, _ = _waves(engine)
    display = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "Q1", "name": EVIL}, "geometry": SQUARE},
        {"type": "Feature", "properties": {"code": "Q3", "name": "Nord"}, "geometry": SQUARE}]}
    feats = map_features(display, map_layer(before, 0, "n", "feeling_safe"))
    p1, p3 = (f["properties"] for f in feats["features"])
    assert p1["label"] == "n = 6" and "<img" not in p1["name"]
    assert p3["label"] == "zu wenige Antworten (n &lt; 5)" and p3["suppressed"]


def test_static_svg_has_areas_hatching_legend_and_escaped_text(engine: Engine) -> None:
    before, _ = _waves(engine)
    layer = map_layer(before, 0, "mean", "feeling_safe")
    display = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c, "name": n}, "geometry": SQUARE}
        for c, n in (("Q1", EVIL), ("Q3", "Süd & Ost"))]}
    svg = static_svg(map_features(display, layer), legend_for(layer.scale, 5, title=layer.title),
                     title=layer.title, subtitle=EVIL, note="Quelle: StadtRaumMonitor")
    assert svg.startswith("<svg") and svg.count('class="sr-area"') == 2
    assert "<img" not in svg and "&lt;img src=x" in svg and "Süd &amp; Ost" in svg
    assert "&amp;amp;" not in svg and "url(#sr-hatch)" in svg  # Q3 is hidden: hatched
    assert svg.count('class="sr-swatch"') == 7 and "zu wenige Antworten (n &lt; 5)" in svg
    assert 'fill="#41b6c4"' in svg  # Q1: mean 4 -> bin 4 to under 5
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "").replace(
        html.escape("http://evil/x.png"), "")  # no external reference besides the text


def test_change_map_does_not_apply_the_period_to_the_earlier_wave(engine: Engine) -> None:
    import dataclasses
    import datetime as dt

    from stadtraum.maps.page_data import map_data

    city = make_city(engine)
    wave2 = add_campaign(engine, city, "Welle 2")
    for cid, day, score in ((city.campaign_id, dt.date(2024, 5, 6), 3),
                            (wave2, dt.date(2025, 5, 6), 5)):
        for _ in range(6):
            submit_response(engine, make_payload(cid, "Q1", {"feeling_safe": score},
                                                 survey_date=day))
    flt = dataclasses.replace(CubeFilter((wave2,)),
                              period=(dt.date(2025, 5, 1), dt.date(2025, 5, 31)))
    data = map_data(engine, CubeProvider(engine), flt, level_name="Quartier",
                    level_id=city.quarter_level_id, metric="change",
                    criterion_id="feeling_safe", earlier_campaign=city.campaign_id)
    assert data.layer.values["Q1"].value == pytest.approx(2.0)  # 5 − 3, the 2024 wave counted
