"""Switching a campaign's results public (issue 12, item 7) on SQLite and PostgreSQL: admins
only, audited, refused in German while the campaign was never published; the public snapshot
holds the published values only (rounded, no n, not the live figures) and the files built
from it carry no n and no hidden value."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ConflictError, NotFoundError, PermissionDeniedError
from stadtraum.publish.public_files import public_csv, public_csv_metadata, public_geojson
from stadtraum.publish.public_results import public_paths, public_snapshot, set_results_public
from stadtraum.publish.service import publish_results
from stadtraum.store.db import AuditEntry, Campaign
from tests.helpers import City, make_city, make_payload

ADA = Actor("ada", "admin")


@pytest.fixture
def city(engine: Engine) -> City:
    city = make_city(engine, min_n=5)
    for score in (3, 4, 4, 5, 6, 6):  # Q1: 28 / 6 = 4.667
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"moving_around": score}))
    for score in (1, 1, 2):  # Q2: too few
        submit_response(engine, make_payload(city.campaign_id, "Q2", {"moving_around": score}))
    return city


def _public(engine: Engine, campaign_id: int) -> bool:
    with Session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        return bool(campaign.results_public)


def _audits(engine: Engine) -> list[tuple[str | None, str | None]]:
    with Session(engine) as session:
        return [(e.actor, e.detail) for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "set_results_public").order_by(AuditEntry.id))]


def test_never_published_is_refused_in_german(engine: Engine, city: City) -> None:
    with pytest.raises(ConflictError) as err:
        set_results_public(engine, city.campaign_id, True, actor=ADA)
    assert "noch nie veröffentlicht" in err.value.message_de
    assert not _public(engine, city.campaign_id) and _audits(engine) == []
    assert public_snapshot(engine, city.campaign_id) is None
    with pytest.raises(NotFoundError):
        set_results_public(engine, 999, True, actor=ADA)


@pytest.mark.parametrize("role", ["planner", "moderator", "helper"])
def test_only_admins_switch_results_public(engine: Engine, city: City, role: str) -> None:
    publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    with pytest.raises(PermissionDeniedError):
        set_results_public(engine, city.campaign_id, True, actor=Actor("pia", role))
    assert not _public(engine, city.campaign_id) and _audits(engine) == []


def test_switching_is_audited_once_and_serves_only_the_snapshot(engine: Engine,
                                                                city: City) -> None:
    publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    assert public_snapshot(engine, city.campaign_id) is None  # published, not yet public
    assert set_results_public(engine, city.campaign_id, True, actor=ADA)
    assert not set_results_public(engine, city.campaign_id, True, actor=ADA)  # unchanged
    for score in (7, 7, 7):  # live figures move, the snapshot does not (fewer than min_n)
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"moving_around": score}))
    snap = public_snapshot(engine, city.campaign_id)
    assert snap is not None
    assert snap.levels == ("Quartier", "Stadtbezirk", "Gesamtstadt")
    assert snap.value("Quartier", "Q1", "moving_around") is None  # secondary suppression
    assert snap.value("Quartier", "Q2", "moving_around") is None
    assert snap.value("Stadtbezirk", "D1", "moving_around") == 3.6  # 32 / 9, rounded
    text = public_csv(snap).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert set(rows[0]) == {"ebene", "gebiet_code", "gebiet", "kriterium_id", "kriterium",
                            "mittelwert", "unterdrueckt"}  # no n, no CI
    d1 = next(r for r in rows if (r["gebiet_code"], r["kriterium_id"]) == ("D1",
                                                                           "moving_around"))
    assert d1["mittelwert"] == "3.6"
    for hidden in ("4.667", "4.7", "1.333", "1.3", "3.556"):  # live or suppressed figures
        assert f",{hidden}," not in text
    geo = json.loads(public_geojson(engine, snap))
    assert len(geo["features"]) == 3 and geo["metadata"]["source"] == "published"
    keys = set(geo["features"][0]["properties"])
    assert not any(k.endswith(": n") or "KI95" in k for k in keys)
    assert json.loads(public_csv_metadata(snap))["url"] == "results.csv"
    assert set_results_public(engine, city.campaign_id, False, actor=ADA)
    assert public_snapshot(engine, city.campaign_id) is None
    assert [a for a, _ in _audits(engine)] == ["ada", "ada"]
    assert [json.loads(d or "{}")["public"] for _, d in _audits(engine)] == [True, False]
    assert public_paths(city.campaign_id)[0] == f"/opendata/{city.campaign_id}/results.geojson"
