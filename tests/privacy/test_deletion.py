"""Deleting a response on request: every version, every child row, drafts, snapshots; the
tombstones; the audit line without content; refusals and German errors."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.drafts import save_draft
from stadtraum.collect.interview import Interview
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from stadtraum.paper.rows import form_uuid
from stadtraum.privacy.deletion import delete_response, preview_deletion
from stadtraum.privacy.response_number import short_number
from stadtraum.store.db import AuditEntry, ResponseTombstone
from stadtraum.store.tombstones import uuid_hash
from tests.helpers import count_rows, make_payload
from tests.privacy.test_deletion_fixture import CRIT, counts, plant

ADMIN = Actor("anna", "admin")
TABLES = ("responses", "ratings", "comments", "priorities", "interview_drafts",
          "stats_snapshots", "response_tombstones")


def _all_counts(engine: Engine) -> dict[str, int]:
    return {t: count_rows(engine, t) for t in TABLES}


def test_deletes_every_version_child_and_draft_and_leaves_tombstones(engine: Engine) -> None:
    p = plant(engine)
    helper = Actor("hugo", "helper")
    draft = Interview(campaign_id=p.city.campaign_id, entered_by="hugo", replaces=p.correction)
    save_draft(engine, draft, actor=helper)  # a correction begun of the response
    other = Interview(campaign_id=p.city.campaign_id, entered_by="hugo")
    save_draft(engine, other, actor=helper)
    CubeProvider(engine, snapshot_after_rows=1).get()  # a snapshot holding the row
    before = _all_counts(engine)
    assert before["stats_snapshots"] == 1 and before["interview_drafts"] == 2
    result = delete_response(engine, short_number(p.target), actor=ADMIN)
    after = _all_counts(engine)
    assert (result.versions, result.ratings, result.comments, result.priorities,
            result.drafts) == (2, 4, 2, 1, 1)
    assert after["responses"] == before["responses"] - 2
    assert after["ratings"] == before["ratings"] - 4
    assert after["comments"] == before["comments"] - 2
    assert after["priorities"] == before["priorities"] - 1
    assert after["interview_drafts"] == 1  # the unrelated draft stays
    assert after["stats_snapshots"] == 0
    assert after["response_tombstones"] == 2
    with Session(engine) as session:
        stones = session.scalars(select(ResponseTombstone)).all()
    assert {s.uuid_hash for s in stones} == {uuid_hash(p.target), uuid_hash(p.correction)}
    assert {s.campaign_id for s in stones} == {p.city.campaign_id}
    assert len({s.change_seq for s in stones}) == 1 and all(s.response_id for s in stones)


def test_the_audit_line_says_that_not_what(engine: Engine) -> None:
    p = plant(engine)
    delete_response(engine, p.correction, actor=ADMIN)  # the full UUID of the newer version
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "delete_response")).one()
    assert (entry.actor, entry.object_type, entry.object_id) == (
        "anna", "campaign", str(p.city.campaign_id))
    detail = json.loads(entry.detail or "{}")
    assert detail["versions"] == 2 and detail["comments"] == 2
    line = f"{entry.object_id} {entry.detail}"
    for secret in (p.target, p.correction, p.marker, short_number(p.target),
                   short_number(p.target).replace("-", "")):
        assert secret.lower() not in line.lower()


def test_audit_entries_naming_the_response_lose_uuid_and_reason(engine: Engine) -> None:
    from stadtraum.collect.status import void_response
    p = plant(engine, with_correction=False)
    void_response(engine, p.target, "consent_withdrawn", actor=SYSTEM)
    delete_response(engine, p.target, actor=ADMIN)
    with engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM audit_log"))
                        for v in row)
    assert p.target not in dump
    assert "void" in dump  # that it happened stays


def test_a_deleted_response_cannot_be_sent_again(engine: Engine) -> None:
    p = plant(engine, with_correction=False)
    delete_response(engine, p.target, actor=ADMIN)
    with pytest.raises(ConflictError) as err:
        submit_response(engine, make_payload(p.city.campaign_id, "Q1", {CRIT: 7},
                                             response_id=p.target))
    assert "gelöscht" in err.value.message_de


def test_preview_names_campaign_area_and_versions_without_ratings(engine: Engine) -> None:
    p = plant(engine)
    preview = preview_deletion(engine, short_number(p.target).lower(), actor=ADMIN)
    assert (preview.campaign_id, preview.area_code, preview.versions, preview.mode) == (
        p.city.campaign_id, "Q1", 2, "street")
    assert preview.number == short_number(p.target)
    assert not hasattr(preview, "ratings")
    assert count_rows(engine, "responses") == 7  # a preview deletes nothing


def test_a_paper_form_is_found_by_campaign_and_form_number(engine: Engine) -> None:
    p = plant(engine, with_correction=False)
    submit_response(engine, make_payload(p.city.campaign_id, "Q2", {CRIT: 3}, mode="paper",
                                         response_id=form_uuid(p.city.campaign_id, "17")))
    assert preview_deletion(engine, "017", actor=ADMIN,
                            paper_campaign=p.city.campaign_id).area_code == "Q2"
    assert delete_response(engine, "17", actor=ADMIN,
                           paper_campaign=p.city.campaign_id).versions == 1
    assert count_rows(engine, "responses", "mode = 'paper'") == 0
    with pytest.raises(NotFoundError) as err:
        delete_response(engine, "17", actor=ADMIN, paper_campaign=p.city.campaign_id)
    assert "Bogen-Nr. „17“" in err.value.message_de


@pytest.mark.parametrize("role", ["planner", "moderator", "helper"])
def test_only_admins_delete(engine: Engine, role: str) -> None:
    p = plant(engine)
    before = _all_counts(engine)
    with pytest.raises(PermissionDeniedError) as err:
        delete_response(engine, p.target, actor=Actor("x", role))
    assert "Antworten löschen" in err.value.message_de
    with pytest.raises(PermissionDeniedError):
        preview_deletion(engine, p.target, actor=Actor("x", role))
    assert _all_counts(engine) == before
    assert count_rows(engine, "audit_log", "action = 'delete_response'") == 0


@pytest.mark.parametrize(("typed", "error", "words"), [
    ("", ValidationError, "Bitte eine Antwortnummer eingeben"),
    ("   ", ValidationError, "Bitte eine Antwortnummer eingeben"),
    ("3F2A-9C1B", ValidationError, "keine Antwortnummer"),
    ("ZZZZ-9C1B-04D7", ValidationError, "keine Antwortnummer"),
    ("'; DROP TABLE responses; --", ValidationError, "keine Antwortnummer"),
    ("0000-0000-0000", NotFoundError, "keine gespeicherte Antwort"),
    (str(uuid.UUID(int=1)), NotFoundError, "keine gespeicherte Antwort"),
])
def test_bad_numbers_get_a_german_error(engine: Engine, typed: str, error: type,
                                        words: str) -> None:
    plant(engine, with_correction=False)
    before = _all_counts(engine)
    with pytest.raises(error) as err:
        delete_response(engine, typed, actor=ADMIN)
    assert words in err.value.message_de
    assert _all_counts(engine) == before


def test_an_ambiguous_short_number_asks_for_the_full_one(engine: Engine) -> None:
    p = plant(engine, with_correction=False)
    twins = ["3f2a9c1b-04d7-4aaa-8aaa-000000000001", "3f2a9c1b-04d7-4bbb-8bbb-000000000002"]
    for twin in twins:
        submit_response(engine, make_payload(p.city.campaign_id, "Q1", {CRIT: 2},
                                             response_id=twin))
    with pytest.raises(ValidationError) as err:
        delete_response(engine, "3F2A-9C1B-04D7", actor=ADMIN)
    assert "volle Antwortnummer" in err.value.message_de
    assert count_rows(engine, "responses") == 8
    assert delete_response(engine, twins[0].replace("-", "").upper(), actor=ADMIN).versions == 1
    assert count_rows(engine, "responses") == 7


def test_sqlite_reusing_a_deleted_id_keeps_both_tombstones_working(engine: Engine) -> None:
    p = plant(engine, with_correction=False)  # the target is the newest row
    provider = CubeProvider(engine)
    start = counts(provider.get(), p.city.campaign_id)
    delete_response(engine, p.target, actor=ADMIN)
    again = str(uuid.uuid4())
    submit_response(engine, make_payload(p.city.campaign_id, "Q1", {CRIT: 4},
                                         response_id=again))
    mid = counts(provider.get(), p.city.campaign_id)
    assert mid[6] == start[6] - 1 and mid[3] == start[3] + 1
    delete_response(engine, again, actor=ADMIN)  # maybe the same row id on SQLite
    end = counts(provider.get(), p.city.campaign_id)
    assert end == counts(CubeProvider(engine).get(), p.city.campaign_id)
    assert end[3] == start[3] and end[6] == start[6] - 1
    for gone in (p.target, again):  # both still refused as resends
        with pytest.raises(ConflictError):
            submit_response(engine, make_payload(p.city.campaign_id, "Q1", {CRIT: 1},
                                                 response_id=gone))
