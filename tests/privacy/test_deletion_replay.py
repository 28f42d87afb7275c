"""Deletions survive a restore: a backup taken before a deletion and a purge is restored, the
tombstone list kept outside the database is applied again, and the response and the purged
campaign's raw data are gone again (and a resend stays refused)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.admin.campaigns import close_campaign
from stadtraum.collect.submit import submit_response
from stadtraum.errors import ConflictError, PermissionDeniedError, ValidationError
from stadtraum.privacy.deletion import delete_response
from stadtraum.privacy.deletion_replay import reapply_tombstones, tombstone_list
from stadtraum.privacy.purge import purge_campaign
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import add_campaign, count_rows, make_payload
from tests.helpers import run_cli as run
from tests.privacy.test_deletion_fixture import CRIT, plant

ADMIN = Actor("anna", "admin")


def _restore_by_hand(engine: Engine, campaign_id: int, target: str, correction: str,
                     old: int) -> None:
    """The state of a backup from before the deletion and the purge: no tombstones, the
    response and the old campaign's rows back."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM response_tombstones"))
        conn.execute(text("UPDATE campaigns SET status = 'open', purged_at = NULL "
                          "WHERE id = :c"), {"c": old})
    submit_response(engine, make_payload(campaign_id, "Q1", {CRIT: 7}, response_id=target))
    submit_response(engine, make_payload(campaign_id, "Q1", {CRIT: 6}, response_id=correction,
                                         replaces=target))
    submit_response(engine, make_payload(old, "Q2", {CRIT: 3}))


def test_a_restore_gets_its_deletions_again(engine: Engine) -> None:
    p = plant(engine)
    old = add_campaign(engine, p.city, "Alte Welle")
    submit_response(engine, make_payload(old, "Q2", {CRIT: 3}))
    close_campaign(engine, old, actor=SYSTEM)
    delete_response(engine, p.target, actor=ADMIN)
    purge_campaign(engine, old, actor=ADMIN)
    listing = tombstone_list(engine, actor=ADMIN)
    data = json.loads(listing)
    assert len(data["responses"]) == 2 and data["campaigns"] == [old]
    assert p.target not in listing and p.correction not in listing
    _restore_by_hand(engine, p.city.campaign_id, p.target, p.correction, old)
    assert count_rows(engine, "responses") == 8

    result = reapply_tombstones(engine, listing, actor=ADMIN)

    assert (result.responses, result.guards, result.campaigns) == (2, 0, 1)
    assert count_rows(engine, "responses") == 5
    assert count_rows(engine, "responses", f"campaign_id = {old}") == 0
    with pytest.raises(ConflictError):
        submit_response(engine, make_payload(p.city.campaign_id, "Q1", {CRIT: 7},
                                             response_id=p.target))
    again = reapply_tombstones(engine, listing, actor=ADMIN)  # nothing left to do
    assert (again.responses, again.guards, again.campaigns) == (0, 0, 0)


def test_listed_hashes_without_a_row_become_resend_guards(engine: Engine) -> None:
    p = plant(engine, with_correction=False)
    delete_response(engine, p.target, actor=ADMIN)
    listing = tombstone_list(engine, actor=ADMIN)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM response_tombstones"))  # a backup from before
    assert reapply_tombstones(engine, listing, actor=ADMIN).guards == 1
    with pytest.raises(ConflictError):
        submit_response(engine, make_payload(p.city.campaign_id, "Q1", {CRIT: 7},
                                             response_id=p.target))


@pytest.mark.parametrize("listing", ["", "[]", '{"format": "x"}', "\x00\x01",
                                     '{"format": "stadtraum-tombstones/1", "responses": '
                                     '[{"uuid_sha256": "ab", "campaign": 1}], "campaigns": []}'])
def test_a_wrong_file_is_a_german_error(engine: Engine, listing: str) -> None:
    plant(engine, with_correction=False)
    with pytest.raises(ValidationError) as err:
        reapply_tombstones(engine, listing, actor=ADMIN)
    assert "keine Liste gelöschter Antworten" in err.value.message_de
    assert count_rows(engine, "responses") == 6


@pytest.mark.parametrize("role", ["planner", "moderator", "helper"])
def test_only_admins_read_or_apply_the_list(engine: Engine, role: str) -> None:
    p = plant(engine, with_correction=False)
    delete_response(engine, p.target, actor=ADMIN)
    listing = tombstone_list(engine, actor=ADMIN)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM response_tombstones"))
    for call in (lambda: tombstone_list(engine, actor=Actor("x", role)),
                 lambda: reapply_tombstones(engine, listing, actor=Actor("x", role))):
        with pytest.raises(PermissionDeniedError):
            call()
    assert count_rows(engine, "response_tombstones") == 0


def test_backup_file_restored_and_replayed_from_the_command_line(
        capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    engine = make_engine(db)
    migrate(engine)
    p = plant(engine)
    engine.dispose()
    path = Path(db.removeprefix("sqlite:///"))
    backup = tmp_path / "backup.db"
    assert run(capsys, "--db", db, "init")[0] == 0  # checkpointed and closed: a clean copy
    shutil.copy(path, backup)
    code, out, err = run(capsys, "--db", db, "responses", "delete", p.target)
    assert code == 0, err
    listing = tmp_path / "tombstones.json"
    code, out, err = run(capsys, "--db", db, "maintenance", "--tombstones", str(listing))
    assert code == 0 and "Liste der Löschungen geschrieben" in out
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copy(backup, path)  # the restore
    assert count_rows(make_engine(db), "responses") == 7
    code, out, err = run(capsys, "--db", db, "responses", "reapply-tombstones", str(listing))
    assert code == 0, err
    assert "Löschungen erneut ausgeführt: 2 Antworten gelöscht" in out
    assert count_rows(make_engine(db), "responses") == 5
    code, _, err = run(capsys, "--db", db, "responses", "reapply-tombstones",
                       str(tmp_path / "fehlt.json"))
    assert code == 1 and "lässt sich nicht lesen" in err
