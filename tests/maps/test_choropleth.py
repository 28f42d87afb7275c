"""Choropleth, picker and legend builders as plain functions: properties, colours, suppressed
styling, escaping of names, and HTML that loads nothing from the internet."""

from __future__ import annotations

import copy
import re
from typing import Any

import folium
import pytest
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.config import BASEMAP_KEYS, load_settings
from stadtraum.errors import ValidationError
from stadtraum.maps.area_values import area_values
from stadtraum.maps.assets import LEAFLET_VERSION, missing_assets, use_local_assets, vendor_dir
from stadtraum.maps.base import HATCH_FILL, HATCH_ID, base_map, geojson_bounds
from stadtraum.maps.basemap import BASEMAPS, basemap
from stadtraum.maps.choropleth import AreaValue, area_style, choropleth_geojson, choropleth_map
from stadtraum.maps.colours import CHANGE_SCALE, NO_DATA_COLOUR, RATING_SCALE
from stadtraum.maps.legend import legend_for, legend_html
from stadtraum.maps.picker import picker_geojson, picker_map, selection_layer
from tests.helpers import make_city, make_payload

XSS = '<img src=x onerror="window.__xss=1">'
TEMPLATE = "${alert(1)}"
MARKDOWN = "![Bild](https://tracker.example/pixel.png)"


def _square(x: float, y: float, side: float = 0.01) -> dict[str, Any]:
    ring = [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _display() -> dict[str, Any]:
    names = [("A", XSS), ("B", TEMPLATE), ("C", MARKDOWN), ("D", "Dorf & Feld"),
             ("E", "ohne Geometrie")]
    features = [{"type": "Feature", "properties": {"code": c, "name": n},
                 "geometry": _square(7.2 + 0.01 * i, 51.45) if c != "E" else None}
                for i, (c, n) in enumerate(names)]
    return {"type": "FeatureCollection", "features": features}


VALUES = {"A": AreaValue(4.26, 27, False), "B": AreaValue(None, None, True),
          "C": AreaValue(1.0, 5, False)}  # D: no figure at all


def _props(fc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["code"]: f["properties"] for f in fc["features"]}


def _loaded_urls(html: str) -> list[str]:
    """Everything the page would fetch: script src, stylesheet href, CSS url(...)."""
    return (re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
            + re.findall(r"<link[^>]*\shref=\"([^\"]+)\"", html)
            + re.findall(r"url\(([^)#][^)]*)\)", html))


def test_properties_per_area() -> None:
    display = _display()
    before = copy.deepcopy(display)
    fc = choropleth_geojson(display, VALUES, min_n=5)
    assert display == before  # the cached display geometry is never changed
    props = _props(fc)
    assert list(props) == ["A", "B", "C", "D"]  # E has no geometry: not drawn
    assert props["A"] == {"code": "A",
                          "name": "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;",
                          "value": 4.26, "n": 27, "suppressed": False,
                          "label": "Mittelwert 4,3 · n = 27", "colour": "#41b6c4"}
    assert props["B"]["value"] is None and props["B"]["n"] is None
    assert props["B"]["suppressed"] is True and props["B"]["colour"] is None
    assert props["B"]["label"] == "zu wenige Antworten (n &lt; 5)"
    assert props["C"]["colour"] == "#ffffcc" and props["C"]["label"] == "Mittelwert 1,0 · n = 5"
    assert props["D"]["suppressed"] is False and props["D"]["colour"] is None
    assert props["D"]["label"] == "keine Antworten" and props["D"]["name"] == "Dorf &amp; Feld"
    assert [f["id"] for f in fc["features"]] == ["0", "1", "2", "3"]


def test_a_suppressed_value_never_leaks_even_if_the_caller_passes_one() -> None:
    fc = choropleth_geojson(_display(), {"A": AreaValue(4.0, 3, True)}, min_n=7)
    a = _props(fc)["A"]
    assert (a["value"], a["n"], a["colour"]) == (None, None, None)
    assert a["label"] == "zu wenige Antworten (n &lt; 7)"


def test_english_labels_and_signed_change() -> None:
    values = {"A": AreaValue(0.43, 40, False), "C": AreaValue(-0.61, 12, False),
              "D": AreaValue(0.0, 9, False)}
    props = _props(choropleth_geojson(_display(), values, scale=CHANGE_SCALE, min_n=5,
                                      lang="en", what="change"))
    assert props["A"]["label"] == "change +0.4 · n = 40"
    assert props["C"]["label"] == "change −0.6 · n = 12"
    assert props["D"]["label"] == "change 0.0 · n = 9"
    assert props["A"]["colour"] == "#d8daeb" and props["C"]["colour"] == "#f1a340"
    assert props["B"]["label"] == "no responses"


def _decoded(html: str) -> str:
    """The map HTML with the JSON escapes of folium's ``tojson`` undone."""
    for code, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&"),
                       ("\\u0027", "'")):
        html = html.replace(code, char)
    return html


