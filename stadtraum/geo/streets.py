"""Street directory: which area(s) of a level a street runs through, for choosing the area
of an interview by street name.

Imported from a CSV with the columns ``strasse`` and ``gebiet`` (the area code; a street
running through several areas has one line per area). An import replaces the level's whole
directory in one transaction, and only if every line is good; bad lines are reported with
their line number. Search is tolerant: case, ß/ss, umlauts, "Str."/"Straße" and punctuation
do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.errors import GeoImportError, ValidationError
from stadtraum.files.tables import read_csv
from stadtraum.store.audit import audit
from stadtraum.store.db import Area, Street
from stadtraum.store.engine import write_engine
from stadtraum.store.limits import check_length, column_limit

STREET_COLUMNS = ("strasse", "straße", "street", "strassenname")
AREA_COLUMNS = ("gebiet", "area_code", "code", "gebietscode")
# the search key is cut to its column (a key longer than the name, "Str." → "strasse", must
# still fit); queries are cut the same way, so a prefix search still finds the street
KEY_LENGTH = column_limit(Street, "name_key")
_FOLD = str.maketrans({"ß": "ss", "ä": "ae", "ö": "oe", "ü": "ue"})


@dataclass(frozen=True)
class StreetHit:
    street: str
    area_code: str
    area_name: str


def street_key(name: str) -> str:
    """Normalised search key: 'Hauptstr.' == 'Haupt-Straße' == 'hauptstrasse'."""
    text = unicodedata.normalize("NFC", name).casefold().translate(_FOLD)
    text = re.sub(r"str\.", "strasse", text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum())[:KEY_LENGTH]


def _too_long(street: str, line: int) -> str | None:
    try:
        check_length(street, Street, "name", what_de="Der Straßenname",
                     where_de=f"Zeile {line}: ", where_en=f"line {line}: ")
    except ValidationError as exc:
        return exc.message_de
    return None


def read_street_csv(data: bytes) -> list[tuple[int, str, str]]:
    """(line number, street, area code) for every line; raises with every bad line named.
    Encoding and separator are detected as for paper forms (:func:`read_csv`)."""
    table = read_csv(data)
    header = [h.strip().casefold() for h in table.header]
    street_col = next((i for i, h in enumerate(header) if h in STREET_COLUMNS), None)
    area_col = next((i for i, h in enumerate(header) if h in AREA_COLUMNS), None)
    if street_col is None or area_col is None:
        raise ValidationError(
            "Die Straßendatei braucht die Spalten „strasse“ und „gebiet“ (Gebietscode); "
            f"gefunden: {', '.join(header) or 'keine'}.",
            f"street file lacks columns strasse/gebiet: {header}", field="columns")
    rows, problems = [], []
    for line, record in table.rows:
        street = str(record[street_col] or "").strip() if street_col < len(record) else ""
        code = str(record[area_col] or "").strip() if area_col < len(record) else ""
        if not street or not code:
            problems.append(f"Zeile {line}: Straße und Gebiet müssen ausgefüllt sein.")
        elif (too_long := _too_long(street, line)) is not None:
            problems.append(too_long)
        elif not street_key(street):
            problems.append(f"Zeile {line}: Straßenname „{street[:40]}“ ist ungültig.")
        else:
            rows.append((line, street, code))
    if problems:
        raise GeoImportError(" ".join(problems[:20]) + (
            f" (und {len(problems) - 20} weitere)" if len(problems) > 20 else ""),
            f"{len(problems)} bad lines in street file")
    if not rows:
        raise ValidationError("Die Straßendatei enthält keine Straßen.", "no streets",
                              field="file")
    return rows


def import_streets(engine: Engine, level_id: int, rows: list[tuple[int, str, str]], *,
                   actor: Actor) -> int:
    """Replace the level's directory with ``rows``; returns the number of street–area pairs.
    Needs ``areas.import``.

    Unknown area codes are reported with their lines and nothing changes."""
    require(actor, "areas.import")
    with Session(write_engine(engine)) as session, session.begin():
        areas = {str(code): int(area_id) for code, area_id in session.execute(
            select(Area.code, Area.id).where(Area.level_id == level_id))}
        unknown = [f"Zeile {line}: Gebiet „{code}“" for line, _, code in rows
                   if code not in areas]
        if unknown:
            raise GeoImportError(
                "Unbekannte Gebietscodes für diese Ebene – nichts importiert: "
                + "; ".join(unknown[:20]) + (" …" if len(unknown) > 20 else ""),
                f"{len(unknown)} unknown area codes in street file")
        pairs: dict[tuple[str, int], str] = {}
        for _, street, code in rows:
            pairs.setdefault((street_key(street), areas[code]), street)
        session.execute(delete(Street).where(Street.level_id == level_id))
        session.execute(insert(Street), [
            {"level_id": level_id, "name": name, "name_key": key, "area_id": area_id}
            for (key, area_id), name in pairs.items()])
        audit(session, actor.name, "import", "streets", level_id, pairs=len(pairs))
        return len(pairs)


def directory_version(engine: Engine, level_id: int) -> tuple[int, int]:
    """(pairs, highest row id) of the level's directory: changes with every import, so a
    cached street list can be keyed by it (one indexed query)."""
    with Session(engine) as session:
        count, top = session.execute(select(func.count(), func.max(Street.id))
                                     .where(Street.level_id == level_id)).one()
    return int(count), int(top or 0)


def street_choices(engine: Engine, level_id: int) -> list[StreetHit]:
    """Every street–area pair of the level, by street name (for a searchable list)."""
    with Session(engine) as session:
        rows = session.execute(select(Street.name, Area.code, Area.name)
                               .join(Area, Area.id == Street.area_id)
                               .where(Street.level_id == level_id)
                               .order_by(Street.name_key, Area.name)).all()
    return [StreetHit(*r) for r in rows]


def search_streets(engine: Engine, level_id: int, query: str, limit: int = 20) -> list[StreetHit]:
    """Streets whose normalised name starts with (or else contains) the query."""
    key = street_key(query)
    if not key:
        return []
    with Session(engine) as session:
        base = (select(Street.name, Area.code, Area.name).join(Area, Area.id == Street.area_id)
                .where(Street.level_id == level_id).order_by(Street.name_key, Area.name))
        rows = session.execute(base.where(Street.name_key.startswith(key, autoescape=True))
                               .limit(limit)).all()
        if not rows:
            rows = session.execute(base.where(Street.name_key.contains(key, autoescape=True))
                                   .limit(limit)).all()
    return [StreetHit(*r) for r in rows]
