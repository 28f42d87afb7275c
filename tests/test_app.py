"""AppTest smoke test: the app starts on an empty SQLite database, loads the demo city on
first start and shows results; every page runs without an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "app.db"
    monkeypatch.setenv("STADTRAUM_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.chdir(ROOT)
    return db


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


def test_first_start_loads_demo_and_shows_results(app_env: Path) -> None:
    at = _app()
    assert app_env.exists()
    assert any("Beispielstadt" in i.value for i in at.info), "demo banner missing"
    table = at.dataframe[0].value
    assert len(table) == 30 and "Sicherheitsgefühl" in table.columns
    shown = table["Sicherheitsgefühl"].dropna()
    assert shown.between(1, 7).all() and len(shown) < 30  # some quarters suppressed


def test_language_switch_and_level(app_env: Path) -> None:
    at = _app()
    at.radio(key="lang").set_value("English").run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert "Feeling safe" in at.dataframe[0].value.columns
    at.radio(key="overview_level").set_value(1).run()
    assert len(at.dataframe[0].value) == 6
