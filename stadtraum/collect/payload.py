"""A response as entered (the payload), its validation and its content fingerprint.

Pure: validation needs only the catalogue; the database checks (campaign open, area in
the campaign's level) happen in :mod:`stadtraum.collect.submit`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import numbers
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stadtraum.criteria import SCORE_MAX, SCORE_MIN, Catalogue
from stadtraum.errors import ValidationError
from stadtraum.vocab import (
    AGE_BANDS,
    COMMENT_KINDS,
    GENDERS,
    MAX_PRIORITIES,
    MODES,
    RELATIONS,
    Vocabulary,
)

MAX_COMMENT_CHARS = 2000


@dataclass(frozen=True)
class CommentIn:
    criterion_id: str
    kind: str  # "good" | "better"
    text: str


@dataclass(frozen=True)
class ResponsePayload:
    """Everything a helper, moderator, paper form or citizen enters for one interview."""

    response_id: str
    campaign_id: int
    mode: str
    ratings: Mapping[str, Any]  # criterion id -> 1..7; a missing id means "keine Angabe"
    area_code: str | None = None
    lon: float | None = None
    lat: float | None = None
    comments: tuple[CommentIn, ...] = ()
    priorities: tuple[str, ...] = ()
    age_band: str | None = None
    gender: str | None = None
    relation: str | None = None
    survey_date: dt.date | None = None
    entered_by: str | None = None
    group_id: str | None = None
    participants: int = 1
    replaces: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def _err(de: str, en: str, fld: str) -> ValidationError:
    return ValidationError(de, en, field=fld)


def _check_vocab(value: str | None, vocab: Vocabulary, label_de: str) -> None:
    if value is not None and value not in vocab.codes:
        raise _err(f"{label_de}: unbekannter Wert „{value}“ (erlaubt: {', '.join(vocab.codes)}).",
                   f"{vocab.name}: unknown value {value!r}", vocab.name)


def clean_ratings(ratings: Mapping[str, Any], catalogue: Catalogue) -> dict[str, int]:
    """Check every rating; return {criterion id: score} in catalogue order."""
    known = set(catalogue.ids)
    result: dict[str, int] = {}
    for cid, raw in ratings.items():
        if cid not in known:
            raise _err(f"Unbekanntes Kriterium „{cid}“ – im Katalog „{catalogue.id}“ nicht "
                       "vorhanden.", f"unknown criterion {cid!r}", cid)
        if raw is None:
            continue  # keine Angabe
        if isinstance(raw, bool) or not isinstance(raw, numbers.Real | str):
            raise _err(f"Bewertung für „{cid}“ ist keine Zahl: {raw!r}.",
                       f"rating for {cid!r} is not a number: {raw!r}", cid)
        if isinstance(raw, numbers.Integral):  # also numpy integers (e.g. read by pandas)
            raw = int(raw)
        elif isinstance(raw, numbers.Real) and not isinstance(raw, float):
            raw = float(raw)
        if isinstance(raw, str):
            try:
                raw = int(raw.strip())
            except ValueError:
                raise _err(f"Bewertung für „{cid}“ ist keine ganze Zahl von 1 bis 7: {raw!r}.",
                           f"rating for {cid!r} is not an integer 1..7: {raw!r}", cid) from None
        if isinstance(raw, float):
            if not math.isfinite(raw) or raw != int(raw):
                raise _err(f"Bewertung für „{cid}“ ist keine ganze Zahl von 1 bis 7: {raw!r}.",
                           f"rating for {cid!r} is not an integer 1..7: {raw!r}", cid)
            raw = int(raw)
        if not SCORE_MIN <= raw <= SCORE_MAX:
            raise _err(f"Bewertung für „{cid}“ liegt außerhalb von 1 bis 7: {raw}.",
                       f"rating for {cid!r} out of range 1..7: {raw}", cid)
        result[cid] = int(raw)
    if not result:
        raise _err("Mindestens eine Bewertung ist nötig.", "at least one rating is required",
                   "ratings")
    return {cid: result[cid] for cid in catalogue.ids if cid in result}


def validate_payload(p: ResponsePayload, catalogue: Catalogue) -> ResponsePayload:
    """Return a normalised copy of ``p`` or raise :class:`ValidationError` naming the field."""
    try:
        rid = str(uuidlib.UUID(str(p.response_id)))
    except ValueError:
        raise _err(f"Antwort-Id ist keine UUID: {p.response_id!r}.",
                   f"response id is not a UUID: {p.response_id!r}", "response_id") from None
    if p.mode not in MODES.codes:
        raise _err(f"Erhebungsart „{p.mode}“ ist unbekannt.", f"unknown mode {p.mode!r}", "mode")
    ratings = clean_ratings(p.ratings, catalogue)
    _check_vocab(p.age_band, AGE_BANDS, "Altersgruppe")
    _check_vocab(p.gender, GENDERS, "Geschlecht")
    _check_vocab(p.relation, RELATIONS, "Bezug zum Ort")
    for c in p.comments:
        if c.criterion_id not in catalogue.ids:
            raise _err(f"Kommentar zu unbekanntem Kriterium „{c.criterion_id}“.",
                       f"comment on unknown criterion {c.criterion_id!r}", "comments")
        if c.kind not in COMMENT_KINDS.codes:
            raise _err(f"Kommentarart „{c.kind}“ ist unbekannt.",
                       f"unknown comment kind {c.kind!r}", "comments")
        if len(c.text) > MAX_COMMENT_CHARS:
            raise _err(f"Kommentar zu „{c.criterion_id}“ ist länger als {MAX_COMMENT_CHARS} "
                       "Zeichen.", "comment too long", "comments")
    comments = tuple(CommentIn(c.criterion_id, c.kind, c.text.strip())
                     for c in p.comments if c.text.strip())
    if len(p.priorities) > MAX_PRIORITIES or len(set(p.priorities)) != len(p.priorities):
        raise _err(f"Höchstens {MAX_PRIORITIES} verschiedene Prioritäten sind erlaubt.",
                   "at most 3 distinct priorities", "priorities")
    for cid in p.priorities:
        if cid not in catalogue.ids:
            raise _err(f"Priorität nennt ein unbekanntes Kriterium „{cid}“.",
                       f"priority names unknown criterion {cid!r}", "priorities")
    if p.participants < 1 or (p.participants > 1 and p.mode != "focus_group"):
        raise _err("Teilnehmendenzahl > 1 gibt es nur bei Fokusgruppen.",
                   "participants > 1 only for focus groups", "participants")
    if (p.lon is None) != (p.lat is None):
        raise _err("Standort braucht Länge und Breite.", "location needs lon and lat", "location")
    if p.area_code is None and p.lon is None:
        raise _err("Gebiet fehlt: bitte ein Gebiet wählen oder einen Standort angeben.",
                   "area missing: give an area code or a location", "area")
    return ResponsePayload(
        response_id=rid, campaign_id=p.campaign_id, mode=p.mode, ratings=ratings,
        area_code=None if p.area_code is None else str(p.area_code).strip(),
        lon=p.lon, lat=p.lat, comments=comments, priorities=tuple(p.priorities),
        age_band=p.age_band, gender=p.gender, relation=p.relation, survey_date=p.survey_date,
        entered_by=p.entered_by, group_id=p.group_id, participants=p.participants,
        replaces=p.replaces, extra=dict(p.extra))


def content_hash(p: ResponsePayload) -> str:
    """Fingerprint of what was entered (not of server-side time); equal content → equal hash."""
    doc = {
        "id": p.response_id, "campaign": p.campaign_id, "mode": p.mode,
        "ratings": sorted(p.ratings.items()), "area": p.area_code,
        "loc": None if p.lon is None else [round(p.lon, 7), round(p.lat or 0.0, 7)],
        "comments": [[c.criterion_id, c.kind, c.text] for c in p.comments],
        "priorities": list(p.priorities), "age": p.age_band, "gender": p.gender,
        "relation": p.relation,
        "date": None if p.survey_date is None else p.survey_date.isoformat(),
        "by": p.entered_by, "group": p.group_id, "participants": p.participants,
        "replaces": p.replaces,
    }
    blob = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