@pytest.mark.parametrize("name", [XSS, TEMPLATE, MARKDOWN, "</script><script>alert(1)</script>"])
def test_names_are_escaped_before_they_reach_folium(name: str) -> None:
    display = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "X", "name": name},
         "geometry": _square(7.2, 51.45)}]}
    chor = choropleth_geojson(display, {}, min_n=5)
    pick = picker_geojson(display)
    for fc, m in ((chor, choropleth_map(chor)), (pick, picker_map(pick))):
        escaped = fc["features"][0]["properties"]["name"]
        assert "<" not in escaped and ">" not in escaped and '"' not in escaped
        assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace(
            "&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&") == name
        html = _decoded(m.get_root().render())
        assert escaped in html
        assert "<img src=x" not in html and "</script><script>alert" not in html


@pytest.mark.parametrize(("props", "fill", "extra"), [
    ({"suppressed": True, "colour": None}, HATCH_FILL, {"className": "sr-area sr-suppressed"}),
    ({"suppressed": False, "colour": None}, NO_DATA_COLOUR, {"dashArray": "4 4"}),
    ({"suppressed": False, "colour": "#2c7fb8"}, "#2c7fb8", {"className": "sr-area"}),
])
def test_area_style(props: dict[str, Any], fill: str, extra: dict[str, Any]) -> None:
    style = area_style({"properties": props})
    assert style["fillColor"] == fill
    assert extra.items() <= style.items()
    assert style["weight"] >= 1 and 0 < style["fillOpacity"] <= 1


def test_map_html_loads_only_local_leaflet_and_has_the_hatch_pattern() -> None:
    fc = choropleth_geojson(_display(), VALUES, min_n=5)
    html = choropleth_map(fc).get_root().render()
    urls = _loaded_urls(html)
    assert sorted(urls) == ["../../app/static/vendor/leaflet/leaflet.css",
                            "../../app/static/vendor/leaflet/leaflet.js"]
    assert f'<pattern id="{HATCH_ID}"' in html
    assert "d3" not in " ".join(urls) and "https://" not in html.split("<body>")[0]
    # the tooltip shows name and label, without field names
    assert re.search(r'let fields = \["name", ?"label"\];', html)


def test_folium_defaults_are_not_changed_globally() -> None:
    m = use_local_assets(folium.Map(tiles=None))
    assert m.default_js == [("leaflet", "../../app/static/vendor/leaflet/leaflet.js")]
    assert any("cdn.jsdelivr.net" in src for _, src in folium.Map.default_js)
    assert any("cdn" in src for _, src in folium.Map(tiles=None).default_js)


def test_leaflet_is_vendored() -> None:
    assert missing_assets() == []
    assert f't.version="{LEAFLET_VERSION}"' in (vendor_dir() / "leaflet.js").read_text()
    assert "BSD 2-Clause" in (vendor_dir() / "LICENSE").read_text()
    assert "npm pack leaflet@1.9.4" in (vendor_dir() / "README.md").read_text()


@pytest.mark.parametrize("key", list(BASEMAPS))
def test_basemap_tiles_only_when_configured(key: str) -> None:
    html = base_map([[51.4, 7.2], [51.5, 7.3]], key).get_root().render()
    choice = basemap(key)
    if choice.url is None:
        assert "L.tileLayer" not in html and "tile.openstreetmap" not in html
    else:
        assert "L.tileLayer" in html and choice.url.split("{")[0] in html


def test_basemap_setting() -> None:
    assert load_settings({}).basemap == "none"
    assert load_settings({"STADTRAUM_BASEMAP": " OSM "}).basemap == "osm"
    assert load_settings({"STADTRAUM_BASEMAP": "basemapde"}).basemap == "basemapde"
    with pytest.raises(ValidationError) as err:
        load_settings({"STADTRAUM_BASEMAP": "google"})
    assert err.value.field == "STADTRAUM_BASEMAP"
    assert "erlaubt: none, osm, basemapde" in err.value.message_de


