"""Catalogues: the shipped ones plus those an admin stored in the database (TOML text)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.criteria import Catalogue, builtin_catalogues, parse_catalogue_text
from stadtraum.errors import ValidationError
from stadtraum.store.db import StoredCatalogue


def all_catalogues(session: Session) -> dict[str, Catalogue]:
    cats = builtin_catalogues()
    for row in session.scalars(select(StoredCatalogue).order_by(StoredCatalogue.id)):
        cats.setdefault(row.id, parse_catalogue_text(row.toml))
    return cats


def catalogue_for(session: Session, catalogue_id: str) -> Catalogue:
    cats = all_catalogues(session)
    if catalogue_id not in cats:
        raise ValidationError(f"Unbekannter Katalog „{catalogue_id}“.",
                              f"unknown catalogue {catalogue_id!r}", field="catalogue")
    return cats[catalogue_id]


def add_catalogue(session: Session, toml_text: str) -> Catalogue:
    """Validate and store a new catalogue (caller owns the transaction)."""
    cat = parse_catalogue_text(toml_text)
    if cat.id in all_catalogues(session):
        raise ValidationError(f"Katalog „{cat.id}“ gibt es schon.",
                              f"catalogue {cat.id!r} exists", field="id")
    session.add(StoredCatalogue(id=cat.id, toml=toml_text))
    return cat


def criterion_universe(session: Session) -> tuple[str, ...]:
    """All criterion ids of all catalogues, in order of first appearance (engine columns)."""
    seen: dict[str, None] = {}
    for cat in all_catalogues(session).values():
        for cid in cat.ids:
            seen.setdefault(cid, None)
    return tuple(seen)
