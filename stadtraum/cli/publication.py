"""Publication commands (acting as the system actor, audited under its name):

- ``stadtraum export results --campaign ID --format csv|xlsx|geojson|gpkg [--numbers de|intl]
  [--level NAME …] -o FILE``: the suppressed results (a CSV gets its metadata next to it as
  ``FILE-metadata.json``);
- ``stadtraum export comments --campaign ID -o FILE.csv``: the released comments;
- ``stadtraum export open-data --campaign ID [--licence …] [--contact …] -o FILE.zip``: the
  open-data package of the published snapshot;
- ``stadtraum opendata on|off --campaign ID``: serve the published snapshot at the public
  URLs (``/opendata/<id>/results.geojson`` and ``results.csv``), or stop.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.cli.commands import write_output
from stadtraum.errors import ValidationError
from stadtraum.exports.comments_export import export_comments
from stadtraum.exports.results_export import FORMATS, export_results
from stadtraum.publish.open_data import build_open_data
from stadtraum.publish.open_data_record import LICENCES, Publisher
from stadtraum.publish.public_results import public_paths, set_results_public
from stadtraum.store.campaigns import find_campaign

__all__ = ["add_parsers", "run"]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Top-level commands ``export`` and ``opendata``."""
    exp = sub.add_parser("export", help="Ergebnisse (CSV, XLSX, GeoJSON, GeoPackage) oder "
                         "freigegebene Kommentare (CSV) in eine Datei schreiben")
    esub = exp.add_subparsers(dest="export_command", required=True, metavar="WAS")
    res = esub.add_parser("results", help="Ergebnisse je Gebiet und Kriterium, mit "
                          "Geheimhaltung (unterdrückte Zellen ohne Wert und ohne n)")
    res.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    res.add_argument("--format", choices=list(FORMATS),
                     help="Dateiformat (Standard: nach der Endung von -o)")
    res.add_argument("--numbers", choices=["de", "intl"], default="de",
                     help="CSV: de = „;“ und 3,5 (Standard); intl = „,“ und 3.5")
    res.add_argument("--level", action="append", metavar="EBENE",
                     help="nur diese Gebietsebene (mehrfach möglich; Standard: alle, "
                     "bei GeoJSON die Ebene der Befragung)")
    res.add_argument("-o", "--output", type=Path, required=True, help="Zieldatei")
    com = esub.add_parser("comments", help="freigegebene Kommentare als CSV")
    com.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    com.add_argument("--numbers", choices=["de", "intl"], default="de",
                     help="Trennzeichen: de = „;“ (Standard), intl = „,“")
    com.add_argument("-o", "--output", type=Path, required=True, help="Zieldatei (.csv)")
    odp = esub.add_parser("open-data", help="Open-Data-Paket (ZIP) aus dem veröffentlichten "
                          "Stand: CSV, GeoJSON, GeoPackage, DCAT-AP.de-Metadaten, LIESMICH, "
                          "Prüfsummen; nie Kommentare")
    odp.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    odp.add_argument("--licence", default="dl-de/by-2-0", choices=list(LICENCES),
                     help="Lizenz (Standard: dl-de/by-2-0)")
    odp.add_argument("--contact", help="Kontaktpunkt, z. B. „Stadtplanung, plan@stadt.de“ "
                     "(Standard: die Datenschutz-Kontaktangabe der Stadt)")
    odp.add_argument("--publisher", help="herausgebende Stelle (Standard: der Name der Stadt "
                     "aus den Einstellungen)")
    odp.add_argument("-o", "--output", type=Path, required=True, help="Zieldatei (.zip)")
    od = sub.add_parser("opendata", help="veröffentlichten Stand einer Befragung unter festen "
                        "Adressen ohne Anmeldung anbieten (on) oder nicht mehr (off)")
    od.add_argument("switch", choices=["on", "off"])
    od.add_argument("--campaign", required=True, help="Id oder Name der Befragung")


def _campaign_id(engine: Engine, text: str) -> int:
    with Session(engine) as session:
        return int(find_campaign(session, text).id)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    for fmt, (ext, _) in FORMATS.items():
        if suffix == ext:
            return fmt
    raise ValidationError("Bitte --format angeben (csv, xlsx, geojson, gpkg) oder eine "
                          "passende Endung für -o wählen.", "format not given", field="format")


def _results(engine: Engine, args: argparse.Namespace) -> str:
    fmt = _format(args)
    out = export_results(engine, CubeProvider(engine), _campaign_id(engine, args.campaign),
                         fmt, actor=SYSTEM, levels=args.level, numbers=args.numbers)
    path = Path(args.output)
    write_output(path, out.data)
    size = f"{len(out.data):,}".replace(",", ".")
    lines = [f"Ergebnisse geschrieben: {path} ({fmt}, {size} Bytes)."]
    if out.sidecar is not None:
        meta = path.with_name(path.name + "-metadata.json")
        write_output(meta, out.sidecar[1])
        lines.append(f"Metadaten (Filter, Befragung, Geheimhaltung, Stand): {meta}")
    return "\n".join(lines)


def _comments(engine: Engine, args: argparse.Namespace) -> str:
    out = export_comments(engine, CubeProvider(engine), _campaign_id(engine, args.campaign),
                          actor=SYSTEM, numbers=args.numbers)
    path = Path(args.output)
    write_output(path, out.data)
    meta = path.with_name(path.name + "-metadata.json")
    write_output(meta, out.sidecar[1])
    return f"{out.rows} freigegebene Kommentare geschrieben: {path} (Metadaten: {meta})."


def _open_data(engine: Engine, args: argparse.Namespace) -> str:
    from stadtraum.admin.city_settings import city_profile

    profile = city_profile(engine)
    name = (args.publisher or profile.city_name).strip()
    publisher = Publisher(name, (args.contact or profile.privacy_contact or name).strip(),
                          profile.public_base_url)
    pkg = build_open_data(engine, _campaign_id(engine, args.campaign), actor=SYSTEM,
                          publisher=publisher, licence=args.licence)
    path = Path(args.output)
    write_output(path, pkg.data)
    return f"Open-Data-Paket geschrieben: {path} ({', '.join(pkg.files)})."


def _opendata(engine: Engine, args: argparse.Namespace) -> str:
    cid = _campaign_id(engine, args.campaign)
    on = args.switch == "on"
    changed = set_results_public(engine, cid, on, actor=SYSTEM)
    if not on:
        return ("Nicht mehr öffentlich abrufbar." if changed else
                "War nicht öffentlich abrufbar; nichts geändert.")
    head = "Öffentlich abrufbar" if changed else "War schon öffentlich abrufbar"
    return head + " (Adressen relativ zur Adresse der App):\n" + "\n".join(public_paths(cid))


def run(engine: Engine, args: argparse.Namespace) -> str | None:
    """The command's output, or None when ``args`` is not one of these commands."""
    if args.command == "export" and args.export_command == "results":
        return _results(engine, args)
    if args.command == "export" and args.export_command == "comments":
        return _comments(engine, args)
    if args.command == "export" and args.export_command == "open-data":
        return _open_data(engine, args)
    if args.command == "opendata":
        return _opendata(engine, args)
    return None