def test_every_configurable_basemap_is_defined() -> None:
    assert tuple(BASEMAPS) == BASEMAP_KEYS


def test_bounds() -> None:
    assert geojson_bounds(_display()) == [[51.45, 7.2], [51.46, 7.24]]
    assert geojson_bounds({"type": "FeatureCollection", "features": []}) is None


def test_legend_bins_and_suppressed_entry() -> None:
    legend = legend_for(RATING_SCALE, 5)
    assert legend.title == "Mittelwert (1 bis 7)"
    assert [e.label for e in legend.entries][:2] == ["1 bis unter 2", "2 bis unter 3"]
    assert [e.colour for e in legend.entries[:6]] == [b.colour for b in RATING_SCALE.bins]
    last = legend.entries[-1]
    assert last.hatched and last.label == "zu wenige Antworten (n < 5)"
    assert legend_for(CHANGE_SCALE, 7, "en").entries[-1].label == "too few responses (n < 7)"
    html = legend_html(legend)
    assert "zu wenige Antworten (n &lt; 5)" in html and "repeating-linear-gradient" in html
    assert html.count('class="sr-swatch"') == 7
    assert "&lt;b&gt;" in legend_html(legend_for(RATING_SCALE, 5, title="<b>x</b>"))


def test_picker_and_selection_layer() -> None:
    fc = picker_geojson(_display())
    assert [f["properties"]["code"] for f in fc["features"]] == ["A", "B", "C", "D"]
    assert set(fc["features"][0]["properties"]) == {"code", "name"}
    html = picker_map(fc).get_root().render()
    assert "sr-label" in html and "bindTooltip(feature.properties.name" in html
    assert "querySelectorAll(\".sr-label\")" in html and 'map.on("zoomend"' in html
    unlabelled = picker_map(fc, labels=False).get_root().render()
    assert "bindTooltip(feature.properties.name" not in unlabelled
    assert ".sr-label\")" not in unlabelled  # no declutter script without labels
    assert selection_layer(fc, None) is None and selection_layer(fc, "Z") is None
    layer = selection_layer(fc, "B")
    assert layer is not None
    (child,) = layer._children.values()
    assert [f["properties"]["code"] for f in child.data["features"]] == ["B"]
    assert child.options.get("interactive") is False


def test_picker_puts_big_areas_first_so_their_labels_win() -> None:
    display = _display()
    display["features"][2]["geometry"] = _square(7.3, 51.45, side=0.03)  # C, 9 times A
    display["features"][1]["geometry"] = _square(7.4, 51.45, side=0.02)  # B, 4 times A
    assert [f["properties"]["code"] for f in picker_geojson(display)["features"]] == [
        "C", "B", "A", "D"]


def test_area_values_from_the_engine(engine: Engine) -> None:
    """Q1 (n=2 < 3) primary, Q2 secondary suppression; Q3 shown: mean 6, n 3."""
    city = make_city(engine, min_n=3)
    for area, score in [("Q1", 1), ("Q1", 2), ("Q2", 3), ("Q2", 4), ("Q2", 5), ("Q2", 6),
                        ("Q3", 5), ("Q3", 6), ("Q3", 7)]:
        submit_response(engine, make_payload(city.campaign_id, area, {"moving_around": score}))
    res = compute_results(engine, CubeProvider(engine),
                          CubeFilter(campaign_ids=(city.campaign_id,)))
    moving = area_values(res, 0, "moving_around")
    assert moving["Q1"] == AreaValue(None, None, True)
    assert moving["Q2"] == AreaValue(None, None, True)
    assert moving["Q3"] == AreaValue(pytest.approx(6.0), 3, False)  # type: ignore[arg-type]
    assert area_values(res, "Stadtbezirk", "moving_around")["D2"].value == pytest.approx(6.0)
    index = area_values(res, 0)
    assert index["Q1"].suppressed and index["Q1"].n is None
    assert index["Q3"] == AreaValue(pytest.approx(6.0), 3, False)  # type: ignore[arg-type]
    fc = choropleth_geojson(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": c, "name": c},
             "geometry": _square(7.2 + 0.01 * i, 51.45)} for i, c in enumerate(moving)]},
        moving, min_n=res.min_n)
    assert [area_style(f)["fillColor"] for f in fc["features"]] == [
        HATCH_FILL, HATCH_FILL, RATING_SCALE.colour_for(6.0)]
    with pytest.raises(KeyError):
        area_values(res, 0, "no_such_criterion")
