"""``stadtraum report``: the printable area or city report (acting as the system actor,
audited under its name).

``stadtraum report --campaign ID (--area CODE [--level NAME] | --city)
[--source published|live] -o FILE.pdf|FILE.html``: the format follows the file's ending;
the default source is the published snapshot (the report for the public).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.cli.commands import write_output
from stadtraum.errors import ValidationError
from stadtraum.reports.area_report import build_area_report
from stadtraum.reports.city_report import build_city_report
from stadtraum.reports.report_data import SOURCES
from stadtraum.store.campaigns import find_campaign

__all__ = ["add_parsers", "run"]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Top-level command ``report``."""
    rep = sub.add_parser("report", help="druckfertigen Bericht eines Gebiets oder der ganzen "
                         "Stadt schreiben (PDF oder HTML, nach der Endung von -o)")
    rep.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    which = rep.add_mutually_exclusive_group(required=True)
    which.add_argument("--area", metavar="CODE", help="Gebietsbericht für diesen Gebietscode")
    which.add_argument("--city", action="store_true", help="Stadtbericht (Zusammenfassung)")
    rep.add_argument("--level", metavar="EBENE", help="Ebene des Gebiets (wenn ein Code auf "
                     "mehreren Ebenen vorkommt), z. B. Stadtbezirk")
    rep.add_argument("--source", choices=list(SOURCES), default="published",
                     help="published = veröffentlichter Stand (öffentlich, Standard); live = "
                     "Live-Zahlen (interner Bericht, auf jeder Seite gekennzeichnet)")
    rep.add_argument("-o", "--output", type=Path, required=True,
                     help="Zieldatei (.pdf oder .html)")


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".html", ".htm"):
        return "html"
    raise ValidationError(f"Unbekannte Endung „{path.suffix}“: -o muss auf .pdf oder .html "
                          "enden.", f"unknown report file type {path.suffix!r}",
                          field="output")


def _progress(done: int, total: int, what: str) -> None:
    print(f"\r{what} ({done}/{total})" + " " * 10, end="" if done < total else "\n",
          file=sys.stderr, flush=True)


def run(engine: Engine, args: argparse.Namespace) -> str | None:
    """The command's output, or None when ``args`` is not this command."""
    if args.command != "report":
        return None
    if args.city and args.level:
        raise ValidationError("--level gilt nur mit --area.", "--level without --area",
                              field="level")
    path = Path(args.output)
    fmt = _format(path)
    with Session(engine) as session:
        cid = int(find_campaign(session, args.campaign).id)
    provider = CubeProvider(engine)
    if args.city:
        data = build_city_report(engine, provider, cid, actor=SYSTEM, source=args.source,
                                 fmt=fmt, progress=_progress)
        what = "Stadtbericht"
    else:
        data = build_area_report(engine, provider, cid, args.area, actor=SYSTEM,
                                 source=args.source, level=args.level, fmt=fmt)
        what = f"Gebietsbericht {args.area}"
    write_output(path, data)
    kind = "interner Bericht, Live-Zahlen" if args.source == "live" else "veröffentlichter Stand"
    size = f"{len(data):,}".replace(",", ".")
    return f"{what} ({kind}) geschrieben: {path} ({fmt.upper()}, {size} Bytes).\n"
