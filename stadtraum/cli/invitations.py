"""``stadtraum campaigns codes`` and ``codes-required``: one-time invitation codes from the
command line (acting as the system actor, audited under its name)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.citizen.invitation_export import codes_csv, codes_sheet
from stadtraum.citizen.invitations import generate_codes, invitation_url, set_codes_required
from stadtraum.citizen.public_link import public_link, public_url
from stadtraum.config import load_settings
from stadtraum.errors import ValidationError
from stadtraum.store.campaigns import find_campaign


def add_parsers(csub: argparse._SubParsersAction) -> None:
    codes = csub.add_parser("codes", help="einmalige Einladungscodes erzeugen und einmalig als "
                            "CSV (und druckbaren Bogen mit QR-Codes) schreiben")
    codes.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    codes.add_argument("--count", type=int, required=True, help="Anzahl Codes")
    codes.add_argument("-o", "--output", type=Path, required=True,
                       help="CSV-Datei (wird nicht überschrieben)")
    codes.add_argument("--sheet", type=Path, help="zusätzlich druckbarer Bogen (.html)")
    codes.add_argument("--base-url", help="öffentliche Adresse der App für die Links "
                       "(Standard: STADTRAUM_PUBLIC_BASE_URL)")
    req = csub.add_parser("codes-required", help="Einladungscodes für den Online-Fragebogen "
                          "verlangen (on) oder nicht (off)")
    req.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    req.add_argument("switch", choices=["on", "off"])


def _campaign_id(engine: Engine, id_or_name: str) -> int:
    with Session(engine) as session:
        return find_campaign(session, id_or_name).id


def run(engine: Engine, args: argparse.Namespace) -> str:
    cid = _campaign_id(engine, args.campaign)
    if args.campaigns_command == "codes-required":
        on = args.switch == "on"
        set_codes_required(engine, cid, on, actor=SYSTEM)
        state = "erforderlich" if on else "nicht mehr erforderlich"
        return f"Befragung {cid}: Einladungscodes {state}.\n"
    for path in (args.output, args.sheet):
        if path is not None and Path(path).exists():
            raise ValidationError(f"{path} existiert schon; bitte einen neuen Dateinamen "
                                  "angeben (die Codes darin ließen sich nicht wieder anzeigen).",
                                  f"{path} exists", field="output")
    token = public_link(engine, cid).token
    base = args.base_url or load_settings().public_base_url
    link_for = (lambda c: invitation_url(base, token, c)) if token and base else None
    codes = generate_codes(engine, cid, args.count, actor=SYSTEM)
    Path(args.output).write_bytes(codes_csv(codes, link_for))
    if args.sheet is not None:
        with Session(engine) as session:
            name = find_campaign(session, cid).name
        typed = public_url(base, token) if token and base else None
        Path(args.sheet).write_text(codes_sheet(name, codes, link_for, typed), encoding="utf-8")
    note = "" if link_for else (" Ohne Links: zuerst den Bürger-Link einschalten und "
                                "--base-url oder STADTRAUM_PUBLIC_BASE_URL angeben.")
    return (f"{len(codes)} Einladungscodes für Befragung {cid} in {args.output} geschrieben. "
            f"Sie lassen sich nicht noch einmal anzeigen: die Datenbank kennt nur ihre "
            f"Prüfsummen.{note}\n")
