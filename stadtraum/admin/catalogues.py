"""Use cases of the criteria catalogues (issue 11, item 5), for the page "Kataloge" and the
command line alike: list the shipped and stored catalogues with the campaigns that use
each, check an uploaded TOML file (every problem with its line, nothing stored), add it,
copy a catalogue under a new id, replace or delete a stored one.

Each checks ``catalogues.manage`` itself and writes its audit row in the same transaction
as the change. A catalogue a campaign names (in any status) is never replaced or deleted,
only copied: its criterion ids key stored ratings and its texts are what respondents saw.
The shipped catalogues come with the package and cannot be changed at all.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from importlib import resources

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.admin.catalogue_check import (
    ID_RE,
    CatalogueCheck,
    Problem,
    check_catalogue_bytes,
    check_catalogue_text,
)
from stadtraum.criteria import Catalogue, builtin_catalogues
from stadtraum.criteria import parse_catalogue_text as _parse
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store import catalogues as store
from stadtraum.store.audit import audit
from stadtraum.store.db import StoredCatalogue
from stadtraum.store.engine import write_engine

__all__ = [
    "CatalogueFileError",
    "CatalogueInUseError",
    "CatalogueRow",
    "UploadCheck",
    "add_catalogue",
    "catalogue_source",
    "catalogue_toml",
    "check_upload",
    "copy_catalogue",
    "delete_catalogue",
    "list_catalogues",
    "replace_catalogue",
]

SHIPPED, STORED = "shipped", "stored"


class CatalogueFileError(ValidationError):
    """The file has problems (each with its line); nothing was stored."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__("Der Katalog wurde nicht gespeichert:\n"
                         + "\n".join(p.text("de") for p in problems),
                         "catalogue not stored: " + "; ".join(p.text("en") for p in problems),
                         field="file")
        self.problems = problems


class CatalogueInUseError(ValidationError):
    """A campaign names the catalogue: it may only be copied."""

    def __init__(self, catalogue_id: str, campaigns: list[str], what: tuple[str, str]) -> None:
        names = ", ".join(f"„{n}“" for n in campaigns)
        plural = "en" if len(campaigns) > 1 else ""
        super().__init__(
            f"Der Katalog „{catalogue_id}“ wird von der Befragung{plural} {names} verwendet "
            f"und kann nicht {what[0]} werden. Bitte den Katalog kopieren und die Kopie "
            "ändern.",
            f"catalogue {catalogue_id!r} is used by {campaigns} and cannot be {what[1]}; "
            "copy it instead", field="id")
        self.campaigns = tuple(campaigns)


@dataclass(frozen=True)
class CatalogueRow:
    id: str
    name_de: str
    name_en: str
    n_criteria: int
    source: str  # SHIPPED or STORED
    campaigns: tuple[str, ...]  # names of the campaigns that use it
    created_at: dt.datetime | None = None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_de

    @property
    def changeable(self) -> bool:
        """A stored catalogue no campaign uses (may be replaced or deleted)."""
        return self.source == STORED and not self.campaigns


@dataclass(frozen=True)
class UploadCheck:
    """An uploaded file as checked; ``existing`` is the stored catalogue of the same id."""

    check: CatalogueCheck
    existing: CatalogueRow | None = None


def _rows(session: Session) -> list[CatalogueRow]:
    used = store.campaigns_using(session)
    stored = {cat_id: created for cat_id, created in session.execute(
        select(StoredCatalogue.id, StoredCatalogue.created_at))}
    shipped = builtin_catalogues()
    return [CatalogueRow(c.id, c.name_de, c.name_en, len(c.criteria),
                         SHIPPED if c.id in shipped else STORED, tuple(used.get(c.id, ())),
                         None if c.id in shipped else stored.get(c.id))
            for c in store.all_catalogues(session).values()]


