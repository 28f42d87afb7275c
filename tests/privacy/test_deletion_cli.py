"""``stadtraum responses delete NUMBER`` on a real SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from stadtraum.collect.submit import submit_response
from stadtraum.paper.rows import form_uuid
from stadtraum.privacy.response_number import short_number
from stadtraum.store.engine import make_engine
from stadtraum.store.migrate import migrate
from tests.helpers import count_rows, make_payload
from tests.helpers import run_cli as run
from tests.privacy.test_deletion_fixture import CRIT, Planted, plant


@pytest.fixture
def planted(db: str) -> Planted:
    engine = make_engine(db)
    migrate(engine)
    p = plant(engine)
    submit_response(engine, make_payload(p.city.campaign_id, "Q2", {CRIT: 3}, mode="paper",
                                         response_id=form_uuid(p.city.campaign_id, "42")))
    engine.dispose()
    return p


def test_delete_by_short_number_prints_the_counts(capsys: pytest.CaptureFixture[str], db: str,
                                                  planted: Planted) -> None:
    code, out, err = run(capsys, "--db", db, "responses", "delete",
                         short_number(planted.target).lower())
    assert code == 0, err
    assert out.startswith("Antwort gelöscht") and "2 Fassungen" in out
    assert "4 Bewertungen" in out and "2 Kommentare" in out and "1 Priorität," in out
    engine = make_engine(db)
    assert count_rows(engine, "responses") == 6
    with engine.connect() as conn:
        actor = conn.execute(text("SELECT actor FROM audit_log WHERE action = "
                                  "'delete_response'")).scalar_one()
    assert actor == "kommandozeile"
    engine.dispose()
    code, out, err = run(capsys, "--db", db, "responses", "delete", planted.target)
    assert code == 1 and "keine gespeicherte Antwort" in err and out == ""


def test_delete_a_paper_form_by_its_number(capsys: pytest.CaptureFixture[str], db: str,
                                           planted: Planted) -> None:
    code, out, err = run(capsys, "--db", db, "responses", "delete", "42", "--paper-campaign",
                         str(planted.city.campaign_id))
    assert code == 0, err
    assert "1 Fassung," in out
    assert count_rows(make_engine(db), "responses", "mode = 'paper'") == 0


@pytest.mark.parametrize(("typed", "words"), [
    ("", "Bitte eine Antwortnummer eingeben"),
    ("12345", "keine Antwortnummer"),
    ("ABCD-ABCD-ABCD", "keine gespeicherte Antwort"),
])
def test_bad_numbers_are_refused_in_german(capsys: pytest.CaptureFixture[str], db: str,
                                           planted: Planted, typed: str, words: str) -> None:
    code, out, err = run(capsys, "--db", db, "responses", "delete", typed)
    assert code == 1 and out == "" and err.startswith("Fehler: ") and words in err
    assert count_rows(make_engine(db), "responses") == 8
