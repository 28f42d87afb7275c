"""After a campaign's raw data are purged, its map, profile and reports still work: they show
exactly the published snapshot (rounded means, no n), and the live report is refused."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.admin.campaigns import close_campaign
from stadtraum.analysis.area_compare import locate_area
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import CITY_CODE, compute_results
from stadtraum.collect.submit import submit_response
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.maps.page_data import map_data
from stadtraum.privacy.purge import purge_campaign
from stadtraum.publish.published_map import published_map_data, published_note
from stadtraum.publish.published_profile import published_series, published_table
from stadtraum.publish.service import publish_results
from stadtraum.publish.snapshot import cells_of
from stadtraum.reports.area_report import build_area_report
from tests.helpers import City, make_city, make_payload

ADMIN = Actor("anna", "admin")
PLANNER = Actor("pia", "planner")


def _city(engine: Engine, *, publish: bool = True) -> City:
    city = make_city(engine, min_n=3, layout={"D1": ("Q1", "Q2"), "D2": ("Q3", "Q4")})
    for i in range(12):
        submit_response(engine, make_payload(city.campaign_id, ("Q1", "Q2", "Q3")[i % 3], {
            "moving_around": 1 + i % 7, "natural_space": 2 + i % 5}))
    submit_response(engine, make_payload(city.campaign_id, "Q4", {"moving_around": 7}))
    close_campaign(engine, city.campaign_id, actor=SYSTEM)
    if publish:
        publish_results(engine, CubeProvider(engine), city.campaign_id, actor=ADMIN)
    return city


def test_the_map_of_a_purged_campaign_shows_the_published_means(engine: Engine) -> None:
    city = _city(engine)
    live = cells_of(compute_results(engine, CubeProvider(engine),
                                    CubeFilter((city.campaign_id,))))
    before = map_data(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)),
                      level_name="Quartier", level_id=city.quarter_level_id, metric="mean",
                      criterion_id="moving_around")
    purge_campaign(engine, city.campaign_id, actor=ADMIN)
    gone = map_data(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)),
                    level_name="Quartier", level_id=city.quarter_level_id, metric="mean",
                    criterion_id="moving_around")
    assert all(v.value is None for v in gone.layer.values.values())  # live: nothing left

    data = published_map_data(engine, city.campaign_id, level_name="Quartier",
                              level_id=city.quarter_level_id, criterion_id="moving_around")
    assert data.results is None and data.published_at is not None
    shown = {code: v.value for code, v in data.layer.values.items()}
    assert shown == {code: live[("Quartier", code, "moving_around")].value for code in shown}
    assert shown["Q4"] is None and data.layer.values["Q4"].suppressed  # one person: hidden
    assert shown["Q1"] is not None
    for code, v in before.layer.values.items():  # the rounded live means, from the snapshot
        assert shown[code] == (None if v.value is None else round(v.value, 1))
    assert all(v.n is None for v in data.layer.values.values())  # no n survives
    assert all(f["properties"]["n"] is None for f in data.features["features"])
    assert "n" not in data.table.columns and len(data.table) == 4
    assert data.table.set_index("Code").loc["Q4", "Hinweis"].startswith("nicht veröffentlicht")
    index = published_map_data(engine, city.campaign_id, level_name="Quartier",
                               level_id=city.quarter_level_id, criterion_id=None, lang="en")
    assert index.layer.title == "Overall index – mean"
    assert {c: v.value for c, v in index.layer.values.items()} == {
        code: live[("Quartier", code, "")].value for code in index.layer.values}


def test_a_purged_campaign_never_published_says_so_in_german(engine: Engine) -> None:
    city = _city(engine, publish=False)
    purge_campaign(engine, city.campaign_id, actor=ADMIN)
    with pytest.raises(NotFoundError) as missing:
        published_map_data(engine, city.campaign_id, level_name="Quartier",
                           level_id=city.quarter_level_id, criterion_id=None)
    assert "nie veröffentlicht" in missing.value.message_de


def test_an_unknown_criterion_is_a_german_error(engine: Engine) -> None:
    city = _city(engine)
    purge_campaign(engine, city.campaign_id, actor=ADMIN)
    with pytest.raises(ValidationError) as bad:
        published_map_data(engine, city.campaign_id, level_name="Quartier",
                           level_id=city.quarter_level_id, criterion_id="no_such_criterion")
    assert "gehört nicht zu dieser Befragung" in bad.value.message_de


def test_the_profile_of_a_purged_campaign_shows_area_parent_and_city(engine: Engine) -> None:
    city = _city(engine)
    live = cells_of(compute_results(engine, CubeProvider(engine),
                                    CubeFilter((city.campaign_id,))))
    purge_campaign(engine, city.campaign_id, actor=ADMIN)
    results = compute_results(engine, CubeProvider(engine), CubeFilter((city.campaign_id,)))
    k, row = locate_area(results, "Q1")
    found = published_series(engine, city.campaign_id, results, k, row)
    assert found is not None
    assert [s.name for s in found.series] == ["Quartier Q1", "Bezirk D1", "Gesamtstadt"]
    ids = [c.id for c in results.criteria]
    for s, (level, code) in zip(found.series, [("Quartier", "Q1"), ("Stadtbezirk", "D1"),
                                               ("Gesamtstadt", CITY_CODE)], strict=True):
        assert list(s.values) == [live[(level, code, cid)].value for cid in ids]
    assert found.index == live[("Quartier", "Q1", "")].value
    table = published_table(results, found)
    first = table.iloc[0]
    assert first["Kriterium"] == results.criteria[0].label("de")
    expected = live[("Quartier", "Q1", ids[0])].value
    assert first["Quartier Q1"] == ("–" if expected is None else f"{expected:.1f}".replace(
        ".", ","))
    assert table["Quartier Q1"].tolist().count("–") == sum(
        live[("Quartier", "Q1", cid)].value is None for cid in ids)


def test_the_report_of_a_purged_campaign_is_the_public_one_only(engine: Engine) -> None:
    city = _city(engine)
    purge_campaign(engine, city.campaign_id, actor=ADMIN)
    html = build_area_report(engine, CubeProvider(engine), city.campaign_id, "Q1",
                             actor=PLANNER, source="published", fmt="html").decode("utf-8")
    assert "Quartier Q1" in html
    with pytest.raises(ValidationError) as refused:
        build_area_report(engine, CubeProvider(engine), city.campaign_id, "Q1",
                          actor=PLANNER, source="live", fmt="html")
    assert "Rohdaten der Befragung „Befragung 2025“ sind gelöscht" in refused.value.message_de


def test_the_note_names_both_days_in_both_languages() -> None:
    import datetime as dt

    purged = dt.datetime(2028, 6, 15, tzinfo=dt.UTC)
    published = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    de = published_note(purged, published, view="profile")
    assert "15.06.2028 gelöscht" in de and "Das Profil zeigt" in de and "01.07.2026" in de
    en = published_note(purged, published, "en")
    assert "2028-06-15" in en and "The map shows" in en and "2026-07-01" in en
