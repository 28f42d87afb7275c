"""Targets per area from a file: how many responses a campaign wants in each area.

The file is a table (CSV or XLSX, read by :mod:`stadtraum.files.tables`: encoding, BOM and
separator detected) with a column ``code`` (the area code of the campaign's level; also
``gebiet``, ``gebietscode``) and a column ``target`` (also ``ziel``, ``zielzahl``), one area
per row. Every problem is reported with its row (an unknown code, a number that is not whole,
negative or too large, an area twice) and then **nothing** is stored; a good file replaces
the campaign's per-area targets as a whole. Areas the file leaves out keep the campaign's
number for every area (if it has one).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.admin.campaign_settings import de_number
from stadtraum.errors import ValidationError
from stadtraum.exports.spreadsheet import FORMULA_PREFIXES, neutralise
from stadtraum.files.tables import Cell, Table, read_table
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import (
    check_version,
    clear_targets,
    find_campaign,
    find_for_update,
)
from stadtraum.store.db import MAX_TARGET, Area, AreaLevel, CampaignTarget
from stadtraum.store.engine import write_engine

__all__ = ["CODE_COLUMNS", "MAX_FILE_BYTES", "TARGET_COLUMNS", "AreaTarget", "Problem",
           "TargetsFileError", "TargetsReport", "area_target_rows", "clear_area_targets",
           "parse_targets", "set_area_targets", "targets_template"]

CODE_COLUMNS = ("code", "gebiet", "gebietscode", "area", "area_code")
TARGET_COLUMNS = ("target", "ziel", "zielzahl", "soll")
MAX_FILE_BYTES = 1024 * 1024  # a target per area of a city of 5,000 areas is ~60 kB
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet shows it (header = 1)
    message_de: str
    message_en: str


class TargetsFileError(ValidationError):
    """The targets file has bad rows; nothing was stored. ``problems`` names each row."""

    def __init__(self, problems: list[Problem]) -> None:
        shown = problems[:SHOWN_PROBLEMS]
        more_de = f" (und {len(problems) - len(shown)} weitere)" if len(problems) > len(shown) \
            else ""
        more_en = f" (and {len(problems) - len(shown)} more)" if len(problems) > len(shown) \
            else ""
        super().__init__(
            f"Die Datei mit Zielzahlen hat {len(problems)} fehlerhafte "
            f"{'Zeile' if len(problems) == 1 else 'Zeilen'}; nichts wurde "
            "gespeichert. " + " ".join(p.message_de for p in shown) + more_de,
            f"The targets file has {len(problems)} bad row(s); nothing was stored. "
            + " ".join(p.message_en for p in shown) + more_en, field="targets_file")
        self.problems = tuple(problems)


@dataclass(frozen=True)
class TargetsReport:
    areas: int  # areas with a target from the file
    total: int  # the sum of their targets
    source: str  # e.g. "CSV, UTF-8, Trennzeichen ;"


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [h.strip().casefold() for h in header]
    return next((i for i, key in enumerate(keys) if key in names), None)


def _code(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a code typed as a number in a spreadsheet
    text = "" if cell is None else str(cell).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]  # as the template wrote it, formula-safe
    return text


def _number(cell: Cell) -> int | None:
    """The whole number in ``cell``, or None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = "" if cell is None else str(cell).strip()
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").strip()
    return sign * int(digits) if digits.isascii() and digits.isdigit() else None


def _check_row(row: int, code: str, raw: Cell, known: set[str], seen: dict[str, int],
               level: str) -> tuple[int | None, Problem | None]:
    value = _number(raw)
    shown = _code(raw)[:20]
    if not code:
        return None, Problem(row, f"Zeile {row}: Der Gebietscode fehlt.",
                             f"Row {row}: the area code is missing.")
    if code not in known:
        return None, Problem(row, f"Zeile {row}: Gebiet „{code[:40]}“ gibt es in der Ebene "
                             f"„{level}“ nicht.", f"Row {row}: there is no area “{code[:40]}” in "
                             f"the level “{level}”.")
    if code in seen:
        return None, Problem(row, f"Zeile {row}: Gebiet „{code}“ steht schon in Zeile "
                             f"{seen[code]}.", f"Row {row}: area “{code}” is in row "
                             f"{seen[code]} already.")
    if value is None:
        return None, Problem(row, f"Zeile {row}: Die Zielzahl „{shown}“ ist keine ganze Zahl.",
                             f"Row {row}: the target “{shown}” is not a whole number.")
    if value < 0:
        return None, Problem(row, f"Zeile {row}: Die Zielzahl {value} ist negativ.",
                             f"Row {row}: the target {value} is negative.")
    if value > MAX_TARGET:
        return None, Problem(row, f"Zeile {row}: Die Zielzahl {de_number(value)} ist zu groß "
                             f"(höchstens {de_number(MAX_TARGET)}).",
                             f"Row {row}: the target {value:,} is too large (at most "
                             f"{MAX_TARGET:,}).")
    return value, None