def list_catalogues(engine: Engine, *, actor: Actor) -> list[CatalogueRow]:
    """Every catalogue, shipped first, with its number of criteria and the campaigns using
    it. Needs ``catalogues.manage``."""
    require(actor, "catalogues.manage")
    with Session(engine) as session:
        return _rows(session)


def catalogue_source(engine: Engine, catalogue_id: str, *,
                     actor: Actor) -> tuple[Catalogue, str]:
    """A catalogue and its TOML text (to preview it, or to download, edit and upload it as
    a new catalogue). Needs ``catalogues.manage``."""
    require(actor, "catalogues.manage")
    if catalogue_id in builtin_catalogues():
        folder = resources.files("stadtraum") / "catalogues"
        item = next(p for p in folder.iterdir() if p.name.endswith(".toml") and
                    builtin_catalogues()[catalogue_id] == _parse(p.read_text("utf-8")))
        return builtin_catalogues()[catalogue_id], item.read_text(encoding="utf-8")
    with Session(engine) as session:
        row = store.stored_catalogue(session, catalogue_id)
        if row is None:
            raise NotFoundError(f"Einen Katalog „{catalogue_id}“ gibt es nicht.",
                                f"no catalogue {catalogue_id!r}")
        return store.catalogue_for(session, catalogue_id), row.toml


def _row(session: Session, catalogue_id: str) -> CatalogueRow | None:
    return next((r for r in _rows(session) if r.id == catalogue_id), None)


def check_upload(engine: Engine, data: bytes, *, actor: Actor) -> UploadCheck:
    """Check an uploaded file (size, UTF-8, TOML, every rule with its line); stores nothing.
    Needs ``catalogues.manage``."""
    require(actor, "catalogues.manage")
    check = check_catalogue_bytes(data)
    if not check.ok or check.catalogue is None:
        return UploadCheck(check)
    with Session(engine) as session:
        return UploadCheck(check, _row(session, check.catalogue.id))


def _checked(data: str | bytes) -> CatalogueCheck:
    check = check_catalogue_bytes(data) if isinstance(data, bytes) \
        else check_catalogue_text(data)
    if not check.ok:
        raise CatalogueFileError(check.problems)
    return check


def _exists(cat_id: str) -> ValidationError:
    return ValidationError(
        f"Einen Katalog mit der Id „{cat_id}“ gibt es schon. Bitte eine andere Id wählen "
        "(oder den vorhandenen ersetzen, solange keine Befragung ihn verwendet).",
        f"catalogue {cat_id!r} exists", field="id")


def add_catalogue(engine: Engine, data: str | bytes, *, actor: Actor) -> Catalogue:
    """Check and store a new catalogue (TOML text or the uploaded bytes); refused with every
    problem and its line, nothing stored. Needs ``catalogues.manage``."""
    require(actor, "catalogues.manage")
    check = _checked(data)
    cat = check.catalogue
    assert cat is not None
    try:
        with Session(write_engine(engine)) as session, session.begin():
            if cat.id in store.all_catalogues(session):
                raise _exists(cat.id)
            store.add_catalogue(session, check.text)
            audit(session, actor.name, "create", "catalogue", cat.id, name=cat.name_de,
                  criteria=len(cat.criteria))
    except IntegrityError:  # the same id stored at the same moment by someone else
        raise _exists(cat.id) from None
    return cat


def _changeable(session: Session, catalogue_id: str, what: tuple[str, str]) -> None:
    """Refuse a shipped, unknown or used catalogue (the row stays locked on PostgreSQL)."""
    if catalogue_id in builtin_catalogues():
        raise ValidationError(
            f"„{catalogue_id}“ ist ein mitgelieferter Katalog und kann nicht {what[0]} "
            "werden; bitte kopieren.", f"shipped catalogue {catalogue_id!r} cannot be "
            f"{what[1]}", field="id")
    if store.stored_catalogue(session, catalogue_id, for_update=True) is None:
        raise NotFoundError(f"Einen Katalog „{catalogue_id}“ gibt es nicht.",
                            f"no catalogue {catalogue_id!r}")
    campaigns = store.campaigns_using(session).get(catalogue_id)
    if campaigns:
        raise CatalogueInUseError(catalogue_id, campaigns, what)


