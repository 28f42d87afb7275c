"""The open-data package (issue 12, item 6) on SQLite and PostgreSQL: a ZIP from the
published snapshot (not the live figures, no n, no comments) with CSV, GeoJSON, GeoPackage,
a DCAT-AP.de record that pyshacl accepts against the shapes file in the repo (and rejects
when a mandatory or recommended field is missing), a plain-German README and checksums;
refused while never published and for roles without ``results.export``; audited."""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pyshacl
import pytest
from rdflib import Graph
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ConflictError, PermissionDeniedError, ValidationError
from stadtraum.publish.open_data import build_open_data
from stadtraum.publish.open_data_record import Publisher, parse_jsonld
from stadtraum.publish.service import publish_results, published_area
from stadtraum.store.db import AuditEntry
from tests.helpers import City, make_city, make_payload

SHAPES = Path(__file__).resolve().parents[2] / "stadtraum" / "publish" / "dcat" / "shapes.ttl"
PUBLISHER = Publisher("Teststadt", "Stadtplanung Teststadt, planung@teststadt.example",
                      "https://beteiligung.teststadt.example")
MARKER = "Kommentar-Marker-5150"


@pytest.fixture
def city(engine: Engine) -> City:
    city = make_city(engine, min_n=5)
    for score in (3, 4, 4, 5, 6, 6):  # Q1: 4.667 live, 4.7 published
        submit_response(engine, make_payload(city.campaign_id, "Q1", {"moving_around": score},
                                             comments=[("moving_around", "good", MARKER)]))
    for score in (6, 6, 7, 7, 7):
        submit_response(engine, make_payload(city.campaign_id, "Q3", {"moving_around": score}))
    return city


def _package(engine: Engine, city: City) -> dict[str, bytes]:
    publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    for _ in range(3):  # live figures move after publication; the package must not
        submit_response(engine, make_payload(city.campaign_id, "Q3", {"moving_around": 1}))
    pkg = build_open_data(engine, city.campaign_id, actor=Actor("pia", "planner"),
                          publisher=PUBLISHER)
    with zipfile.ZipFile(io.BytesIO(pkg.data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _shacl(record: dict[str, object]) -> bool:
    data = parse_jsonld(json.dumps(record))  # rdflib's parser, its own warning silenced
    conforms, _, _ = pyshacl.validate(data, shacl_graph=Graph().parse(SHAPES, format="turtle"),
                                      allow_warnings=False)
    return bool(conforms)


def test_the_package_holds_the_snapshot_and_checks_out(engine: Engine, city: City,
                                                       tmp_path: Path) -> None:
    files = _package(engine, city)
    assert set(files) == {"ergebnisse.csv", "ergebnisse.csv-metadata.json",
                          "ergebnisse.geojson", "ergebnisse.gpkg", "LIESMICH.txt",
                          "metadaten.jsonld", "SHA256SUMS"}
    sums = dict(reversed(line.split("  ")) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    everything = b"".join(files.values())
    assert MARKER.encode() not in everything  # never comments
    rows = list(csv.DictReader(io.StringIO(files["ergebnisse.csv"].decode("utf-8-sig"))))
    q3 = next(r for r in rows if (r["gebiet_code"], r["kriterium_id"]) == ("Q3",
                                                                           "moving_around"))
    assert q3["mittelwert"] == "6.6" and "n" not in rows[0]  # the snapshot, not live 4.4
    frame = gpd.read_file(io.BytesIO(files["ergebnisse.geojson"]))
    for _, row in frame.iterrows():
        public = published_area(engine, city.campaign_id, "Quartier", row["Gebiet-Code"])
        assert public is not None
        got = row["Zu Fuß und mit dem Rad: Mittelwert"]
        want = public.values["moving_around"]
        assert (want is None and got != got) or got == want
    path = tmp_path / "x.gpkg"
    path.write_bytes(files["ergebnisse.gpkg"])
    city_layer = gpd.read_file(path, layer="Gesamtstadt")
    assert len(city_layer) == 1 and not any(c.endswith(": n") for c in city_layer.columns)
    readme = files["LIESMICH.txt"].decode("utf-8")
    for phrase in ("1 bis 7", "weniger als 5 Personen", "Nicht repräsentativ",
                   "Datenlizenz Deutschland – Namensnennung – Version 2.0", "sha256sum -c"):
        assert phrase in readme, phrase
    record = json.loads(files["metadaten.jsonld"])
    assert isinstance(record["@context"], dict)  # inlined: nothing to fetch
    assert _shacl(record)
    dists = record["dcat:distribution"]
    assert {d["dcat:mediaType"]["@id"].rsplit("/", 2)[-2] + "/" +
            d["dcat:mediaType"]["@id"].rsplit("/", 1)[-1] for d in dists} >= {
        "text/csv", "application/geo+json", "application/geopackage+sqlite3"}
    assert all(d["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
               for d in dists)
    live = {d["dcat:accessURL"]["@id"] for d in dists}
    assert f"{PUBLISHER.base_url}/opendata/{city.campaign_id}/results.geojson" in live
    assert record["dct:publisher"]["foaf:name"] == "Teststadt"
    assert record["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == \
        "mailto:planung@teststadt.example"


@pytest.mark.parametrize("path", [("dct:title",), ("dct:publisher",),
                                  ("dcat:distribution", 0, "dct:license"),
                                  ("dct:temporal", "dcat:startDate")])
def test_the_shapes_reject_a_record_without_a_required_field(engine: Engine, city: City,
                                                             path: tuple[object, ...]) -> None:
    record = json.loads(_package(engine, city)["metadaten.jsonld"])
    broken = copy.deepcopy(record)
    node = broken
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    del node[path[-1]]  # type: ignore[arg-type]
    assert _shacl(record) and not _shacl(broken)


def test_refusals_and_the_audit_entry(engine: Engine, city: City) -> None:
    with pytest.raises(ConflictError) as err:
        build_open_data(engine, city.campaign_id, actor=SYSTEM, publisher=PUBLISHER)
    assert "noch nie veröffentlicht" in err.value.message_de
    publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    for role in ("helper", "moderator"):
        with pytest.raises(PermissionDeniedError):
            build_open_data(engine, city.campaign_id, actor=Actor("max", role),
                            publisher=PUBLISHER)
    with pytest.raises(ValidationError):
        build_open_data(engine, city.campaign_id, actor=SYSTEM, publisher=PUBLISHER,
                        licence="proprietär")
    with Session(engine) as session:
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.action == "export_open_data")).all() == []
    build_open_data(engine, city.campaign_id, actor=Actor("ada", "admin"),
                    publisher=PUBLISHER, licence="cc-by/4.0")
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "export_open_data")).one()
    assert (entry.actor, entry.object_id) == ("ada", str(city.campaign_id))
    assert json.loads(entry.detail or "{}")["licence"] == "cc-by/4.0"


def test_a_city_without_a_name_is_asked_for_one(engine: Engine, city: City) -> None:
    publish_results(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    with pytest.raises(ValidationError) as err:
        build_open_data(engine, city.campaign_id, actor=SYSTEM,
                        publisher=Publisher(" ", "", ""))
    assert "Namen der Stadt" in err.value.message_de
