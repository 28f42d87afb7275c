"""What the CLI sub-commands do, as functions that return the text to print."""

from __future__ import annotations

import argparse
import getpass
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import (
    create_user,
    deactivate_user,
    end_sessions,
    list_users,
    normalise_name,
    set_password,
    unlock_sign_in,
)
from stadtraum.admin.boundaries import import_boundaries, import_streets
from stadtraum.admin.catalogues import add_catalogue
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import compute_results, results_frame
from stadtraum.analysis.waves import compare_waves
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.exports.spreadsheet import safe_frame
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.catalogues import all_catalogues
from stadtraum.store.queries import areas_frame, current_level, list_levels


def demo(engine: Engine, n: int, progress: Callable[[int, int], None]) -> str:
    from stadtraum.demo.loader import load_demo

    return load_demo(engine, n_responses=n, progress=progress)


def import_areas(engine: Engine, args: argparse.Namespace) -> str:
    """``areas import``: the use case of the page "Gebiete". Typing the command is the
    explicit statement the page asks for with its CRS check box; --assume-crs names a CRS."""
    report = import_boundaries(
        engine, Path(args.file), level=args.level, code_field=args.code_field,
        name_field=args.name_field, parent_level=args.parent_level,
        parent_field=args.parent_field, assume_crs=args.assume_crs, layer=args.layer,
        boundary_set=args.boundary_set, confirm_crs=True, actor=SYSTEM)
    return report.text()


def list_areas(engine: Engine, level: str | None) -> str:
    out = io.StringIO()
    with Session(engine) as session:
        levels = list_levels(session)
        if level is not None:
            levels = [current_level(session, level)]
        for lv in levels:
            out.write(f"# {lv.name} (Grenzstand „{lv.boundary_set_name}“ v{lv.version}, "
                      f"{lv.n_areas} Gebiete)\n")
            for row in areas_frame(session, lv.id).itertuples():
                out.write(f"{row.code}\t{row.name}\n")
    return out.getvalue()


def streets(engine: Engine, args: argparse.Namespace) -> str:
    """``streets import FILE --level L`` and ``streets search TEXT --level L``."""
    from stadtraum.geo.streets import search_streets

    with Session(engine) as session:
        level = current_level(session, args.level)
    if args.streets_command == "import":
        report = import_streets(engine, Path(args.file), level_id=level.id, actor=SYSTEM)
        return report.headline() + "\n"
    hits = search_streets(engine, level.id, args.query)
    if not hits:
        return "Keine Straße gefunden.\n"
    return "".join(f"{h.street}\t{h.area_code}\t{h.area_name}\n" for h in hits)


def campaigns(engine: Engine, args: argparse.Namespace) -> str:
    if args.campaigns_command in ("codes", "codes-required"):
        from stadtraum.cli import invitations
        return invitations.run(engine, args)
    from stadtraum.cli import campaigns as cli_campaigns
    return cli_campaigns.run(engine, args)


def catalogues(engine: Engine, args: argparse.Namespace) -> str:
    if args.catalogues_command == "add":
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"Katalogdatei {args.file} ist nicht lesbar: {exc}",
                                  f"cannot read catalogue file: {exc}") from exc
        cat = add_catalogue(engine, text, actor=SYSTEM)
        return f"Katalog „{cat.id}“ mit {len(cat.criteria)} Kriterien hinzugefügt.\n"
    with Session(engine) as session:
        cats = all_catalogues(session)
    return "".join(f"{c.id}\t{len(c.criteria)} Kriterien\t{c.name_de}\n" for c in cats.values())


def _new_password() -> str:
    """From STADTRAUM_PASSWORD if set, else asked twice without echo."""
    if "STADTRAUM_PASSWORD" in os.environ:
        return os.environ["STADTRAUM_PASSWORD"]
    try:
        first = getpass.getpass("Passwort: ")
        second = getpass.getpass("Passwort wiederholen: ")
    except EOFError:
        raise ValidationError("Kein Passwort eingegeben.", "no password given",
                              field="password") from None
    if first != second:
        raise ValidationError("Die beiden Passwörter stimmen nicht überein.",
                              "passwords do not match", field="password")
    return first


