"""SQLAlchemy 2 models: the tables and their CHECK constraints.

The schema is created and migrated by Alembic (``migrations/``); :data:`Base.metadata` is the
source of truth for autogenerate. The engine factory and the SQLite/PostgreSQL specifics are in
:mod:`stadtraum.store.engine`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false as sql_false
from sqlalchemy.sql.expression import true as sql_true

from stadtraum.store.db_base import Base as Base
from stadtraum.store.db_base import BigId, in_vocab
from stadtraum.store.db_base import utcnow as utcnow
from stadtraum.vocab import (
    AGE_BANDS,
    CAMPAIGN_STATUSES,
    GENDERS,
    MODES,
    RELATIONS,
    ROLES,
    STATUSES,
)


class BoundarySet(Base):
    """A versioned set of area levels; a closed campaign keeps the set it was collected on."""

    __tablename__ = "boundary_sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (UniqueConstraint("name", "version", name="uq_boundary_set_version"),)


class AreaLevel(Base):
    """A level of the area hierarchy (data, not code): rank 0 is the top below the city."""

    __tablename__ = "area_levels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    boundary_set_id: Mapped[int] = mapped_column(ForeignKey("boundary_sets.id"))
    name: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_crs: Mapped[str | None] = mapped_column(String(100), nullable=True)
    __table_args__ = (UniqueConstraint("boundary_set_id", "name", name="uq_level_name"),
                      UniqueConstraint("boundary_set_id", "rank", name="uq_level_rank"))


class Area(Base):
    __tablename__ = "areas"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("area_levels.id"))
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), nullable=True)
    # WKB in EPSG:4326, lossless (display geometry is derived, never stored over it)
    geometry_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    __table_args__ = (UniqueConstraint("level_id", "code", name="uq_area_code"),
                      Index("ix_areas_parent", "parent_id"))


class StoredCatalogue(Base):
    """Catalogues added by an admin (TOML text); the shipped ones come from the package."""

    __tablename__ = "catalogues"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    toml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# a campaign's modes (vocab.MODES codes, in their order); the most responses wanted in an area
ALL_MODES, MAX_TARGET = ",".join(MODES.codes), 100_000


class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    catalogue_id: Mapped[str] = mapped_column(String(40))
    level_id: Mapped[int] = mapped_column(ForeignKey("area_levels.id"))
    starts_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    min_n: Mapped[int] = mapped_column(Integer, default=5)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    public_token: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    # the citizens' form is served only while this is on (the token survives switching off,
    # so printed posters work again when the link is switched back on)
    public_enabled: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=sql_false())
    # the citizens' form is sent only with a one-time invitation code (citizen/invitations)
    invitation_required: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=sql_false())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # bumped by every change on the campaigns page: a form with an older one is a conflict
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    allowed_modes: Mapped[str] = mapped_column(String(60), default=ALL_MODES,
                                               server_default=ALL_MODES)
    default_target: Mapped[int | None] = mapped_column(Integer, nullable=True)  # see targets
    # the burst detector of the citizens' form (citizen/burst): on or off, and its threshold
    # max(floor, factor x median of the week's hourly counts)
    burst_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sql_true())
    burst_floor: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    burst_factor: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # data protection: comments released without moderation; raw data deleted this many months
    # after closing (None: kept); closed when, raw data deleted when (purge or retention)
    comments_auto_release: Mapped[bool] = mapped_column(Boolean, default=False,
                                                        server_default=sql_false())
    retention_months: Mapped[int | None] = mapped_column(Integer, nullable=True, default=24)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # the published snapshot is served without sign-in at stable URLs (web/published_routes)
    results_public: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=sql_false())
    __table_args__ = (in_vocab("status", CAMPAIGN_STATUSES),
                      CheckConstraint("min_n >= 1", name="ck_campaign_min_n"),
                      CheckConstraint("allowed_modes <> ''", name="ck_campaign_modes"),
                      CheckConstraint(f"default_target BETWEEN 1 AND {MAX_TARGET}",
                                      name="ck_campaign_default_target"),
                      CheckConstraint("burst_floor BETWEEN 1 AND 10000", name="ck_burst_floor"),
                      CheckConstraint("burst_factor BETWEEN 1 AND 100", name="ck_burst_factor"),
                      CheckConstraint("retention_months BETWEEN 1 AND 600",
                                      name="ck_retention_months"))


class CampaignTarget(Base):  # responses wanted in an area, else the campaign's default_target
    __tablename__ = "campaign_targets"
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"),
                                             primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    target: Mapped[int] = mapped_column(Integer)
    __table_args__ = (CheckConstraint(f"target BETWEEN 0 AND {MAX_TARGET}", name="ck_target"),)


class Response(Base):
    """One interview. ``uuid`` is fixed when the interview starts; inserts are idempotent."""

    __tablename__ = "responses"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    mode: Mapped[str] = mapped_column(String(12))
    entered_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    survey_date: Mapped[dt.date] = mapped_column(Date)
    age_band: Mapped[str | None] = mapped_column(String(8), nullable=True)
    gender: Mapped[str | None] = mapped_column(String(10), nullable=True)
    relation: Mapped[str | None] = mapped_column(String(8), nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    group_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    participants: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="valid")
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    change_seq: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        in_vocab("mode", MODES), in_vocab("status", STATUSES),
        in_vocab("age_band", AGE_BANDS, nullable=True), in_vocab("gender", GENDERS, nullable=True),
        in_vocab("relation", RELATIONS, nullable=True),
        CheckConstraint("participants >= 1", name="ck_participants"),
        CheckConstraint("version >= 1", name="ck_version"),
        Index("ix_responses_change_seq", "change_seq"),
        Index("ix_responses_campaign", "campaign_id", "area_id"),
        Index("ix_responses_entered_by", "entered_by", "created_at"),
        Index("ix_responses_campaign_time", "campaign_id", "created_at"),  # Feldarbeit: today
        Index("ix_responses_campaign_status", "campaign_id", "status"),  # flagged to review
    )


class Rating(Base):
    __tablename__ = "ratings"
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    __table_args__ = (CheckConstraint("score >= 1 AND score <= 7", name="ck_score_range"),)


class Priority(Base):
    __tablename__ = "priorities"
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    rank: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(40))
    __table_args__ = (CheckConstraint("rank >= 1 AND rank <= 3", name="ck_priority_rank"),)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # bumped by a password change, a deactivation or "end all sessions": every session token
    # carries the epoch it was issued in, and one from an older epoch no longer signs in
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # optional, lower case; unique, because a single sign-on matches a person by e-mail
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # bumped by every change an admin makes on the accounts page: a form that carries an
    # older version is refused (two admins editing the same account get a conflict)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # a one-time password from the admin: the next sign-in must choose a new one first
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=sql_false())
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                                nullable=True)
    __table_args__ = (in_vocab("role", ROLES), UniqueConstraint("email", name="uq_users_email"))


class SignInFailure(Base):
    """One sign-in attempt for a (normalised) name, known or not, from one source address:
    written *before* the password is checked and removed again when it was right, so parallel
    attempts cannot check more passwords than the limit; pruned after the window."""

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(64), default="", server_default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_sign_in_failures_name", "name", "source", "at"),
                      Index("ix_sign_in_failures_at", "at"))


class UserSession(Base):
    """A server-side sign-in session. The browser holds only a signed, random id in an
    HttpOnly cookie; the row stores its SHA-256. Sign-out, the idle lock, "end all sessions",
    deactivation and a new password change this row, and every script run reads it."""

    __tablename__ = "user_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_false())
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # one-time code the script hands to the cookie route (SHA-256), and the session id sealed
    # with it (XOR with a pad derived from the code); both cleared when exchanged
    code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    code_seal: Mapped[str | None] = mapped_column(String(64), nullable=True)
    code_expires: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                             nullable=True)
    __table_args__ = (Index("ix_user_sessions_user", "user_id"),
                      Index("ix_user_sessions_expires", "expires_at"))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(100), nullable=True)
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the audit log page reads newest first, by person or by kind, within a period
    __table_args__ = (Index("ix_audit_log_at", "at", "id"),
                      Index("ix_audit_log_actor", "actor", "at"),
                      Index("ix_audit_log_kind", "action", "object_type", "at"))


class InterviewDraft(Base):
    """A half-finished interview, saved at every step so a reload, a dropped connection or a
    server restart loses nothing. ``frozen`` is set once a send was tried: from then on the
    stored payload is resent exactly as it is."""

    __tablename__ = "interview_drafts"
    response_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    entered_by: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    step: Mapped[int] = mapped_column(Integer, default=0)
    state_json: Mapped[str] = mapped_column(Text)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (Index("ix_drafts_owner", "entered_by", "updated_at"),)


class Street(Base):
    """Street directory: a street name and the area(s) of one level it runs through."""

    __tablename__ = "streets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("area_levels.id"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # normalised for search
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    __table_args__ = (UniqueConstraint("level_id", "name_key", "area_id", name="uq_street_area"),
                      Index("ix_streets_lookup", "level_id", "name_key"))


class FocusGroup(Base):
    """A focus-group session for one area and campaign; its responses carry ``group_id``."""

    __tablename__ = "focus_groups"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    title: Mapped[str] = mapped_column(String(200))
    moderator: Mapped[str] = mapped_column(String(64))
    held_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FocusGroupNote(Base):
    """The moderator's note on one criterion of a focus-group session."""

    __tablename__ = "focus_group_notes"
    group_id: Mapped[str] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"),
                                          primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class ChangeCounter(Base):
    """One row; bumped inside every write that changes statistics (row lock = commit order)."""

    __tablename__ = "change_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class PublishedCell(Base):
    """One public figure of a campaign's published snapshot (DESIGN §3.3): the value, rounded,
    or None while hidden. ``basis_n`` (the n behind the value) is for the republication rule
    only and never leaves the server."""

    __tablename__ = "published_cells"
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"),
                                             primary_key=True)
    level: Mapped[str] = mapped_column(String(100), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(100), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # "": the index
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    basis_n: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class StatsSnapshot(Base):
    """A serialised copy of the statistics engine's arrays up to ``change_seq`` (a cache)."""

    __tablename__ = "stats_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    format_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class InvitationCode(Base):
    """A one-time code for the citizens' form: stored as SHA-256 only, with whether it was used
    but never by which response (a code mailed to a household must not lead to its answers)."""

    __tablename__ = "invitation_codes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    batch: Mapped[int] = mapped_column(Integer)
    used: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_false())
    __table_args__ = (UniqueConstraint("campaign_id", "code_hash", name="uq_invitation_code"),)


# the burst check counts an area's online responses of the last week on every online submit
Index("ix_responses_area_time", Response.campaign_id, Response.area_id, Response.mode,
      Response.created_at)

# models in their own modules, imported here so that Base.metadata holds every table
from stadtraum.store.db_city import CitySetting as CitySetting  # noqa: E402
from stadtraum.store.db_privacy import Comment as Comment  # noqa: E402
from stadtraum.store.db_privacy import ResponseTombstone as ResponseTombstone  # noqa: E402
