"""The models of data protection: comments with their moderation state, and the tombstones
of deleted responses.

A comment's ``text`` is what the person wrote. Planners, exports and reports see a released
comment only, as ``shown_text`` when a moderator redacted it (else ``text``); the original is
kept until the response is deleted or its campaign's retention ends, and only admins see it.

A deleted response leaves no content behind: its row and children are deleted, and a
content-free tombstone (the row id, a SHA-256 of its UUID so a resend cannot bring it back,
and a ``change_seq``) tells every statistics engine in every process to drop the row. A
tombstone without ``response_id`` drops all of a campaign's responses (a purge, or retention).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stadtraum.store.db_base import Base, BigId, in_vocab, utcnow
from stadtraum.vocab import COMMENT_KINDS, COMMENT_STATUSES

__all__ = ["Comment", "ResponseTombstone"]


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="new", server_default="new")
    shown_text: Mapped[str | None] = mapped_column(Text, nullable=True)  # redacted, else None
    hidden_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    moderated_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    moderated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                             nullable=True)
    __table_args__ = (in_vocab("kind", COMMENT_KINDS), in_vocab("status", COMMENT_STATUSES),
                      Index("ix_comments_response", "response_id"),
                      Index("ix_comments_status", "status", "id"))  # the moderation queue


class ResponseTombstone(Base):
    __tablename__ = "response_tombstones"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    response_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, unique=True)
    uuid_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    campaign_id: Mapped[int] = mapped_column(Integer)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    deleted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (Index("ix_response_tombstones_seq", "change_seq"),)