def replace_catalogue(engine: Engine, data: str | bytes, *, actor: Actor) -> Catalogue:
    """Replace the stored catalogue whose id the file names, if no campaign uses it. Needs
    ``catalogues.manage``."""
    require(actor, "catalogues.manage")
    check = _checked(data)
    cat, text = check.catalogue, check.text
    assert cat is not None
    with Session(write_engine(engine)) as session, session.begin():
        _changeable(session, cat.id, ("ersetzt", "replaced"))
        before = store.catalogue_for(session, cat.id)
        store.replace_stored(session, cat.id, text)
        audit(session, actor.name, "replace", "catalogue", cat.id, name=cat.name_de,
              criteria=len(cat.criteria), old=len(before.criteria))
    return cat


def delete_catalogue(engine: Engine, catalogue_id: str, *, actor: Actor) -> None:
    """Delete a stored catalogue no campaign uses. Needs ``catalogues.manage``."""
    require(actor, "catalogues.manage")
    with Session(write_engine(engine)) as session, session.begin():
        _changeable(session, catalogue_id, ("gelöscht", "deleted"))
        cat = store.catalogue_for(session, catalogue_id)
        store.delete_stored(session, catalogue_id)
        audit(session, actor.name, "delete", "catalogue", catalogue_id, name=cat.name_de,
              criteria=len(cat.criteria))


def copy_catalogue(engine: Engine, source_id: str, new_id: str, *, actor: Actor,
                   name_de: str = "", name_en: str = "") -> Catalogue:
    """Store a copy of any catalogue under ``new_id`` (names default to "Kopie von …"); the
    only way to change a catalogue in use. Needs ``catalogues.manage``."""
    require(actor, "catalogues.manage")
    new_id = new_id.strip()
    if not ID_RE.match(new_id):
        raise ValidationError(f"Die neue Id „{new_id}“ ist ungültig: 2 bis 40 Zeichen, nur "
                              "a–z, 0–9 und _, am Anfang ein Buchstabe.",
                              f"invalid catalogue id {new_id!r}", field="new_id")
    try:
        with Session(write_engine(engine)) as session, session.begin():
            cats = store.all_catalogues(session)
            if source_id not in cats:
                raise NotFoundError(f"Einen Katalog „{source_id}“ gibt es nicht.",
                                    f"no catalogue {source_id!r}")
            if new_id in cats:
                raise _exists(new_id)
            source = cats[source_id]
            copy = replace(source, id=new_id,
                           name_de=name_de.strip() or f"Kopie von {source.name_de}",
                           name_en=name_en.strip() or f"Copy of {source.name_en}")
            text = catalogue_toml(copy)
            cat = _checked(text).catalogue
            assert cat is not None
            store.add_catalogue(session, text)
            audit(session, actor.name, "copy", "catalogue", new_id, name=cat.name_de,
                  criteria=len(cat.criteria), copied_from=source_id)
    except IntegrityError:
        raise _exists(new_id) from None
    return cat


def _toml_str(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped as well)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def catalogue_toml(cat: Catalogue) -> str:
    """The catalogue as TOML text that parses back to the same catalogue."""
    out = [f"id = {_toml_str(cat.id)}", f"name_de = {_toml_str(cat.name_de)}",
           f"name_en = {_toml_str(cat.name_en)}"]
    for c in cat.criteria:
        out += ["", "[[criteria]]"]
        for key in ("id", "label_de", "label_en", "cluster_de", "cluster_en", "question_de",
                    "question_en", "plain_de"):
            out.append(f"{key} = {_toml_str(getattr(c, key))}")
        for key in ("prompts_de", "prompts_en"):
            out.append(f"{key} = [{', '.join(_toml_str(p) for p in getattr(c, key))}]")
    return "\n".join(out) + "\n"
