"""``stadtraum campaigns list|add|status|set|targets|burst``: the campaigns page's use cases
from the command line (acting as the system actor, audited under its name)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.admin.campaign_burst import (
    BurstControls,
    BurstStatus,
    burst_status,
    set_burst_controls,
)
from stadtraum.admin.campaign_settings import set_comments_auto_release, update_settings
from stadtraum.admin.campaign_targets import clear_area_targets, set_area_targets
from stadtraum.admin.campaigns import create_campaign, list_campaign_rows, set_campaign_status
from stadtraum.config import load_settings
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.queries import current_level
from stadtraum.vocab import MODES

COMMANDS = ("list", "add", "status", "set", "targets", "burst")
_UNSET = object()


def _modes(text: str) -> tuple[str, ...]:
    return tuple(m.strip() for m in text.split(",") if m.strip())


def _target(text: str) -> int | None:
    """``--target``: a whole number, or ``none`` / empty for no target."""
    if text.strip().lower() in ("", "none", "keine"):
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"keine ganze Zahl: {text!r}") from None


def add_parsers(csub: argparse._SubParsersAction, date: Callable[[str], dt.date]) -> None:
    modes_help = f"erlaubte Erhebungsarten, mit Komma: {','.join(MODES.codes)}"
    csub.add_parser("list", help="Befragungen auflisten")
    cadd = csub.add_parser("add", help="Befragung (Welle) anlegen")
    cadd.add_argument("name", help="Name, z. B. „Quartiersbefragung 2027“")
    cadd.add_argument("--level", required=True, help="Gebietsebene der Antworten")
    cadd.add_argument("--catalogue", default="stadtraummonitor14", help="Katalog-Id")
    cadd.add_argument("--min-n", type=int, help="Mindestzahl je Zelle, mindestens 3 "
                      "(Standard: STADTRAUM_DEFAULT_MIN_N)")
    cadd.add_argument("--status", choices=["draft", "open", "closed"], default="draft")
    cadd.add_argument("--start", type=date, help="Beginn JJJJ-MM-TT")
    cadd.add_argument("--end", type=date, help="Ende JJJJ-MM-TT")
    cadd.add_argument("--modes", type=_modes, default=MODES.codes, help=modes_help)
    cadd.add_argument("--target", type=_target, help="Zielzahl Antworten je Gebiet")
    cstat = csub.add_parser("status", help="Befragung öffnen, schließen oder wieder öffnen")
    cstat.add_argument("campaign", help="Id oder Name")
    cstat.add_argument("status", choices=["draft", "open", "closed"])
    cset = csub.add_parser("set", help="Einstellungen einer Befragung ändern (nur die "
                           "angegebenen)")
    cset.add_argument("campaign", help="Id oder Name")
    cset.add_argument("--name")
    cset.add_argument("--catalogue", help="Katalog-Id (nur solange es keine Antworten gibt)")
    cset.add_argument("--level", help="Gebietsebene im neuesten Grenzstand (nur solange es "
                      "keine Antworten gibt)")
    cset.add_argument("--min-n", type=int, help="Mindestzahl je Zelle, mindestens 3")
    cset.add_argument("--start", type=date, help="Beginn JJJJ-MM-TT")
    cset.add_argument("--end", type=date, help="Ende JJJJ-MM-TT")
    cset.add_argument("--modes", type=_modes, help=modes_help)
    cset.add_argument("--target", type=_target, default=_UNSET,
                      help="Zielzahl je Gebiet (none: keine)")
    cset.add_argument("--comments-auto-release", choices=["on", "off"],
                      help="neue Kommentare automatisch freigeben (on) oder auf Prüfung "
                      "warten lassen (off, Standard)")
    ctgt = csub.add_parser("targets", help="Zielzahlen je Gebiet aus einer CSV-Datei mit den "
                           "Spalten code;target setzen (ersetzt die bisherigen)")
    ctgt.add_argument("campaign", help="Id oder Name")
    ctgt.add_argument("file", type=Path, nargs="?", help="CSV- oder XLSX-Datei")
    ctgt.add_argument("--clear", action="store_true", help="Zielzahlen je Gebiet entfernen")
    cburst = csub.add_parser("burst", help="Häufungserkennung des Online-Fragebogens "
                             "einstellen (ohne Optionen: den Stand zeigen)")
    cburst.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    switch = cburst.add_mutually_exclusive_group()
    switch.add_argument("--on", dest="burst_on", action="store_const", const=True,
                        help="Häufungserkennung einschalten")
    switch.add_argument("--off", dest="burst_on", action="store_const", const=False,
                        help="Häufungserkennung ausschalten")
    cburst.add_argument("--floor", type=int, help="Untergrenze: so viele Online-Antworten je "
                        "Gebiet und Stunde werden nie markiert (1 bis 10000, Standard 10)")
    cburst.add_argument("--factor", type=int, help="Faktor für den Median der stündlichen "
                        "Antworten der Vorwoche (1 bis 100, Standard 5)")


def _campaign_id(engine: Engine, id_or_name: str) -> int:
    with Session(engine) as session:
        return find_campaign(session, id_or_name).id


def _level_id(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        return current_level(session, name).id


def _set(engine: Engine, args: argparse.Namespace) -> str:
    cid = _campaign_id(engine, args.campaign)
    row = next(r for r in list_campaign_rows(engine, actor=SYSTEM) if r.id == cid)
    changes: dict[str, Any] = {}
    for option, field in (("name", "name"), ("catalogue", "catalogue_id"), ("min_n", "min_n"),
                          ("start", "starts_on"), ("end", "ends_on"),
                          ("modes", "allowed_modes")):
        if getattr(args, option) is not None:
            changes[field] = getattr(args, option)
    if args.level is not None:
        changes["level_id"] = _level_id(engine, args.level)
    if args.target is not _UNSET:
        changes["default_target"] = args.target
    changed = update_settings(engine, cid, dataclasses.replace(row.settings, **changes),
                              actor=SYSTEM, expected_version=row.version)
    if args.comments_auto_release is not None and set_comments_auto_release(
            engine, cid, args.comments_auto_release == "on", actor=SYSTEM):
        changed.append("comments_auto_release")
    if not changed:
        return f"Befragung {cid}: nichts geändert.\n"
    return f"Befragung {cid}: geändert: {', '.join(changed)}.\n"


def _targets(engine: Engine, args: argparse.Namespace) -> str:
    cid = _campaign_id(engine, args.campaign)
    if args.clear:
        n = clear_area_targets(engine, cid, actor=SYSTEM)
        return f"Befragung {cid}: {n} Zielzahlen je Gebiet entfernt.\n"
    if args.file is None:
        raise ValidationError("Bitte eine Datei angeben (oder --clear).",
                              "a file (or --clear) is required", field="file")
    if not args.file.is_file():
        raise NotFoundError(f"Datei „{args.file}“ gibt es nicht.", "targets file not found")
    report = set_area_targets(engine, cid, args.file.read_bytes(), args.file.name,
                              actor=SYSTEM)
    return (f"Befragung {cid}: Zielzahlen für {report.areas} Gebiete gesetzt (zusammen "
            f"{report.total}; {report.source}).\n")


def _burst_line(status: BurstStatus) -> str:
    c = status.controls
    state = "an" if c.enabled else "aus"
    return (f"Befragung {status.campaign_id}: Häufungserkennung {state}, Untergrenze "
            f"{c.floor}, Faktor {c.factor} (markiert wird die k-te Online-Antwort eines "
            f"Gebiets in einer Stunde mit k > max({c.floor}, {c.factor} × Median der Vorwoche)"
            f"); {status.flagged} markierte Online-Antworten warten auf Prüfung.\n")


def _burst(engine: Engine, args: argparse.Namespace) -> str:
    cid = _campaign_id(engine, args.campaign)
    before = burst_status(engine, cid, actor=SYSTEM)
    if args.burst_on is None and args.floor is None and args.factor is None:
        return _burst_line(before)
    old = before.controls
    new = BurstControls(old.enabled if args.burst_on is None else args.burst_on,
                        old.floor if args.floor is None else args.floor,
                        old.factor if args.factor is None else args.factor)
    changed = set_burst_controls(engine, cid, new, actor=SYSTEM,
                                 expected_version=before.version)
    if not changed:
        return f"Befragung {cid}: nichts geändert.\n" + _burst_line(before)
    return (f"Befragung {cid}: geändert: {', '.join(changed)}.\n"
            + _burst_line(burst_status(engine, cid, actor=SYSTEM)))


def run(engine: Engine, args: argparse.Namespace) -> str:
    command = args.campaigns_command
    if command == "add":
        min_n = args.min_n if args.min_n is not None else load_settings().default_min_n
        cid = create_campaign(engine, name=args.name, level_id=_level_id(engine, args.level),
                              catalogue_id=args.catalogue, min_n=min_n, starts_on=args.start,
                              ends_on=args.end, status=args.status, actor=SYSTEM,
                              allowed_modes=args.modes, default_target=args.target)
        return f"Befragung {cid} „{args.name.strip()}“ angelegt ({args.status}).\n"
    if command == "status":
        cid = _campaign_id(engine, args.campaign)
        changed = set_campaign_status(engine, cid, args.status, actor=SYSTEM)
        return f"Befragung {cid}: Status {args.status}" + ("" if changed else
                                                           " (unverändert)") + ".\n"
    if command == "set":
        return _set(engine, args)
    if command == "targets":
        return _targets(engine, args)
    if command == "burst":
        return _burst(engine, args)
    rows = list_campaign_rows(engine, actor=SYSTEM)
    return "".join(f"{c.id}\t{c.name}\t{c.status}\tmin_n={c.min_n}\t{c.n_responses} Antworten"
                   f"\t{','.join(c.allowed_modes)}" + ("\t(Demo)" if c.is_demo else "") + "\n"
                   for c in reversed(rows))
