"""Use cases of comment moderation: release, redact, hide, reopen a comment; read the
original text of a redacted or hidden one (admins).

Every action needs ``comments.moderate``, locks the comment's row, refuses with a German
:class:`~stadtraum.errors.ConflictError` when the comment is no longer in the state the
moderator saw (``expected``, a :class:`~stadtraum.privacy.moderation_queue.Seen`: someone else
moderated it meanwhile), and writes the audit log in the same transaction. The audit detail
holds the states, offsets and lengths, never the comment's words nor the reason's (the
reason may quote the comment; it is kept on the comment and goes with it on deletion).

States: ``new`` → released (as written), released redacted (``shown_text``), or hidden
(with a reason). A released comment (also one released automatically) can still be redacted
or hidden. Reopening puts a comment back into the queue as new; for a redacted or hidden
comment that shows its original to moderators again, so it needs ``comments.original``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.errors import ConflictError, NotFoundError, ValidationError
from stadtraum.privacy.moderation_queue import MODERATED_RESPONSES, Seen, seen_of, visible_text
from stadtraum.privacy.moderation_text import (
    MAX_REASON,
    check_spans,
    redact,
    spans_from_edited,
)
from stadtraum.store.audit import audit
from stadtraum.store.db import Comment, Response, utcnow
from stadtraum.store.engine import write_engine
from stadtraum.vocab import COMMENT_STATUSES

__all__ = ["hide_comment", "original_text", "redact_comment", "release_comment",
           "reopen_comment"]

_STATE_DE = dict(zip(COMMENT_STATUSES.codes, ("neu", "freigegeben", "ausgeblendet"),
                     strict=True))


def _find(session: Session, comment_id: int, *, lock: bool) -> tuple[Comment, int]:
    stmt = (select(Comment, Response.campaign_id)
            .join(Response, Response.id == Comment.response_id)
            .where(Comment.id == comment_id, Response.status.in_(MODERATED_RESPONSES)))
    row = session.execute(stmt.with_for_update(of=Comment) if lock else stmt).first()
    if row is None:
        raise NotFoundError(f"Den Kommentar {comment_id} gibt es nicht (mehr).",
                            f"comment {comment_id} not found")
    return row[0], int(row[1])


def _check_seen(comment: Comment, expected: Seen | None) -> None:
    if expected is not None and seen_of(comment) != expected:
        by = f" von {comment.moderated_by}" if comment.moderated_by else ""
        raise ConflictError(
            f"Der Kommentar {comment.id} wurde inzwischen{by} bearbeitet (jetzt: "
            f"{_STATE_DE.get(comment.status, comment.status)}). Ihre Änderung wurde nicht "
            "gespeichert; bitte den aktuellen Stand ansehen.",
            f"comment {comment.id} changed meanwhile (now {comment.status})")


def _not_in(comment: Comment, allowed: tuple[str, ...], what_de: str) -> ConflictError | None:
    if comment.status in allowed:
        return None
    return ConflictError(f"Der Kommentar {comment.id} ist {_STATE_DE[comment.status]}; "
                         f"{what_de} geht so nicht.",
                         f"comment {comment.id} is {comment.status}")


def _act(engine: Engine, comment_id: int, actor: Actor, expected: Seen | None, action: str,
         change: Callable[[Comment], dict[str, object]]) -> Seen:
    """Lock, check, apply ``change`` (returns the audit detail), stamp and audit."""
    with Session(write_engine(engine)) as session, session.begin():
        comment, campaign_id = _find(session, comment_id, lock=True)
        _check_seen(comment, expected)
        before = comment.status
        detail = change(comment)
        comment.moderated_by, comment.moderated_at = actor.name, utcnow()
        audit(session, actor.name, action, "comment", comment.id, campaign_id=campaign_id,
              old=before, new=comment.status, **detail)
        session.flush()
        return seen_of(comment)


def release_comment(engine: Engine, comment_id: int, *, actor: Actor,
                    expected: Seen | None = None) -> Seen:
    """Release a new comment as written. Needs ``comments.moderate``."""
    require(actor, "comments.moderate")

    def change(c: Comment) -> dict[str, object]:
        refused = _not_in(c, ("new",), "Freigeben")
        if refused:
            raise refused
        c.status, c.shown_text, c.hidden_reason = "released", None, None
        return {}

    return _act(engine, comment_id, actor, expected, "release", change)


def redact_comment(engine: Engine, comment_id: int, *, actor: Actor,
                   spans: Sequence[Sequence[int]] | None = None,
                   edited_text: str | None = None, expected: Seen | None = None) -> Seen:
    """Replace ``spans`` (offsets into the text the moderator sees: the original of a new
    or unredacted comment, the redacted text of a redacted one) by „[entfernt]“, or take
    ``edited_text`` (that text with parts replaced by „[entfernt]“, nothing else changed);
    the comment is then released with the redacted text. Needs ``comments.moderate``."""
    require(actor, "comments.moderate")
    if (spans is None) == (edited_text is None):
        raise ValidationError("Bitte entweder Stellen wählen oder eine bearbeitete Fassung "
                              "angeben.", "give either spans or an edited text",
                              field="spans")

    def change(c: Comment) -> dict[str, object]:
        refused = _not_in(c, ("new", "released"), "Schwärzen")
        if refused:
            raise refused
        of = "redacted" if c.status == "released" and c.shown_text is not None else "original"
        base = visible_text(c.status, c.text, c.shown_text)
        assert base is not None
        chosen = spans_from_edited(base, edited_text) if edited_text is not None else spans
        assert chosen is not None
        checked = check_spans(base, chosen)
        c.status, c.shown_text, c.hidden_reason = "released", redact(base, checked), None
        return {"spans": [list(s) for s in checked],
                "removed_chars": sum(e - s for s, e in checked), "of": of}

    return _act(engine, comment_id, actor, expected, "redact", change)


def hide_comment(engine: Engine, comment_id: int, reason: str, *, actor: Actor,
                 expected: Seen | None = None) -> Seen:
    """Hide a new or released comment from planners, with a reason (required). Needs
    ``comments.moderate``."""
    require(actor, "comments.moderate")
    why = (reason or "").strip()
    if not why:
        raise ValidationError("Bitte einen Grund für das Ausblenden angeben.",
                              "a reason is required to hide a comment", field="reason")
    if len(why) > MAX_REASON:
        raise ValidationError(f"Der Grund ist zu lang ({len(why)} Zeichen, höchstens "
                              f"{MAX_REASON}).", "reason too long", field="reason")

    def change(c: Comment) -> dict[str, object]:
        refused = _not_in(c, ("new", "released"), "Ausblenden")
        if refused:
            raise refused
        c.status, c.hidden_reason = "hidden", why
        return {"reason_chars": len(why), "was_redacted": c.shown_text is not None}

    return _act(engine, comment_id, actor, expected, "hide", change)


def reopen_comment(engine: Engine, comment_id: int, *, actor: Actor,
                   expected: Seen | None = None) -> Seen:
    """Put a released or hidden comment back into the queue as new (its redaction and
    reason are dropped). Needs ``comments.moderate``; for a redacted or hidden comment also
    ``comments.original`` (the queue shows a new comment's original)."""
    require(actor, "comments.moderate")

    def change(c: Comment) -> dict[str, object]:
        refused = _not_in(c, ("released", "hidden"), "Zurückstellen")
        if refused:
            raise refused
        if c.status == "hidden" or c.shown_text is not None:
            require(actor, "comments.original")
        c.status, c.shown_text, c.hidden_reason = "new", None, None
        return {}

    return _act(engine, comment_id, actor, expected, "reopen", change)


def original_text(engine: Engine, comment_id: int, *, actor: Actor) -> str:
    """The comment as written (also of a redacted or hidden one). Needs
    ``comments.original``; audited (that it was read, not what it says)."""
    require(actor, "comments.original")
    with Session(write_engine(engine)) as session, session.begin():
        comment, campaign_id = _find(session, comment_id, lock=False)
        audit(session, actor.name, "read_original", "comment", comment.id,
              campaign_id=campaign_id, status=comment.status,
              redacted=comment.shown_text is not None)
        return comment.text