def parse_targets(table: Table, area_codes: set[str], level: str) -> dict[str, int]:
    """Area code -> target from ``table``; :class:`TargetsFileError` with every bad row, or
    :class:`ValidationError` when a column is missing. Pure."""
    code_col, target_col = _column(table.header, CODE_COLUMNS), \
        _column(table.header, TARGET_COLUMNS)
    if code_col is None or target_col is None:
        found = ", ".join(h.strip() for h in table.header if h.strip()) or "keine"
        raise ValidationError(
            "Die Datei braucht die Spalten „code“ (Gebietscode) und „target“ (Zielzahl), "
            f"z. B. als Kopfzeile code;target. Gefunden: {found}.",
            "The file needs the columns “code” (area code) and “target” (target number), "
            f"e.g. the header line code,target. Found: {found}.", field="targets_file")
    targets: dict[str, int] = {}
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for row, cells in table.rows:
        code = _code(cells[code_col]) if code_col < len(cells) else ""
        raw = cells[target_col] if target_col < len(cells) else None
        value, problem = _check_row(row, code, raw, area_codes, seen, level)
        if problem is not None:
            problems.append(problem)
        if code and code not in seen:
            seen[code] = row
        if value is not None and problem is None:
            targets[code] = value
    if problems:
        raise TargetsFileError(problems)
    return targets


def read_targets_file(data: bytes, filename: str) -> Table:
    """The table of an uploaded targets file (size, encoding and format checked)."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"Die Datei ist zu groß ({len(data) / 1_048_576:.1f} MB, höchstens 1 MB); eine "
            "Tabelle mit Gebietscode und Zielzahl ist viel kleiner. Nichts gespeichert.",
            f"The file is too large ({len(data) / 1_048_576:.1f} MB, at most 1 MB); a table "
            "of area codes and targets is much smaller. Nothing stored.", field="targets_file")
    return read_table(data, filename)


def set_area_targets(engine: Engine, campaign_id: int, data: bytes, filename: str, *,
                     actor: Actor, expected_version: int | None = None) -> TargetsReport:
    """Replace the campaign's per-area targets with those of the file, or store nothing and
    raise. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    table = read_targets_file(data, filename)
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_for_update(session, campaign_id)
        check_version(campaign, expected_version)
        level = session.get(AreaLevel, campaign.level_id)
        codes = dict(session.execute(select(Area.code, Area.id)
                                     .where(Area.level_id == campaign.level_id)).all())
        targets = parse_targets(table, set(codes), level.name if level else "?")
        removed = clear_targets(session, campaign.id)
        if targets:
            session.execute(insert(CampaignTarget), [
                {"campaign_id": campaign.id, "area_id": codes[code], "target": value}
                for code, value in targets.items()])
        campaign.version += 1
        audit(session, actor.name, "targets", "campaign", campaign.id, name=campaign.name,
              file=filename[:200], areas=len(targets), total=sum(targets.values()),
              removed=removed)
    return TargetsReport(len(targets), sum(targets.values()), table.source)


def clear_area_targets(engine: Engine, campaign_id: int, *, actor: Actor,
                       expected_version: int | None = None) -> int:
    """Remove the per-area targets (the number for every area stays); how many. Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(write_engine(engine)) as session, session.begin():
        campaign = find_for_update(session, campaign_id)
        check_version(campaign, expected_version)
        removed = clear_targets(session, campaign.id)
        if removed:
            campaign.version += 1
            audit(session, actor.name, "targets_clear", "campaign", campaign.id,
                  name=campaign.name, removed=removed)
    return removed


@dataclass(frozen=True)
class AreaTarget:
    """One area of the campaign's level with its target (None: none) and where it comes
    from: ``file`` (its own) or ``all`` (the number for every area)."""

    code: str
    name: str
    target: int | None
    source: str | None


def area_target_rows(engine: Engine, campaign_id: int, *, actor: Actor) -> list[AreaTarget]:
    """Every area of the campaign's level with its target, in code order. Needs
    ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    with Session(engine) as session:
        campaign = find_campaign(session, campaign_id)
        own = dict(session.execute(select(CampaignTarget.area_id, CampaignTarget.target)
                                   .where(CampaignTarget.campaign_id == campaign.id)).all())
        rows = []
        for area_id, code, name in session.execute(
                select(Area.id, Area.code, Area.name).where(Area.level_id == campaign.level_id)
                .order_by(Area.code)):
            if area_id in own:
                rows.append(AreaTarget(code, name, own[area_id], "file"))
            elif campaign.default_target is not None:
                rows.append(AreaTarget(code, name, int(campaign.default_target), "all"))
            else:
                rows.append(AreaTarget(code, name, None, None))
        return rows


def targets_template(engine: Engine, campaign_id: int, *, actor: Actor) -> bytes:
    """A CSV to fill in (UTF-8 with BOM, ``;``): every area's code and name and its current
    target, formula-safe. Needs ``campaigns.manage``."""
    require(actor, "campaigns.manage")
    rows = area_target_rows(engine, campaign_id, actor=actor)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["code", "name", "target"])
    for row in rows:
        writer.writerow([neutralise(row.code), neutralise(row.name),
                         "" if row.target is None else row.target])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
