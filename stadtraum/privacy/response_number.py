"""The response number ("Antwortnummer"): how a person names their response when they ask for
its deletion.

Every response carries a UUID fixed when the interview starts. Printed in full it is long, so
the helper's confirmation and the citizen's thank-you page show its first 12 hex digits in
three groups ("3F2A-9C1B-04D7"): 48 bits, so even at a million responses two numbers share a
short form with a probability of about 0.2 % (birthday bound n²/2⁴⁹); such a short form is
refused with a request for the full number. A paper form's number is its form number
(Bogen-Nr.) within its campaign (:func:`stadtraum.paper.rows.form_uuid`).

Lookups accept the full UUID or the short form, in any case, with or without dashes and spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.paper.cells import BadCellError
from stadtraum.paper.cells import form_no as clean_form_no
from stadtraum.paper.rows import form_uuid
from stadtraum.store.db import Response

__all__ = ["SHORT_DIGITS", "ParsedNumber", "find_paper_response", "find_response",
           "parse_number", "short_number"]

SHORT_DIGITS = 12
_HEX = re.compile(r"[0-9a-f]+")
FIELD = "number"


def short_number(response_uuid: str) -> str:
    """The printable short form of a UUID: ``3F2A-9C1B-04D7``."""
    digits = response_uuid.replace("-", "").upper()[:SHORT_DIGITS]
    return f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}"


@dataclass(frozen=True)
class ParsedNumber:
    """A typed number: the full UUID (canonical, lower case), or a short form's UUID prefix
    (``"3f2a9c1b-04d7"``)."""

    full: str | None = None
    prefix: str | None = None


def parse_number(typed: str) -> ParsedNumber:
    """Parse what a person typed; a German :class:`ValidationError` for anything else."""
    digits = re.sub(r"[\s\-–]", "", typed or "").lower()
    if not digits:
        raise ValidationError("Bitte eine Antwortnummer eingeben.", "no response number given",
                              field=FIELD)
    if not _HEX.fullmatch(digits) or len(digits) not in (SHORT_DIGITS, 32):
        raise ValidationError(
            "Das ist keine Antwortnummer. Sie hat 12 Zeichen (z. B. 3F2A-9C1B-04D7) oder ist die "
            "volle Nummer mit 32 Zeichen; erlaubt sind die Ziffern 0–9 und die Buchstaben A–F.",
            f"not a response number: {len(digits)} characters", field=FIELD)
    if len(digits) == 32:
        full = f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
        return ParsedNumber(full=full)
    return ParsedNumber(prefix=f"{digits[:8]}-{digits[8:12]}")


def _not_found(typed: str) -> NotFoundError:
    return NotFoundError(f"Zur Antwortnummer „{typed.strip()}“ gibt es keine gespeicherte "
                         "Antwort. Bitte die Nummer prüfen (vielleicht wurde sie schon "
                         "gelöscht).", "no response with that number")


def find_response(session: Session, typed: str) -> Response:
    """The stored response with this number (full UUID or short form)."""
    parsed = parse_number(typed)
    if parsed.full is not None:
        found = session.scalar(select(Response).where(Response.uuid == parsed.full))
        if found is None:
            raise _not_found(typed)
        return found
    assert parsed.prefix is not None
    # LIKE with a fixed prefix: correct on both engines whatever the collation (UUIDs are
    # stored in lower case); a scan of the UUID index, fine for a rare admin action
    hits = list(session.scalars(select(Response).where(
        Response.uuid.like(parsed.prefix + "-%")).limit(2)))
    if not hits:
        raise _not_found(typed)
    if len(hits) > 1:
        raise ValidationError(
            f"Die Kurznummer „{typed.strip()}“ passt zu mehreren Antworten. Bitte die volle "
            "Antwortnummer (32 Zeichen) angeben.", "ambiguous short response number",
            field=FIELD)
    return hits[0]


def find_paper_response(session: Session, campaign_id: int, form_number: str) -> Response:
    """The response of paper form ``form_number`` (Bogen-Nr.) of campaign ``campaign_id``."""
    try:
        number = clean_form_no(form_number)
    except BadCellError as exc:
        raise ValidationError(str(exc), "bad paper form number", field="form_number") from None
    found = session.scalar(select(Response).where(
        Response.uuid == form_uuid(campaign_id, number)))
    if found is None:
        raise NotFoundError(f"Zu Bogen-Nr. „{number}“ gibt es in dieser Befragung keine "
                            "gespeicherte Antwort.", "no paper response with that number")
    return found
