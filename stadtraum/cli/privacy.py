"""Data-protection commands: ``responses delete``, ``campaigns purge`` and ``maintenance``
(acting as the system actor, audited under its name).

``maintenance`` is meant to run daily (cron or a systemd timer, see docs/betrieb.md): it
deletes drafts untouched for ``--draft-days`` days and purges every closed campaign past its
retention period after publishing its results.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.errors import ValidationError

__all__ = ["add_campaign_parsers", "add_parsers", "add_response_parsers", "run"]


def add_response_parsers(rsub: argparse._SubParsersAction) -> None:
    """Subcommands of ``stadtraum responses``."""
    rdel = rsub.add_parser("delete", help="eine Antwort auf Wunsch löschen (mit allen "
                           "Fassungen, Bewertungen, Kommentaren, Prioritäten und Entwürfen)")
    rdel.add_argument("number", metavar="NUMMER", help="Antwortnummer: die volle UUID oder "
                      "die Kurzform (z. B. 3F2A-9C1B-04D7); mit --paper-campaign die Bogen-Nr.")
    rdel.add_argument("--paper-campaign", metavar="ID", help="NUMMER ist die Bogen-Nr. eines "
                      "Papierbogens dieser Befragung (Id oder Name)")
    tomb = rsub.add_parser("tombstones", help="die Liste der Löschungen (ohne Inhalte) "
                           "schreiben, zum Aufbewahren neben den Sicherungen")
    tomb.add_argument("-o", "--output", type=Path, required=True, help="JSON-Datei")
    again = rsub.add_parser("reapply-tombstones", help="nach dem Einspielen einer Sicherung: "
                            "die Löschungen aus der Liste erneut ausführen")
    again.add_argument("file", type=Path, help="die mit „responses tombstones“ geschriebene "
                       "Liste")


def add_campaign_parsers(csub: argparse._SubParsersAction) -> None:
    """Subcommands of ``stadtraum campaigns``."""
    purge = csub.add_parser("purge", help="die Rohdaten einer abgeschlossenen Befragung "
                            "löschen (die veröffentlichten Ergebnisse bleiben)")
    purge.add_argument("campaign", metavar="ID", help="Id oder Name der Befragung")
    purge.add_argument("--yes", action="store_true", help="wirklich löschen (ohne: nur "
                       "anzeigen, was gelöscht würde)")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Top-level commands (``maintenance``)."""
    maint = sub.add_parser("maintenance", help="täglicher Datenschutz-Lauf: alte Entwürfe "
                           "löschen, Rohdaten nach Ablauf der Aufbewahrungsfrist löschen")
    maint.add_argument("--draft-days", type=int, default=7, metavar="N",
                       help="Entwürfe löschen, die seit N Tagen nicht gespeichert wurden "
                       "(Standard: 7)")
    maint.add_argument("--tombstones", type=Path, metavar="DATEI", help="danach die Liste der "
                       "Löschungen in diese Datei schreiben (neben die Sicherungen)")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _delete(engine: Engine, args: argparse.Namespace) -> str:
    from stadtraum.privacy.deletion import delete_response
    from stadtraum.store.campaigns import find_campaign

    paper = None
    if args.paper_campaign is not None:
        from sqlalchemy.orm import Session
        with Session(engine) as session:
            paper = find_campaign(session, args.paper_campaign).id
    r = delete_response(engine, args.number, actor=SYSTEM, paper_campaign=paper)
    note = "" if r.storage_scrubbed else (
        " Hinweis: die Datenbankdatei war beschäftigt; die gelöschten Seiten werden beim "
        "nächsten Lauf von „stadtraum maintenance“ überschrieben.")
    return (f"Antwort gelöscht (Befragung {r.campaign_id}): "
            f"{_plural(r.versions, 'Fassung', 'Fassungen')}, "
            f"{_plural(r.ratings, 'Bewertung', 'Bewertungen')}, "
            f"{_plural(r.comments, 'Kommentar', 'Kommentare')}, "
            f"{_plural(r.priorities, 'Priorität', 'Prioritäten')}, "
            f"{_plural(r.drafts, 'Entwurf', 'Entwürfe')}. Veröffentlichte Ergebnisse bleiben "
            f"unverändert.{note}\n")


