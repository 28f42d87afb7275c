"""AppTest: on the demo city, wave 1 is published and then its raw data are purged. The map and
the area profile of wave 1 still show its figures, exactly the published snapshot (means
only, no n), say why, and offer only the public report; wave 2 stays live."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.users import AuthUser
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.privacy.purge import purge_campaign
from stadtraum.publish.service import publish_results
from stadtraum.store.db import Campaign, PublishedCell
from stadtraum.store.engine import make_engine
from tests.app.conftest import ROOT
from tests.app.flow import run as _run

ADMIN = Actor("ada", "admin")


@pytest.fixture
def purged_wave(demo_db: str) -> tuple[int, dict[tuple[str, str, str], float | None]]:
    """(id of the purged wave 1, its published cells)."""
    engine = make_engine(demo_db)
    with Session(engine) as session:
        wave1 = int(session.scalars(select(Campaign.id).where(Campaign.status == "closed")
                                    .order_by(Campaign.id)).first() or 0)
    publish_results(engine, CubeProvider(engine), wave1, actor=ADMIN)
    purge_campaign(engine, wave1, actor=ADMIN)
    with Session(engine) as session:
        cells = {(c.level, c.area_code, c.criterion_id): c.value for c in session.scalars(
            select(PublishedCell).where(PublishedCell.campaign_id == wave1))}
    engine.dispose()
    return wave1, cells


def _page(name: str, campaign_id: int | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=180)
    at.session_state["user"] = AuthUser(id=3, name="pia", role="planner")
    at = _run(at)
    if campaign_id is not None:
        at.selectbox(key="flt_campaign").set_value(campaign_id)
        at = _run(at)
    return at


def _german(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def test_the_map_of_the_purged_wave_shows_its_published_means(
        purged_wave: tuple[int, dict[tuple[str, str, str], float | None]]) -> None:
    wave1, cells = purged_wave
    at = _page("map.py", wave1)
    assert not at.exception and not at.error
    info = " ".join(i.value for i in at.info)
    assert "Die Rohdaten dieser Befragung wurden am" in info and "veröffentlichten Stand" in info
    assert "map_metric" not in [s.key for s in at.selectbox]  # means only
    table = at.dataframe[0].value
    assert isinstance(table, pd.DataFrame)
    assert "n" not in table.columns and len(table) == 30
    shown = dict(zip(table["Code"].astype(str), table["Mittelwert"], strict=True))
    assert shown == {code: _german(cells[("Quartier", code, "")]) for code in shown}
    assert sum(v != "" for v in shown.values()) >= 20  # most quarters were published
    at.selectbox(key="map_criterion").set_value("moving_around")
    at = _run(at)
    table = at.dataframe[0].value
    shown = dict(zip(table["Code"].astype(str), table["Mittelwert"], strict=True))
    assert shown == {code: _german(cells[("Quartier", code, "moving_around")])
                     for code in shown}
    # the live wave 2 still has every measure and its notes
    live = _page("map.py")
    assert "map_metric" in [s.key for s in live.selectbox]
    assert not any("Rohdaten" in i.value for i in live.info)


def test_the_profile_of_the_purged_wave_shows_area_parent_and_city(
        purged_wave: tuple[int, dict[tuple[str, str, str], float | None]]) -> None:
    wave1, cells = purged_wave
    at = _page("profile.py", wave1)
    assert not at.exception
    at.selectbox(key="profile_pick").set_value("102")
    at = _run(at)
    assert not at.exception and not at.error
    info = " ".join(i.value for i in at.info)
    assert "Das Profil zeigt den veröffentlichten Stand" in info
    table = at.dataframe[0].value
    assert isinstance(table, pd.DataFrame)
    own = table.columns[1]
    assert list(table.columns)[-1] == "Gesamtstadt"
    first = table.iloc[0]
    expected = cells[("Quartier", "102", "moving_around")]
    assert first[own] == ("–" if expected is None else _german(expected))
    assert "Befragte in der Gesamtstadt" not in " ".join(c.value for c in at.caption)
    assert [str(r.value) for r in at.radio if r.key == "report_source"] == ["published"]
    assert [o for r in at.radio if r.key == "report_source" for o in r.options] == [
        "Öffentlich: veröffentlichter Stand"]
