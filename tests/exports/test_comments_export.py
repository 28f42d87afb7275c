"""The comments export (issue 12, item 5) on SQLite and PostgreSQL: released comments only,
redacted ones in their redacted form, new and hidden ones absent; formula-safe; CSVW
metadata; audited; refused without ``results.export``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.errors import PermissionDeniedError
from stadtraum.exports.comments_export import export_comments
from stadtraum.store.db import AuditEntry
from stadtraum.store.db_privacy import Comment
from tests.helpers import City, make_city, make_payload

TEXTS = {  # text -> (status, redacted text)
    "Schöner Park am Ufer": ("released", None),
    '=HYPERLINK("http://x.test","klick")': ("released", None),
    "Frau Muster in Nr. 5 ist laut": ("released", "[entfernt] in Nr. 5 ist laut"),
    "geheim-neu-4711": ("new", None),
    "geheim-versteckt-0815": ("hidden", None),
}


@pytest.fixture
def city(engine: Engine) -> City:
    city = make_city(engine)
    for i, text in enumerate(TEXTS):
        submit_response(engine, make_payload(
            city.campaign_id, ("Q1", "Q2", "Q3")[i % 3], {"moving_around": 4},
            comments=[("moving_around", "good" if i % 2 else "better", text)]))
    with Session(engine) as session, session.begin():
        for text, (status, shown) in TEXTS.items():
            session.execute(update(Comment).where(Comment.text == text)
                            .values(status=status, shown_text=shown))
    return city


def test_only_released_comments_go_out_redacted_and_formula_safe(engine: Engine,
                                                                  city: City) -> None:
    out = export_comments(engine, CubeProvider(engine), city.campaign_id, actor=SYSTEM)
    assert out.data.startswith(b"\xef\xbb\xbf")
    text = out.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert sorted(r["kommentar"] for r in rows) == sorted([
        "Schöner Park am Ufer", "'=HYPERLINK(\"http://x.test\",\"klick\")",
        "[entfernt] in Nr. 5 ist laut"])
    assert "Frau Muster" not in text and "geheim" not in text
    assert {r["kriterium"] for r in rows} == {"Zu Fuß und mit dem Rad"}
    assert {r["gebiet"] for r in rows} <= {"Quartier Q1", "Quartier Q2", "Quartier Q3"}
    assert out.rows == 3
    name, sidecar = out.sidecar
    meta = json.loads(sidecar)
    assert name == out.name + "-metadata.json" and meta["url"] == out.name
    assert meta["stadtraum:metadaten"]["campaigns"][0]["id"] == city.campaign_id


def test_the_comments_export_is_audited_and_refused_without_permission(engine: Engine,
                                                                       city: City) -> None:
    for role in ("helper", "moderator"):
        with pytest.raises(PermissionDeniedError):
            export_comments(engine, CubeProvider(engine), city.campaign_id,
                            actor=Actor("max", role))
    with Session(engine) as session:
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.action == "export_comments")).all() == []
    export_comments(engine, CubeProvider(engine), city.campaign_id,
                    actor=Actor("pia", "planner"))
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "export_comments")).one()
    assert (entry.actor, entry.object_id) == ("pia", str(city.campaign_id))
    assert json.loads(entry.detail or "{}")["rows"] == 3
