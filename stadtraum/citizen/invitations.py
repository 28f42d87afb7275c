"""One-time invitation codes for the citizens' form (letters, tear-off strips on posters).

Per campaign an admin switches "Einladungscodes erforderlich" on or off and generates codes in
batches. A code is 12 symbols of Crockford's base 32 (no I, L, O, U; typed ``O``, ``I``, ``L``
are read as 0, 1, 1; case, spaces and hyphens do not matter), shown as ``ABCD-EFGH-JKMN``:
60 random bits from :mod:`secrets`.

**Only the SHA-256 of a code is stored** (plain, without a server-side key), so the codes
exist in clear text only in the one export made when they are generated. Why no key: online,
guessing is hopeless (with 10,000 codes out, one guess in 10^14 hits, and guesses are
rate-limited per address); offline, whoever has a copy of the database needs about 2^60/N
hashes per unused code (≈ 10^14 for N = 10,000, GPU-days for a handful of ballots) and holds
all the answers anyway. A keyed hash would add a second secret to keep and share between
servers whose loss would silently void every printed code.

A code is consumed in the same transaction as the response it comes with
(:func:`consume_code`, called by the submit's judge): an ``UPDATE … WHERE used = false`` that
only one of two concurrent sends can win (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the row
lock, the loser re-reads the row and sees it used). The row keeps only *whether* it was used,
never by which response or when: a code mailed to a known household must not lead to its
answers. An unknown and a used code get the same message.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import CursorResult, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.citizen.public_link import public_url
from stadtraum.errors import StadtraumError, ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.db import InvitationCode, Response
from stadtraum.store.engine import write_engine

log = logging.getLogger(__name__)

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
GROUP, GROUPS = 4, 3  # ABCD-EFGH-JKMN: 12 symbols x 5 bits = 60 bits
CODE_PARAM = "c"  # /?t=TOKEN&c=CODE
MAX_BATCH = 10_000
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_.\t")


class InvitationCodeError(StadtraumError):
    """No, an unknown or a used invitation code (one message for unknown and used);
    ``missing`` says it was none at all."""

    def __init__(self, message_de: str, message_en: str, *, missing: bool = False) -> None:
        super().__init__(message_de, message_en)
        self.missing = missing


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUP * GROUPS))
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def normalise_code(text: object) -> str | None:
    """The code as printed (``ABCD-EFGH-JKMN``) from what was typed or linked, or None when
    it cannot be a code at all."""
    if not isinstance(text, str):
        return None
    raw = text.upper().translate(_IGNORED).translate(_READ_AS)
    if len(raw) != GROUP * GROUPS or any(ch not in ALPHABET for ch in raw):
        return None
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def code_digest(code: str) -> str:
    """SHA-256 (hex) of the normalised code; raises ValueError for something not a code."""
    norm = normalise_code(code)
    if norm is None:
        raise ValueError("not an invitation code")
    return hashlib.sha256(norm.encode("ascii")).hexdigest()


def invitation_url(base_url: str, token: str, code: str) -> str:
    """The public link with the code filled in (``/?t=TOKEN&c=CODE``), for letters and QR."""
    return f"{public_url(base_url, token)}&{CODE_PARAM}={quote(code, safe='-')}"


def bad_code() -> InvitationCodeError:
    return InvitationCodeError(
        "Dieser Einladungscode ist ungültig oder wurde schon verwendet. Bitte prüfen Sie die "
        "Schreibweise, zum Beispiel 0 (Null) und O.", "unknown or used invitation code")


def missing_code() -> InvitationCodeError:
    return InvitationCodeError(
        "Für diese Befragung brauchen Sie einen Einladungscode. Sie finden ihn auf Ihrem "
        "Einladungsschreiben.", "invitation code required", missing=True)


@dataclass(frozen=True)
class InvitationStatus:
    campaign_id: int
    required: bool
    total: int
    used: int


def invitation_status(engine: Engine, campaign_id: int) -> InvitationStatus:
    with Session(engine) as session:
        campaign = find_campaign(session, campaign_id)
        total, used = session.execute(
            select(func.count(InvitationCode.id),
                   func.count(InvitationCode.id).filter(InvitationCode.used))
            .where(InvitationCode.campaign_id == campaign.id)).one()
        return InvitationStatus(campaign.id, bool(campaign.invitation_required), int(total),
                                int(used))


def set_codes_required(engine: Engine, campaign_id: int, required: bool, *,
                       actor: Actor) -> None:
    """Switch "Einladungscodes erforderlich" on or off (audited; a repeat changes nothing)."""
    require(actor, "campaigns.manage")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_campaign(session, campaign_id)
        if bool(campaign.invitation_required) == required:
            return
        campaign.invitation_required = required
        audit(session, actor.name, "invitations_required_on" if required
              else "invitations_required_off", "campaign", campaign.id)


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, object]]) -> int:
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert(InvitationCode) if dialect == "postgresql" \
        else sqlite.insert(InvitationCode)
    stmt = ins.on_conflict_do_nothing(index_elements=["campaign_id", "code_hash"]) \
        .returning(InvitationCode.id)
    return len(session.execute(stmt, rows).all()) if rows else 0


def generate_codes(engine: Engine, campaign_id: int, count: int, *, actor: Actor) -> list[str]:
    """Create ``count`` new codes as one batch and return them in clear text: the only time
    they exist in clear text (the caller exports them at once). Audited with the count."""
    require(actor, "campaigns.manage")
    if not 1 <= count <= MAX_BATCH:
        raise ValidationError(f"Bitte zwischen 1 und {MAX_BATCH:,} Codes auf einmal erzeugen."
                              .replace(",", "."), f"count {count} out of 1..{MAX_BATCH}",
                              field="count")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_campaign(session, campaign_id)
        batch = int(session.scalar(select(func.coalesce(func.max(InvitationCode.batch), 0))
                                   .where(InvitationCode.campaign_id == campaign.id)) or 0) + 1
        codes: list[str] = []
        while len(codes) < count:  # a repeat of an existing code (p < 1e-9) is drawn again
            fresh = list(dict.fromkeys(new_code() for _ in range(count - len(codes))))
            for start in range(0, len(fresh), 1000):
                part = fresh[start:start + 1000]
                stored = _insert_ignoring_duplicates(session, [
                    {"campaign_id": campaign.id, "code_hash": code_digest(c), "batch": batch}
                    for c in part])
                if stored == len(part):
                    codes.extend(part)
                else:  # keep only the ones whose hash is now ours (rare: fall back per code)
                    codes.extend(_ours(session, campaign.id, batch, part))
        audit(session, actor.name, "invitations_generate", "campaign", campaign.id,
              batch=batch, count=count)
        return codes


def _ours(session: Session, campaign_id: int, batch: int, codes: list[str]) -> list[str]:
    digests = {code_digest(c): c for c in codes}
    mine = session.scalars(select(InvitationCode.code_hash).where(
        InvitationCode.campaign_id == campaign_id, InvitationCode.batch == batch,
        InvitationCode.code_hash.in_(list(digests)))).all()
    return [digests[d] for d in mine]


def check_code(engine: Engine, campaign_id: int, code: object) -> str:
    """The normalised code if it exists for the campaign and is unused (without using it),
    else :func:`bad_code`. For the form's first step; the send consumes it."""
    norm = normalise_code(code)
    if norm is None:
        raise bad_code()
    with Session(engine) as session:
        used = session.scalar(select(InvitationCode.used).where(
            InvitationCode.campaign_id == campaign_id,
            InvitationCode.code_hash == code_digest(norm)))
    if used is None or used:
        raise bad_code()
    return norm


def consume_code(session: Session, campaign_id: int, code: str | None,
                 response_uuid: str) -> None:
    """Mark ``code`` used inside the caller's insert transaction, or raise (and so store
    nothing). A concurrent send of the *same* response that won is let through: its insert
    then meets the stored row and the submit treats it as a resend."""
    norm = normalise_code(code) if code else None
    if code is None:
        raise missing_code()
    if norm is None:
        raise bad_code()
    result = session.execute(update(InvitationCode).where(
        InvitationCode.campaign_id == campaign_id, InvitationCode.code_hash == code_digest(norm),
        InvitationCode.used.is_(False)).values(used=True))
    if isinstance(result, CursorResult) and result.rowcount == 1:
        return
    if session.scalar(select(exists().where(Response.uuid == response_uuid))):
        return
    log.info("invitation code refused for campaign %s", campaign_id)
    raise bad_code()

