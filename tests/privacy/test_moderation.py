"""Comment moderation's use cases on both engines: the queue (order, filters, marks, what a
moderator sees), release, redact (spans, an edited version), hide (also after release, as on
auto-release campaigns), reopen, the admins' original; the audit lines (no words of the
comment); German refusals for bad input, stale states and two moderators at once; and one
refusal per use case for a role without the permission, with nothing changed."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor
from stadtraum.collect.submit import submit_response
from stadtraum.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from stadtraum.privacy.moderation import (
    hide_comment,
    original_text,
    redact_comment,
    release_comment,
    reopen_comment,
)
from stadtraum.privacy.moderation_queue import (
    QueueItem,
    comment_counts,
    moderation_queue,
)
from tests.helpers import add_campaign, make_city, make_payload, set_status

MOD = Actor("mona", "moderator")
ADMIN = Actor("ada", "admin")
PLANNER = Actor("pia", "planner")
HELPER = Actor("hugo", "helper")
PERSONAL = "Herr Becker wohnt Ahornweg 12, Tel. 0171/2345678."
TEXTS = (PERSONAL, "Schöne Bänke", "Zu laut <b>hier</b>")


@dataclass(frozen=True)
class Setup:
    campaign_id: int
    other_id: int
    ids: tuple[int, ...]  # comment ids of TEXTS, in order


def _comment_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {str(t): int(i) for i, t in conn.execute(text("SELECT id, text FROM comments"))}


@pytest.fixture
def setup(engine: Engine) -> Setup:
    city = make_city(engine)
    for words in TEXTS:
        submit_response(engine, make_payload(city.campaign_id, "Q1",
                                             comments=[("housing", "better", words)]))
    other = add_campaign(engine, city, "Zweite Befragung")
    submit_response(engine, make_payload(other, "Q2", comments=[("housing", "good", "Gut")]))
    voided = make_payload(city.campaign_id, "Q1", comments=[("housing", "good", "verworfen")])
    submit_response(engine, voided)
    set_status(engine, voided.response_id, "voided")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO streets (level_id, name, name_key, area_id) "
                          "SELECT level_id, 'Am Mühlbach', 'ammuehlbach', id FROM areas "
                          "WHERE code = 'Q1'"))
    ids = _comment_ids(engine)
    return Setup(city.campaign_id, other, tuple(ids[t] for t in TEXTS))


def _item(engine: Engine, comment_id: int, actor: Actor = MOD) -> QueueItem:
    page = moderation_queue(engine, actor=actor, status=None, limit=200)
    return next(i for i in page.items if i.comment_id == comment_id)


def _row(engine: Engine, comment_id: int) -> dict[str, object]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT status, shown_text, hidden_reason, moderated_by, "
                                      "text FROM comments WHERE id = :i"),
                                 {"i": comment_id}).mappings().one())


def _audit(engine: Engine) -> list[tuple[str, str, str, dict[str, object]]]:
    with engine.connect() as conn:
        return [(a, o, str(i), json.loads(d or "{}")) for a, o, i, d in conn.execute(text(
            "SELECT action, object_type, object_id, detail FROM audit_log "
            "WHERE object_type = 'comment' ORDER BY id"))]


def test_queue_lists_new_comments_oldest_first_with_marks(engine: Engine, setup: Setup) -> None:
    page = moderation_queue(engine, actor=MOD, campaign_id=setup.campaign_id)
    assert page.total == 3  # not the voided response's comment, not the other campaign's
    assert [i.comment_id for i in page.items] == list(setup.ids)
    first = page.items[0]
    assert first.text == PERSONAL and first.status == "new" and first.area == "Quartier Q1"
    assert first.criterion("de") == "Wohnen" and first.criterion("en") == "Housing and community"
    assert [(m.kind, m.of(PERSONAL)) for m in first.marks] == [
        ("name", "Herr Becker"), ("address", "Ahornweg 12"), ("phone", "0171/2345678")]
    assert page.items[1].marks == ()
    everything = moderation_queue(engine, actor=ADMIN)
    assert everything.total == 4
    two = moderation_queue(engine, actor=MOD, limit=2, offset=2)
    assert len(two.items) == 2 and two.total == 4


def test_the_street_directory_feeds_the_detector(engine: Engine, setup: Setup) -> None:
    city_q = moderation_queue(engine, actor=MOD, campaign_id=setup.campaign_id).items[0]
    with engine.begin() as conn:
        conn.execute(text("UPDATE comments SET text = 'Am Mühlbach 3 ist es laut' "
                          "WHERE id = :i"), {"i": city_q.comment_id})
    item = _item(engine, city_q.comment_id)
    assert [(m.kind, m.of(item.text or "")) for m in item.marks] == [
        ("address", "Am Mühlbach 3")]


def test_release(engine: Engine, setup: Setup) -> None:
    item = _item(engine, setup.ids[1])
    seen = release_comment(engine, item.comment_id, actor=MOD, expected=item.seen)
    row = _row(engine, item.comment_id)
    assert (row["status"], row["shown_text"], row["moderated_by"]) == ("released", None, "mona")
    assert seen == _item(engine, item.comment_id).seen and seen.moderated_at is not None
    assert _audit(engine) == [("release", "comment", str(item.comment_id),
                               {"campaign_id": setup.campaign_id, "old": "new",
                                "new": "released"})]
    assert moderation_queue(engine, actor=MOD, status="new").total == 3
    released = moderation_queue(engine, actor=MOD, status="released")
    assert [i.text for i in released.items] == ["Schöne Bänke"]
    with pytest.raises(ConflictError) as exc:  # already released
        release_comment(engine, item.comment_id, actor=MOD)
    assert "freigegeben" in exc.value.message_de


def test_redact_the_marked_spans(engine: Engine, setup: Setup) -> None:
    item = _item(engine, setup.ids[0])
    spans = [(m.start, m.end) for m in item.marks if m.kind != "address"]
    redact_comment(engine, item.comment_id, spans=spans, actor=MOD, expected=item.seen)
    shown = "[entfernt] wohnt Ahornweg 12, Tel. [entfernt]."
    row = _row(engine, item.comment_id)
    assert (row["status"], row["shown_text"], row["text"]) == ("released", shown, PERSONAL)
    after = _item(engine, item.comment_id)
    assert after.text == shown and after.redacted  # the moderator sees the redacted text now
    # a second redaction works on what the moderator sees: the redacted text
    address = next(m for m in after.marks if m.kind == "address")
    redact_comment(engine, item.comment_id, spans=[(address.start, address.end)], actor=MOD,
                   expected=after.seen)
    assert _row(engine, item.comment_id)["shown_text"] == ("[entfernt] wohnt [entfernt], Tel. "
                                                           "[entfernt].")
    lines = _audit(engine)
    assert [a for a, *_ in lines] == ["redact", "redact"]
    assert lines[0][3]["spans"] == [[0, 11], [36, 48]] and lines[0][3]["removed_chars"] == 23
    assert lines[1][3]["of"] == "redacted" and lines[1][3]["old"] == "released"
    assert not any(w in json.dumps(lines) for w in ("Becker", "Ahornweg", "0171"))


def test_redact_by_an_edited_version(engine: Engine, setup: Setup) -> None:
    item = _item(engine, setup.ids[2])
    redact_comment(engine, item.comment_id, edited_text="Zu laut [entfernt]", actor=MOD,
                   expected=item.seen)
    assert _row(engine, item.comment_id)["shown_text"] == "Zu laut [entfernt]"


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"spans": [(0, 999)]}, "spans", "außerhalb"),
    ({"spans": [(5, 5)]}, "spans", "leer"),
    ({"spans": [(-1, 3)]}, "spans", "außerhalb"),
    ({"spans": [(0, 8), (5, 10)]}, "spans", "überschneiden"),
    ({"spans": []}, "spans", "mindestens eine"),
    ({"spans": [(0, "x")]}, "spans", "ganze Zahlen"),
    ({"edited_text": "Herr [entfernt] wohnt woanders."}, "edited_text", "nur Stellen"),
    ({"edited_text": "Herr Becker wohnt Ahornweg 12."}, "edited_text", "kein „[entfernt]“"),
    ({"edited_text": "[entfernt] wohnt Ahornweg 12, Tel. 0171/2345678. Ruft an!"},
     "edited_text", "nur Stellen"),
    ({}, "spans", "entweder"),
    ({"spans": [(0, 4)], "edited_text": "[entfernt]"}, "spans", "entweder"),
])
def test_bad_redactions_are_refused_in_german(engine: Engine, setup: Setup,
                                              kwargs: dict[str, object], field: str,
                                              words: str) -> None:
    item = _item(engine, setup.ids[0])
    with pytest.raises(ValidationError) as exc:
        redact_comment(engine, item.comment_id, actor=MOD, expected=item.seen,
                       **kwargs)  # type: ignore[arg-type]
    assert exc.value.field == field and words in exc.value.message_de
    assert _row(engine, item.comment_id)["status"] == "new" and _audit(engine) == []


def test_hide_needs_a_reason_and_works_after_release(engine: Engine, setup: Setup) -> None:
    cid = setup.ids[0]
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            hide_comment(engine, cid, reason, actor=MOD)
        assert exc.value.field == "reason" and "Grund" in exc.value.message_de
    with pytest.raises(ValidationError, match="too long"):
        hide_comment(engine, cid, "x" * 501, actor=MOD)
    seen = release_comment(engine, cid, actor=MOD)  # as an auto-release campaign would
    hide_comment(engine, cid, "  nennt einen Nachbarn  ", actor=MOD, expected=seen)
    row = _row(engine, cid)
    assert (row["status"], row["hidden_reason"]) == ("hidden", "nennt einen Nachbarn")
    item = _item(engine, cid)
    assert item.text is None and item.marks == () and item.hidden_reason == "nennt einen Nachbarn"
    assert _audit(engine)[-1][3] == {"campaign_id": setup.campaign_id, "old": "released",
                                     "new": "hidden", "reason_chars": 20,
                                     "was_redacted": False}
    with pytest.raises(ConflictError):
        hide_comment(engine, cid, "noch einmal", actor=MOD)
    with pytest.raises(ConflictError):
        redact_comment(engine, cid, spans=[(0, 4)], actor=MOD)


def test_reopen(engine: Engine, setup: Setup) -> None:
    plain, redacted, hidden = setup.ids
    release_comment(engine, plain, actor=MOD)
    redact_comment(engine, redacted, spans=[(0, 6)], actor=MOD)
    hide_comment(engine, hidden, "Werbung", actor=MOD)
    reopen_comment(engine, plain, actor=MOD)
    assert _row(engine, plain)["status"] == "new"
    for cid in (redacted, hidden):  # would show the original to moderators again
        with pytest.raises(PermissionDeniedError):
            reopen_comment(engine, cid, actor=MOD)
        reopen_comment(engine, cid, actor=ADMIN)
        row = _row(engine, cid)
        assert (row["status"], row["shown_text"], row["hidden_reason"]) == ("new", None, None)
    with pytest.raises(ConflictError):
        reopen_comment(engine, plain, actor=MOD)


def test_original_text_for_admins_only_and_audited(engine: Engine, setup: Setup) -> None:
    cid = setup.ids[0]
    redact_comment(engine, cid, spans=[(0, 11)], actor=MOD)
    with pytest.raises(PermissionDeniedError):
        original_text(engine, cid, actor=MOD)
    assert original_text(engine, cid, actor=ADMIN) == PERSONAL
    action, object_type, object_id, detail = _audit(engine)[-1]
    assert (action, object_type, object_id) == ("read_original", "comment", str(cid))
    assert detail == {"campaign_id": setup.campaign_id, "status": "released", "redacted": True}


def test_unknown_comments_are_refused_in_german(engine: Engine, setup: Setup) -> None:
    with engine.connect() as conn:
        voided = int(conn.execute(text("SELECT id FROM comments WHERE text = 'verworfen'"))
                     .scalar_one())
    calls: list[Callable[[int], object]] = [
        lambda i: release_comment(engine, i, actor=MOD),
        lambda i: redact_comment(engine, i, spans=[(0, 1)], actor=MOD),
        lambda i: hide_comment(engine, i, "Grund", actor=MOD),
        lambda i: reopen_comment(engine, i, actor=ADMIN),
        lambda i: original_text(engine, i, actor=ADMIN)]
    for call in calls:
        for cid in (999_999, voided):
            with pytest.raises(NotFoundError) as exc:
                call(cid)
            assert f"Den Kommentar {cid} gibt es nicht" in exc.value.message_de
    with pytest.raises(ValidationError) as bad:
        moderation_queue(engine, actor=MOD, status="gelöscht")
    assert bad.value.field == "status"
    with pytest.raises(ValidationError):
        moderation_queue(engine, actor=MOD, limit=0)


def test_a_stale_state_is_a_conflict(engine: Engine, setup: Setup) -> None:
    cid = setup.ids[0]
    seen_by_mona = _item(engine, cid).seen
    hide_comment(engine, cid, "Name", actor=Actor("moritz", "moderator"),
                 expected=seen_by_mona)
    for call in (lambda: release_comment(engine, cid, actor=MOD, expected=seen_by_mona),
                 lambda: redact_comment(engine, cid, spans=[(0, 4)], actor=MOD,
                                        expected=seen_by_mona)):
        with pytest.raises(ConflictError) as exc:
            call()
        assert "inzwischen von moritz bearbeitet" in exc.value.message_de
    assert _row(engine, cid)["status"] == "hidden"
    # also when the state name is the same again: the time differs
    reopened = reopen_comment(engine, cid, actor=ADMIN)
    release_comment(engine, cid, actor=MOD, expected=reopened)
    with pytest.raises(ConflictError):
        hide_comment(engine, cid, "Name", actor=MOD, expected=reopened)


def test_two_moderators_at_once_one_wins(engine: Engine, setup: Setup) -> None:
    cid = setup.ids[1]
    seen = _item(engine, cid).seen
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            call()
            outcomes.append("done")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=act, args=(c,)) for c in (
        lambda: release_comment(engine, cid, actor=MOD, expected=seen),
        lambda: hide_comment(engine, cid, "Werbung", actor=ADMIN, expected=seen))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["conflict", "done"]
    assert len(_audit(engine)) == 1


def test_counts_per_campaign(engine: Engine, setup: Setup) -> None:
    release_comment(engine, setup.ids[1], actor=MOD)
    hide_comment(engine, setup.ids[2], "Werbung", actor=MOD)
    counts = comment_counts(engine, actor=MOD)
    assert [(c.campaign, c.new, c.released, c.hidden) for c in counts] == [
        ("Zweite Befragung", 1, 0, 0), ("Befragung 2025", 1, 1, 1)]


@pytest.mark.parametrize("actor", [PLANNER, HELPER, None])
def test_roles_without_the_permission_are_refused(engine: Engine, setup: Setup,
                                                  actor: Actor | None) -> None:
    cid = setup.ids[0]
    calls: list[Callable[[], object]] = [
        lambda: moderation_queue(engine, actor=actor),  # type: ignore[arg-type]
        lambda: comment_counts(engine, actor=actor),  # type: ignore[arg-type]
        lambda: release_comment(engine, cid, actor=actor),  # type: ignore[arg-type]
        lambda: redact_comment(engine, cid, spans=[(0, 4)], actor=actor),  # type: ignore[arg-type]
        lambda: hide_comment(engine, cid, "Grund", actor=actor),  # type: ignore[arg-type]
        lambda: reopen_comment(engine, cid, actor=actor),  # type: ignore[arg-type]
        lambda: original_text(engine, cid, actor=actor)]  # type: ignore[arg-type]
    for call in calls:
        with pytest.raises(PermissionDeniedError) as exc:
            call()
        assert exc.value.message_de
    with pytest.raises(PermissionDeniedError):
        original_text(engine, cid, actor=MOD)
    assert _row(engine, cid)["status"] == "new" and _audit(engine) == []
