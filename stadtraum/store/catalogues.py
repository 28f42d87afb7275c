"""Catalogues: the shipped ones plus those an admin stored in the database (TOML text).

A shipped id always wins over a stored one (:func:`all_catalogues`); the use cases of
:mod:`stadtraum.admin.catalogues` refuse to store such an id in the first place, and to
replace or delete a stored catalogue that a campaign names (:func:`campaigns_using`).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stadtraum.criteria import Catalogue, builtin_catalogues, parse_catalogue_text
from stadtraum.errors import ValidationError
from stadtraum.store.db import Campaign, StoredCatalogue


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


def stored_catalogue(session: Session, catalogue_id: str, *, for_update: bool = False,
                     share: bool = False) -> StoredCatalogue | None:
    """The stored row of ``catalogue_id``, or None for a shipped or unknown id. On
    PostgreSQL ``for_update`` locks it for the transaction (replace, delete) and ``share``
    takes a shared lock (a campaign choosing it waits for a replace or delete under way and
    then sees its result; the delete waits for the campaign and then sees it in use)."""
    query = select(StoredCatalogue).where(StoredCatalogue.id == catalogue_id)
    if for_update or share:
        query = query.with_for_update(read=not for_update)
    return session.scalar(query)


def campaigns_using(session: Session) -> dict[str, list[str]]:
    """Catalogue id -> the names of the campaigns (any status) that name it."""
    used: dict[str, list[str]] = {}
    for cat_id, name in session.execute(
            select(Campaign.catalogue_id, Campaign.name).order_by(Campaign.name)):
        used.setdefault(cat_id, []).append(name)
    return used


def replace_stored(session: Session, catalogue_id: str, toml_text: str) -> None:
    """Put new TOML text into a stored catalogue's row (the caller checked it)."""
    row = stored_catalogue(session, catalogue_id)
    if row is None:
        raise ValidationError(f"Katalog „{catalogue_id}“ ist nicht gespeichert.",
                              f"catalogue {catalogue_id!r} is not stored", field="id")
    row.toml = toml_text


def delete_stored(session: Session, catalogue_id: str) -> None:
    session.execute(delete(StoredCatalogue).where(StoredCatalogue.id == catalogue_id))


def criterion_universe(session: Session) -> tuple[str, ...]:
    """All criterion ids of all catalogues, in order of first appearance (engine columns)."""
    seen: dict[str, None] = {}
    for cat in all_catalogues(session).values():
        for cid in cat.ids:
            seen.setdefault(cid, None)
    return tuple(seen)
