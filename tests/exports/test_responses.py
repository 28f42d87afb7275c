"""Export of valid responses as CSV, on SQLite and PostgreSQL: exact rows for a hand-built
city, formula safety, chunk boundaries, and every row of the demo city checked against the
stored ratings (an independent SQL oracle)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.criteria import get_catalogue
from stadtraum.demo.loader import load_demo
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.exports.responses import (
    PRIORITY_COLUMNS,
    csv_field,
    plan_export,
    write_responses_csv,
)
from stadtraum.store.db import Area, Campaign
from stadtraum.store.engine import write_engine
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS
from tests.helpers import add_campaign, make_city, make_payload, run_cli, set_status

IDS = get_catalogue().ids


def _export(engine: Engine, campaigns: list[str | int], chunk: int = 50_000,
            provider: CubeProvider | None = None) -> list[dict[str, str]]:
    buf = io.StringIO()
    plan = plan_export(engine, campaigns, actor=SYSTEM)
    count = write_responses_csv(engine, provider or CubeProvider(engine), plan, buf,
                                chunk=chunk, actor=SYSTEM)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == count
    return rows


def test_exact_rows_of_a_small_city(engine: Engine) -> None:
    city = make_city(engine)
    first = make_payload(city.campaign_id, "Q1", {"moving_around": 2, "housing": 7},
                         age_band="30_44", gender="diverse", relation="both",
                         priorities=("housing", "feeling_safe"), entered_by="erika",
                         comments=[("housing", "better", "Herr Meier von nebenan")])
    second = make_payload(city.campaign_id, "Q3", {"feeling_safe": 5}, mode="paper")
    voided = make_payload(city.campaign_id, "Q2", {"housing": 1})
    flagged = make_payload(city.campaign_id, "Q2", {"housing": 1}, mode="online")
    other = add_campaign(engine, city, "Andere Befragung")
    elsewhere = make_payload(other, "Q1", {"housing": 3})
    for p in (first, second, voided, flagged, elsewhere):
        submit_response(engine, p)
    set_status(engine, voided.response_id, "voided")
    set_status(engine, flagged.response_id, "flagged")
    rows = _export(engine, [str(city.campaign_id)])
    assert [r["antwort_id"] for r in rows] == [first.response_id, second.response_id]
    one, two = rows
    assert list(one)[:9] == ["antwort_id", "befragung", "gebiet_code", "gebiet",
                             "erhebungsart", "datum", "altersgruppe", "geschlecht", "bezug"]
    assert list(one)[9:23] == list(IDS) and list(one)[23:] == list(PRIORITY_COLUMNS)
    assert {k: one[k] for k in ("befragung", "gebiet_code", "gebiet", "erhebungsart", "datum",
                                "altersgruppe", "geschlecht", "bezug")} == {
        "befragung": "Befragung 2025", "gebiet_code": "Q1", "gebiet": "Quartier Q1",
        "erhebungsart": "Straßenbefragung", "datum": "2025-05-06", "altersgruppe": "30–44",
        "geschlecht": "divers", "bezug": "beides"}
    assert one["moving_around"] == "2" and one["housing"] == "7"
    assert one["feeling_safe"] == "" and one["public_transport"] == ""  # keine Angabe
    assert (one["prioritaet_1"], one["prioritaet_2"], one["prioritaet_3"]) == (
        "housing", "feeling_safe", "")
    assert (two["erhebungsart"], two["gebiet_code"], two["altersgruppe"]) == (
        "Papierbogen", "Q3", "")
    # no helper names, no comments, no coordinates
    exported = ",".join(",".join(r.values()) for r in rows)
    assert "erika" not in exported and "Meier" not in exported
    assert not {"entered_by", "lon", "lat", "kommentar"} & set(one)
    # both campaigns together, named by their names
    both = _export(engine, ["Befragung 2025", "Andere Befragung"])
    assert [r["befragung"] for r in both] == ["Befragung 2025"] * 2 + ["Andere Befragung"]


def test_a_correction_replaces_its_original(engine: Engine) -> None:
    city = make_city(engine)
    original = make_payload(city.campaign_id, "Q1", {"housing": 2})
    submit_response(engine, original)
    fixed = make_payload(city.campaign_id, "Q1", {"housing": 6}, replaces=original.response_id)
    submit_response(engine, fixed)
    rows = _export(engine, [city.campaign_id])
    assert [(r["antwort_id"], r["housing"]) for r in rows] == [(fixed.response_id, "6")]


def test_names_from_files_cannot_become_formulas(engine: Engine) -> None:
    city = make_city(engine)
    submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 4}))
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(Area).where(Area.id == city.area_id("Q1"))
                        .values(name='=HYPERLINK("http://x","klick")'))
        session.execute(update(Campaign).where(Campaign.id == city.campaign_id)
                        .values(name="@SUM(A1)"))
    [row] = _export(engine, [city.campaign_id])
    assert row["gebiet"] == "'=HYPERLINK(\"http://x\",\"klick\")"
    assert row["befragung"] == "'@SUM(A1)"


def test_responses_stored_after_the_engine_loaded_are_included(engine: Engine) -> None:
    city = make_city(engine)
    provider = CubeProvider(engine)
    submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 4}))
    assert len(_export(engine, [city.campaign_id], provider=provider)) == 1
    late = make_payload(city.campaign_id, "Q2", {"housing": 5})
    submit_response(engine, late)
    rows = _export(engine, [city.campaign_id], provider=provider)
    assert [r["antwort_id"] for r in rows][-1] == late.response_id


def test_unknown_or_missing_campaign_is_a_clear_error(engine: Engine) -> None:
    make_city(engine)
    with pytest.raises(NotFoundError):
        plan_export(engine, ["gibt es nicht"], actor=SYSTEM)
    with pytest.raises(ValidationError):
        plan_export(engine, [], actor=SYSTEM)


def test_demo_city_every_row_matches_the_stored_ratings(engine: Engine) -> None:
    """Independent oracle: the valid responses and their ratings read straight from the
    tables; the export in chunks of 7 (many chunk borders) must reproduce them exactly."""
    load_demo(engine, n_responses=800)
    with engine.connect() as conn:
        valid = conn.execute(text(
            "SELECT id, uuid FROM responses WHERE status = 'valid' ORDER BY id")).all()
        ratings: dict[str, dict[str, str]] = {}
        for uuid, crit, score in conn.execute(text(
                "SELECT p.uuid, r.criterion_id, r.score FROM ratings r JOIN responses p "
                "ON p.id = r.response_id WHERE p.status = 'valid'")):
            ratings.setdefault(uuid, {})[crit] = str(score)
        prios: dict[str, list[str]] = {}
        for uuid, crit in conn.execute(text(
                "SELECT p.uuid, q.criterion_id FROM priorities q JOIN responses p "
                "ON p.id = q.response_id WHERE p.status = 'valid' ORDER BY p.id, q.rank")):
            prios.setdefault(uuid, []).append(crit)
    rows = _export(engine, ["1", "2"], chunk=7)
    assert [r["antwort_id"] for r in rows] == [u for _, u in valid]
    for row in rows:
        uid = row["antwort_id"]
        assert {c: row[c] for c in IDS if row[c]} == ratings.get(uid, {})
        assert [row[c] for c in PRIORITY_COLUMNS if row[c]] == prios.get(uid, [])


def test_cli_export_to_a_file_and_to_stdout(capsys: pytest.CaptureFixture[str], db: str,
                                            tmp_path: Path) -> None:
    assert run_cli(capsys, "--db", db, "demo", "--responses", "300")[0] == 0
    target = tmp_path / "antworten.csv"
    code, out, err = run_cli(capsys, "--db", db, "responses", "export", "--campaign", "1",
                             "--campaign", "2", "-o", str(target))
    assert code == 0 and out == ""
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert f"{len(rows)} Antworten exportiert" in err
    assert not list(tmp_path.glob("*.teil"))  # the partial file was renamed
    code, out, err = run_cli(capsys, "--db", db, "responses", "export", "--campaign", "2")
    assert code == 0
    streamed = list(csv.DictReader(io.StringIO(out)))
    assert streamed == [r for r in rows if r["befragung"] == streamed[0]["befragung"]]
    assert 0 < len(streamed) < len(rows)


def test_cli_export_errors_are_one_german_line(capsys: pytest.CaptureFixture[str], db: str,
                                               tmp_path: Path) -> None:
    assert run_cli(capsys, "--db", db, "demo", "--responses", "100")[0] == 0
    code, out, err = run_cli(capsys, "--db", db, "responses", "export", "--campaign", "99")
    assert code == 1 and out == "" and err.startswith("Fehler: ")
    assert len(err.strip().splitlines()) == 1
    missing = tmp_path / "fehlt" / "antworten.csv"
    code, _, err = run_cli(capsys, "--db", db, "responses", "export", "--campaign", "1",
                           "-o", str(missing))
    assert code == 1 and "lässt sich nicht schreiben" in err and not missing.exists()
    with pytest.raises(SystemExit) as exc:
        run_cli(capsys, "--db", db, "responses", "export")
    assert exc.value.code == 2


def test_separators_quotes_and_line_breaks_in_names_round_trip(engine: Engine) -> None:
    """Only names and codes from files are user text; they are quoted as CSV needs. Every
    other field comes from fixed vocabularies, which hold no separator (checked here)."""
    city = make_city(engine)
    submit_response(engine, make_payload(city.campaign_id, "Q1", {"housing": 4}))
    odd = 'Altstadt, "Nord"\nneu'
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(Area).where(Area.id == city.area_id("Q1"))
                        .values(name=odd, code="Q,1"))
    [row] = _export(engine, [city.campaign_id])
    assert (row["gebiet"], row["gebiet_code"], row["housing"]) == (odd, "Q,1", "4")
    for vocab in (MODES, AGE_BANDS, GENDERS, RELATIONS):
        assert all(csv_field(label) == label for label in vocab.labels_de), vocab.name
