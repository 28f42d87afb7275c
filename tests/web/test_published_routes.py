"""The published results over HTTP, served by ``uvicorn app:app`` on a free port against a real
SQLite file: without sign-in, geopandas reads the GeoJSON URL and pandas the CSV URL, both
holding the published snapshot (not the live figures, no n); an unknown, unpublished or
not-public campaign, another file name and anything else below /opendata is an empty 404."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.publish.public_results import public_paths, set_results_public
from stadtraum.publish.service import publish_results, published_area
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import add_campaign, make_city, make_payload
from tests.servers import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Site:
    url: str
    db_url: str
    public: int  # published and switched public
    hidden: int  # published, not public
    never: int  # never published


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("published")
    db_url = f"sqlite:///{tmp / 'app.db'}"
    engine = make_engine(db_url)
    migrate(engine)
    city = make_city(engine, min_n=5)
    hidden, never = add_campaign(engine, city, "Welle 2"), add_campaign(engine, city, "Welle 3")
    for campaign in (city.campaign_id, hidden, never):
        for score in (3, 4, 4, 5, 6, 6):  # Q1: 4.667 live
            submit_response(engine, make_payload(campaign, "Q1", {"moving_around": score}))
        for score in (6, 6, 7, 7, 7):  # Q3: 6.6
            submit_response(engine, make_payload(campaign, "Q3", {"moving_around": score}))
    for campaign in (city.campaign_id, hidden):
        publish_results(engine, CubeProvider(engine), campaign, actor=SYSTEM)
    set_results_public(engine, city.campaign_id, True, actor=SYSTEM)
    for score in (1, 1):  # after publication: the live figures move, the public ones do not
        submit_response(engine, make_payload(city.campaign_id, "Q3", {"moving_around": score}))
    engine.dispose()
    port = free_port()
    env = dict(os.environ, STADTRAUM_DATABASE_URL=db_url,
               STADTRAUM_SESSION_SECRET="published-test-secret-" + "z" * 30,
               STADTRAUM_DEMO_ON_EMPTY="0")
    log = (tmp / "uvicorn.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc, tmp / "uvicorn.log", timeout_s=90)
    try:
        yield Site(url, db_url, city.campaign_id, hidden, never)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def test_geopandas_reads_the_published_geojson_url(site: Site) -> None:
    frame = gpd.read_file(site.url + f"/opendata/{site.public}/results.geojson")
    assert frame.crs.to_epsg() == 4326 and sorted(frame["Gebiet-Code"]) == ["Q1", "Q2", "Q3"]
    engine = make_engine(site.db_url)
    for _, row in frame.iterrows():
        published = published_area(engine, site.public, "Quartier", row["Gebiet-Code"])
        assert published is not None
        got = row["Zu Fuß und mit dem Rad: Mittelwert"]
        want = published.values["moving_around"]
        assert (pd.isna(got) and want is None) or got == want, row["Gebiet-Code"]
    engine.dispose()
    q3 = frame.set_index("Gebiet-Code").loc["Q3", "Zu Fuß und mit dem Rad: Mittelwert"]
    assert q3 == 6.6  # the snapshot, not the live 5.714 after two more answers
    assert not any(c.endswith(": n") or "KI95" in c for c in frame.columns)


def test_the_csv_url_without_sign_in(site: Site) -> None:
    status, body, headers = _get(site.url + f"/opendata/{site.public}/results.csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert headers["access-control-allow-origin"] == "*"
    frame = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", dtype={"gebiet_code": str})
    assert list(frame.columns) == ["ebene", "gebiet_code", "gebiet", "kriterium_id",
                                   "kriterium", "mittelwert", "unterdrueckt"]
    row = frame[(frame.gebiet_code == "Q3") & (frame.kriterium_id == "moving_around")]
    assert float(row["mittelwert"].iloc[0]) == 6.6
    text = body.decode("utf-8-sig")
    assert "4.667" not in text and "5.714" not in text  # exact or live figures
    status, meta, headers = _get(site.url + f"/opendata/{site.public}/results.csv-metadata.json")
    assert status == 200 and b'"results.csv"' in meta
    assert [p.rsplit("/", 1)[1] for p in public_paths(site.public)] == [
        "results.geojson", "results.csv", "results.csv-metadata.json"]


@pytest.mark.parametrize("path", [
    "/opendata/{hidden}/results.geojson", "/opendata/{hidden}/results.csv",
    "/opendata/{never}/results.csv", "/opendata/999/results.csv",
    "/opendata/{public}/responses.csv", "/opendata/{public}/results.xlsx",
    "/opendata/{public}/", "/opendata/{public}", "/opendata", "/opendata/",
    "/opendata/abc/results.csv", "/opendata/{public}/results.csv/more",
    "/opendata/0/results.csv", "/opendata/99999999999/results.csv"])
def test_everything_else_is_an_empty_404(site: Site, path: str) -> None:
    status, body, _ = _get(site.url + path.format(public=site.public, hidden=site.hidden,
                                                  never=site.never))
    assert (status, body) == (404, b""), path


def test_switching_off_takes_the_files_down(site: Site) -> None:
    engine = make_engine(site.db_url)
    url = site.url + f"/opendata/{site.public}/results.geojson"
    try:
        set_results_public(engine, site.public, False, actor=SYSTEM)
        assert _get(url)[:2] == (404, b"")
    finally:
        set_results_public(engine, site.public, True, actor=SYSTEM)
        engine.dispose()
    assert _get(url)[0] == 200
