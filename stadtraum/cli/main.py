"""The ``stadtraum`` command. Exit codes: 0 success, 2 usage error, 1 any other failure
(one German line on stderr; the traceback only with ``--debug``)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from stadtraum.errors import StadtraumError


def _progress(label: str):  # type: ignore[no-untyped-def]
    def report(done: int, total: int) -> None:
        pct = 100 * done // max(total, 1)
        print(f"\r{label}: {done:,}/{total:,} ({pct} %)".replace(",", "."), end="",
              file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)
    return report


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"kein Datum (JJJJ-MM-TT): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="stadtraum",
        description="StadtRaumMonitor – Befragungen zur Lebensqualität in Quartieren "
                    "(Place Standard Tool).")
    p.add_argument("--db", metavar="URL", help="Datenbank-URL (Standard: STADTRAUM_DATABASE_URL,"
                   " sonst sqlite:///data/stadtraum.db)")
    p.add_argument("--debug", action="store_true", help="bei Fehlern den Traceback zeigen")
    sub = p.add_subparsers(dest="command", required=True, metavar="BEFEHL")

    sub.add_parser("init", help="Datenbankschema anlegen oder migrieren")
    demo = sub.add_parser("demo", help="Demo-Stadt „Beispielstadt“ mit Antworten laden")
    demo.add_argument("--responses", type=int, default=6000,
                      help="Anzahl Antworten (Standard 6000)")

    areas = sub.add_parser("areas", help="Gebiete importieren und auflisten")
    asub = areas.add_subparsers(dest="areas_command", required=True, metavar="AKTION")
    imp = asub.add_parser("import", help="Gebietsgrenzen importieren (GeoJSON, GeoPackage, "
                          "gezipptes Shapefile; beliebiges Koordinatensystem)")
    imp.add_argument("file", type=Path, help="Datei")
    imp.add_argument("--level", required=True, help="Name der Gebietsebene, z. B. Stadtbezirk")
    imp.add_argument("--name-field", help="Feld mit dem Gebietsnamen")
    imp.add_argument("--code-field", help="Feld mit dem Gebietsschlüssel")
    imp.add_argument("--parent-level",
                     help="übergeordnete Ebene; Zuordnung per Feld oder Überlappung")
    imp.add_argument("--parent-field", help="Feld mit dem Schlüssel des übergeordneten Gebiets")
    imp.add_argument("--assume-crs", help="Koordinatensystem, falls die Datei keines angibt, "
                     "z. B. EPSG:25832")
    imp.add_argument("--layer", help="Layer in einem GeoPackage")
    imp.add_argument("--boundary-set", default="Gebietsgliederung", help="Name des Grenzstands")
    lst = asub.add_parser("list", help="Gebiete auflisten")
    lst.add_argument("--level", help="nur diese Ebene")

    streets = sub.add_parser("streets", help="Straßenverzeichnis (Straße → Gebiet) für die "
                             "Gebietswahl in der Befragung")
    ssub = streets.add_subparsers(dest="streets_command", required=True, metavar="AKTION")
    simp = ssub.add_parser("import", help="CSV mit den Spalten strasse;gebiet importieren "
                           "(ersetzt das Verzeichnis der Ebene)")
    simp.add_argument("file", type=Path, help="CSV-Datei")
    simp.add_argument("--level", required=True, help="Gebietsebene der Gebietscodes")
    sfind = ssub.add_parser("search", help="Straße suchen")
    sfind.add_argument("query", help="Straßenname oder Anfang davon")
    sfind.add_argument("--level", required=True, help="Gebietsebene")

    camp = sub.add_parser("campaigns", help="Befragungen anlegen und auflisten")
    csub = camp.add_subparsers(dest="campaigns_command", required=True, metavar="AKTION")
    from stadtraum.cli import campaigns as cli_campaigns
    cli_campaigns.add_parsers(csub, _date)
    from stadtraum.cli import invitations as cli_invitations
    cli_invitations.add_parsers(csub)
    from stadtraum.cli import privacy as cli_privacy
    cli_privacy.add_campaign_parsers(csub)

    cat = sub.add_parser("catalogues", help="Kriterienkataloge auflisten und hinzufügen")
    catsub = cat.add_subparsers(dest="catalogues_command", required=True, metavar="AKTION")
    catsub.add_parser("list", help="Kataloge auflisten")
    catadd = catsub.add_parser("add", help="Katalog aus einer TOML-Datei hinzufügen")
    catadd.add_argument("file", type=Path)

    cmp = sub.add_parser("compare", help="zwei Befragungswellen vergleichen (je Gebiet und "
                         "Kriterium, mit Signifikanzhinweis)")
    cmp.add_argument("--campaign", required=True, action="append",
                     help="zweimal: frühere, dann spätere Befragung (Id oder Name)")
    cmp.add_argument("--criterion", help="nur dieses Kriterium (Id)")
    cmp.add_argument("--format", choices=["csv", "json"], default="csv")

    res = sub.add_parser("results", help="Ergebnisse je Gebiet und Kriterium (mit Geheimhaltung);"
                         " 'results publish': den öffentlichen Stand erneuern")
    res.add_argument("action", nargs="?", choices=["publish"],
                     help="publish: veröffentlichten Stand der Befragung erneuern (Grundlage "
                     "jeder öffentlichen Zahl)")
    res.add_argument("--campaign", required=True, action="append",
                     help="Id oder Name der Befragung (mehrfach möglich)")
    res.add_argument("--level", help="Gebietsebene, z. B. Quartier (nicht bei publish)")
    res.add_argument("--criterion", help="nur dieses Kriterium (Id)")
    res.add_argument("--format", choices=["csv", "json"], default="csv")

    resp = sub.add_parser("responses", help="Papierbögen: Fragebogen drucken, Vorlage zum "
                          "Abtippen, ausgefüllte Vorlage importieren")
    rsub = resp.add_subparsers(dest="responses_command", required=True, metavar="AKTION")
    rimp = rsub.add_parser("import", help="abgetippte Papierbögen (CSV oder XLSX) importieren; "
                           "bei einem Fehler wird nichts importiert")
    rimp.add_argument("file", type=Path, help="ausgefüllte Vorlage (.csv oder .xlsx)")
    rimp.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    rimp.add_argument("--partial", action="store_true",
                      help="fehlerfreie Zeilen trotz fehlerhafter importieren")
    rimp.add_argument("--check", action="store_true", help="nur prüfen, nichts speichern")
    rimp.add_argument("--as", dest="as_user", default="cli", metavar="NAME",
                      help="wer die Bögen abgetippt hat (Standard: cli)")
    rtpl = rsub.add_parser("template", help="Vorlage zum Abtippen (CSV oder XLSX)")
    rtpl.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    rtpl.add_argument("--format", choices=["csv", "xlsx"],
                      help="Dateiformat (Standard: nach der Endung von -o, sonst csv)")
    rtpl.add_argument("-o", "--output", type=Path, required=True, help="Zieldatei")
    rexp = rsub.add_parser("export", help="gültige Antworten als CSV (eine Zeile je Antwort, "
                           "ohne Kommentare), gestreamt")
    rexp.add_argument("--campaign", required=True, action="append",
                      help="Id oder Name der Befragung (mehrfach möglich)")
    rexp.add_argument("-o", "--output", type=Path,
                      help="Zieldatei (Standard: Standardausgabe)")
    rform = rsub.add_parser("form", help="druckbarer Fragebogen (HTML, A4; PDF über "
                            "„Drucken → Als PDF speichern“ im Browser)")
    rform.add_argument("--campaign", required=True, help="Id oder Name der Befragung")
    rform.add_argument("-o", "--output", type=Path, required=True, help="Zieldatei (.html)")

    users = sub.add_parser("users", help="Konten anlegen, auflisten, Rolle ändern, Passwort "
                           "setzen oder zurücksetzen, abmelden, (re)aktivieren")
    usub = users.add_subparsers(dest="users_command", required=True, metavar="AKTION")
    uadd = usub.add_parser("add", help="Konto anlegen (Passwort aus STADTRAUM_PASSWORD, "
                           "sonst zweimal abgefragt)")
    uadd.add_argument("name", help="Anmeldename: 3–50 Zeichen a–z, 0–9, . _ -")
    uadd.add_argument("--role", required=True, choices=["helper", "moderator", "planner",
                                                        "admin"], help="Rolle")
    usub.add_parser("list", help="Konten auflisten")
    upw = usub.add_parser("password", help="neues Passwort setzen (wie bei add); beendet alle "
                          "Anmeldungen des Kontos")
    upw.add_argument("name", help="Anmeldename")
    uend = usub.add_parser("end-sessions", help="Konto überall abmelden (z. B. verlorenes "
                           "Tablet); das Passwort bleibt")
    uend.add_argument("name", help="Anmeldename")
    uoff = usub.add_parser("deactivate", help="Konto deaktivieren (bleibt für das Protokoll "
                           "erhalten) und überall abmelden")
    uoff.add_argument("name", help="Anmeldename")
    ulock = usub.add_parser("unlock", help="Anmeldesperre nach Fehlversuchen für einen Namen "
                            "aufheben (alle Adressen)")
    ulock.add_argument("name", help="Anmeldename")
    from stadtraum.cli import accounts as cli_accounts
    cli_accounts.add_parsers(usub)
    cli_privacy.add_response_parsers(rsub)
    cli_privacy.add_parsers(sub)
    from stadtraum.cli import publication as cli_publication
    cli_publication.add_parsers(sub)
    from stadtraum.cli import reports as cli_reports
    cli_reports.add_parsers(sub)

    bench = sub.add_parser("bench", help="Leistungsmessung mit synthetischen Antworten")
    bench.add_argument("--responses", type=int, default=1_000_000)
    bench.add_argument("--postgres-url", help="zusätzlich auf diesem PostgreSQL messen "
                       "(eine leere Datenbank)")
    bench.add_argument("--output", type=Path, help="Ergebnis zusätzlich als Markdown speichern")
    return p


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from stadtraum.config import load_settings
    from stadtraum.store.engine import make_engine
    from stadtraum.store.migrate import migrate

    url = args.db or load_settings().database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    migrate(engine)
    return engine


def run(args: argparse.Namespace) -> int:
    from stadtraum.cli import commands
    if args.command == "bench":
        from stadtraum.bench.run import run_bench

        print(run_bench(args.responses, postgres_url=args.postgres_url, output=args.output,
                        progress=_progress))
        return 0
    engine = _engine(args)
    from stadtraum.cli import privacy, publication, reports
    for command in (privacy.run, publication.run, reports.run):
        if (out := command(engine, args)) is not None:
            print(out, end="" if out.endswith("\n") else "\n")
            return 0
    if args.command == "init":
        print("Datenbankschema ist aktuell.")
    elif args.command == "demo":
        print(commands.demo(engine, args.responses, _progress("Antworten")))
    elif args.command == "areas" and args.areas_command == "import":
        print(commands.import_areas(engine, args))
    elif args.command == "areas":
        print(commands.list_areas(engine, args.level), end="")
    elif args.command == "streets":
        print(commands.streets(engine, args), end="")
    elif args.command == "campaigns":
        print(commands.campaigns(engine, args), end="")
    elif args.command == "catalogues":
        print(commands.catalogues(engine, args), end="")
    elif args.command == "responses" and args.responses_command == "export":
        print(commands.export_responses(engine, args.campaign, args.output,
                                        _progress("Antworten")), end="", file=sys.stderr)
    elif args.command == "responses":
        print(commands.responses(engine, args), end="")
    elif args.command == "users":
        print(commands.users(engine, args), end="")
    elif args.command == "compare":
        print(commands.compare(engine, args.campaign, args.criterion, args.format), end="")
    elif args.command == "results" and args.action == "publish":
        print(commands.publish(engine, args.campaign))
    elif args.command == "results":
        print(commands.results(engine, args.campaign, args.level, args.criterion, args.format),
              end="")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return run(args)
    except StadtraumError as exc:
        logging.getLogger("stadtraum").info("failed: %s", exc.message_en)
        if args.debug:
            traceback.print_exc()
        print(f"Fehler: {exc.message_de}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        print(f"Fehler: unerwarteter Fehler ({exc.__class__.__name__}: {exc}). "
              "Mit --debug erneut starten für Details.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