def users(engine: Engine, args: argparse.Namespace) -> str:
    from stadtraum.cli import accounts

    if args.users_command in accounts.COMMANDS:
        return accounts.run(engine, args)
    if args.users_command == "add":
        uid = create_user(engine, args.name, args.role, _new_password(), actor=SYSTEM)
        return f"Konto {uid} „{normalise_name(args.name)}“ ({args.role}) angelegt.\n"
    if args.users_command == "password":
        set_password(engine, args.name, _new_password(), actor=SYSTEM)
        return (f"Passwort von „{normalise_name(args.name)}“ geändert; alle bisherigen "
                "Anmeldungen sind beendet.\n")
    if args.users_command == "end-sessions":
        end_sessions(engine, args.name, actor=SYSTEM)
        return f"Alle Anmeldungen von „{normalise_name(args.name)}“ sind beendet.\n"
    if args.users_command == "unlock":
        removed = unlock_sign_in(engine, args.name, actor=SYSTEM)
        return (f"Anmeldesperre von „{normalise_name(args.name)}“ aufgehoben "
                f"({removed} Fehlversuch(e) gelöscht).\n")
    if args.users_command == "deactivate":
        deactivate_user(engine, args.name, actor=SYSTEM)
        return f"Konto „{normalise_name(args.name)}“ deaktiviert und überall abgemeldet.\n"
    return "".join(f"{u.id}\t{u.name}\t{u.role}" + ("" if u.active else "\t(deaktiviert)")
                   + "\n" for u in list_users(engine))


def compare(engine: Engine, campaigns: Sequence[str], criterion: str | None, fmt: str) -> str:
    if len(campaigns) != 2:
        raise ValidationError("Bitte genau zwei Befragungen angeben (--campaign A --campaign B).",
                              "compare needs exactly two campaigns", field="campaign")
    with Session(engine) as session:
        a, b = (find_campaign(session, c).id for c in campaigns)
    frame = compare_waves(engine, CubeProvider(engine), a, b).frame
    if criterion is not None:
        frame = frame[frame["criterion_id"] == criterion]
    return _render(frame, fmt)


def _render(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))  # NaN -> null
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    return str(safe_frame(frame).to_csv(index=False))


def publish(engine: Engine, campaigns: Sequence[str]) -> str:
    from stadtraum.publish.service import publish_results

    lines = []
    for name in campaigns:
        with Session(engine) as session:
            campaign = find_campaign(session, name)
            cid, label = campaign.id, campaign.name
        report = publish_results(engine, CubeProvider(engine), cid, actor=SYSTEM)
        lines.append(f"„{label}“ veröffentlicht: {report.shown} von {report.cells} Werten "
                     f"öffentlich, {report.updated} geändert (ein Wert ändert sich erst, wenn "
                     "mindestens min_n weitere Personen ihn bewertet haben).")
    return "\n".join(lines)


def results(engine: Engine, campaigns: Sequence[str], level: str | None, criterion: str | None,
            fmt: str) -> str:
    if level is None:
        raise ValidationError("Bitte eine Gebietsebene angeben (--level).", "--level missing",
                              field="level")
    with Session(engine) as session:
        ids = tuple(find_campaign(session, c).id for c in campaigns)
        current_level(session, level)  # a clear error for an unknown level name
    res = compute_results(engine, CubeProvider(engine), CubeFilter(campaign_ids=ids))
    index = next((i for i, t in enumerate(res.levels) if t.name == level), None)
    if index is None:
        raise NotFoundError(f"Die Befragung ist nicht auf der Ebene „{level}“ auswertbar "
                            f"(möglich: {', '.join(t.name for t in res.levels)}).",
                            f"level {level!r} not available for the campaign")
    frame = results_frame(res, index)
    if criterion is not None:
        if criterion not in {c.id for c in res.criteria}:
            raise ValidationError(f"Unbekanntes Kriterium „{criterion}“.",
                                  f"unknown criterion {criterion!r}", field="criterion")
        frame = frame[frame["criterion_id"] == criterion]
    return _render(frame, fmt)