def _purge(engine: Engine, args: argparse.Namespace) -> str:
    from stadtraum.privacy.purge import preview_purge, purge_campaign

    if not args.yes:
        c = preview_purge(engine, args.campaign, actor=SYSTEM)
        raise ValidationError(
            f"Nichts gelöscht. Die Befragung „{c.name}“ hat "
            f"{_plural(c.responses, 'Antwort', 'Antworten')}, "
            f"{_plural(c.comments, 'Kommentar', 'Kommentare')} und "
            f"{_plural(c.drafts, 'Entwurf', 'Entwürfe')}; das Löschen lässt sich nicht "
            f"rückgängig machen. Zum Löschen: stadtraum campaigns purge {c.campaign_id} --yes",
            "purge needs --yes", field="yes")
    r = purge_campaign(engine, args.campaign, actor=SYSTEM).counts
    return (f"Rohdaten der Befragung „{r.name}“ gelöscht: "
            f"{_plural(r.responses, 'Antwort', 'Antworten')}, "
            f"{_plural(r.comments, 'Kommentar', 'Kommentare')}, "
            f"{_plural(r.drafts, 'Entwurf', 'Entwürfe')}. Es bleiben "
            f"{_plural(r.published_cells, 'veröffentlichter Wert', 'veröffentlichte Werte')}. "
            "Die Befragung kann nicht wieder geöffnet werden.\n")


def _maintenance(engine: Engine, args: argparse.Namespace) -> str:
    from stadtraum.analysis.cube_store import CubeProvider
    from stadtraum.privacy.maintenance import run_maintenance

    report = run_maintenance(engine, CubeProvider(engine), actor=SYSTEM,
                             draft_days=args.draft_days)
    lines = [f"{_plural(report.drafts, 'Entwurf', 'Entwürfe')} gelöscht "
             f"(älter als {args.draft_days} Tage)."]
    lines += [f"Aufbewahrungsfrist abgelaufen: Befragung „{r.name}“ veröffentlicht "
              f"({r.published_cells} Werte) und ihre Rohdaten gelöscht "
              f"({_plural(r.responses, 'Antwort', 'Antworten')})." for r in report.purged]
    if not report.purged:
        lines.append("Keine Befragung hat ihre Aufbewahrungsfrist erreicht.")
    if args.tombstones is not None:
        lines.append(_write_tombstones(engine, args.tombstones))
    return "\n".join(lines) + "\n"


def _write_tombstones(engine: Engine, path: Path) -> str:
    from stadtraum.privacy.deletion_replay import tombstone_list

    listing = tombstone_list(engine, actor=SYSTEM)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(listing, encoding="utf-8")
    tmp.replace(path)  # never a half-written list next to the backups
    return f"Liste der Löschungen geschrieben: {path}"


def _reapply(engine: Engine, path: Path) -> str:
    from stadtraum.privacy.deletion_replay import reapply_tombstones

    try:
        listing = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Die Datei {path} lässt sich nicht lesen.",
                              f"cannot read {path}: {exc}", field="file") from None
    r = reapply_tombstones(engine, listing, actor=SYSTEM)
    return (f"Löschungen erneut ausgeführt: {_plural(r.responses, 'Antwort', 'Antworten')} "
            f"gelöscht, {r.guards} Sperren gegen erneutes Senden gespeichert, "
            f"{_plural(r.campaigns, 'Befragung', 'Befragungen')} erneut bereinigt.\n")


def run(engine: Engine, args: argparse.Namespace) -> str | None:
    """The command's output, or None when ``args`` is not one of these commands."""
    if args.command == "responses" and args.responses_command == "delete":
        return _delete(engine, args)
    if args.command == "responses" and args.responses_command == "tombstones":
        return _write_tombstones(engine, args.output) + "\n"
    if args.command == "responses" and args.responses_command == "reapply-tombstones":
        return _reapply(engine, args.file)
    if args.command == "campaigns" and args.campaigns_command == "purge":
        return _purge(engine, args)
    if args.command == "maintenance":
        return _maintenance(engine, args)
    return None