def write_output(path: Path, data: bytes) -> None:
    """Write a command's output file; a German error when the file cannot be written."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ValidationError(f"Datei {path} kann nicht geschrieben werden: {exc.strerror}.",
                              f"cannot write {path}: {exc}", field="output") from exc


def responses(engine: Engine, args: argparse.Namespace) -> str:
    """``responses import|template|form``: paper forms. A report of bad cells goes to stderr
    (at most 50 lines plus a count), followed by the one-line error."""
    from stadtraum.files.tables import MAX_BYTES
    from stadtraum.paper.form import questionnaire_html
    from stadtraum.paper.importer import import_paper
    from stadtraum.paper.template import csv_template, paper_campaign, xlsx_template

    if args.responses_command == "import":
        path = Path(args.file)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ValidationError("Die Datei ist zu groß (höchstens 10 MB).",
                                      "file too large", field="file")
            data = path.read_bytes()
        except FileNotFoundError:
            raise ValidationError(f"Datei {path} gibt es nicht.", f"{path} not found",
                                  field="file") from None
        except OSError as exc:
            raise ValidationError(f"Datei {path} ist nicht lesbar: {exc.strerror}.",
                                  f"cannot read {path}: {exc}", field="file") from exc
        report = import_paper(engine, data, path.name, args.campaign, entered_by=args.as_user,
                              actor=SYSTEM, partial=args.partial, dry_run=args.check)
        if report.errors:
            print("\n".join(report.error_lines(50)), file=sys.stderr)
        if report.errors and not args.partial:
            raise ValidationError(
                f"{len(report.errors)} Fehler in {report.bad_rows} Zeilen – nichts importiert "
                "(Datei korrigieren oder --partial für die fehlerfreien Zeilen).",
                f"{len(report.errors)} bad cells; nothing imported", field="file")
        return f"{report.summary_de()} ({report.source})\n"
    ctx = paper_campaign(engine, args.campaign)
    out = Path(args.output)
    if args.responses_command == "template":
        fmt = args.format or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
        write_output(out, xlsx_template(ctx) if fmt == "xlsx" else csv_template(ctx.catalogue))
        return f"Vorlage ({fmt.upper()}) für „{ctx.name}“ gespeichert: {out}\n"
    write_output(out, questionnaire_html(ctx.catalogue, ctx.name, ctx.areas).encode("utf-8"))
    return (f"Fragebogen für „{ctx.name}“ gespeichert: {out} (im Browser öffnen, "
            "„Drucken → Als PDF speichern“ für ein PDF)\n")


def export_responses(engine: Engine, campaigns: Sequence[str], output: Path | None,
                     progress: Callable[[int, int], None]) -> str:
    """``responses export``: to a file (written beside it first, renamed when complete, so an
    interrupted export never looks like a finished one) or to standard output."""
    from stadtraum.exports.responses import plan_export, record_export, write_responses_csv

    plan = plan_export(engine, campaigns, actor=SYSTEM)
    provider = CubeProvider(engine)
    if output is None:
        count = write_responses_csv(engine, provider, plan, sys.stdout, actor=SYSTEM,
                                    progress=progress)
        record_export(engine, plan, count, actor=SYSTEM)
        return f"{count} Antworten exportiert.\n"
    partial = output.with_name(output.name + ".teil")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            count = write_responses_csv(engine, provider, plan, out, actor=SYSTEM,
                                        progress=progress)
        partial.replace(output)
        record_export(engine, plan, count, actor=SYSTEM)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(f"Datei {output} lässt sich nicht schreiben: {exc.strerror}.",
                              f"cannot write {output}: {exc}", field="output") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return f"{count} Antworten exportiert: {output}\n"
