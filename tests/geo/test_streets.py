"""Street directory: reading CSV files (encodings, delimiters, bad lines), replacing a
level's directory only when every line is good, and tolerant search — on both engines."""

from __future__ import annotations

import geopandas as gpd
import pytest
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.config import project_root
from stadtraum.demo.streets import STREETS_FILE, demo_street_rows, demo_streets_csv
from stadtraum.errors import GeoImportError, ValidationError
from stadtraum.geo.streets import (
    import_streets,
    read_street_csv,
    search_streets,
    street_choices,
    street_key,
)
from tests.helpers import count_rows, make_city

GOOD = "strasse;gebiet\nHauptstraße;Q1\nHauptstraße;Q2\nAm Bach;Q3\n"


@pytest.mark.parametrize(("a", "b"), [
    ("Hauptstr.", "Haupt-Straße"), ("HAUPTSTRASSE", "hauptstraße"),
    ("Mühlenweg", "Muehlenweg"), ("Am  Bach", "am bach"), ("Rue de l'Église", "rue de leglise"),
])
def test_street_key_ignores_spelling_variants(a: str, b: str) -> None:
    assert street_key(a) == street_key(b)


def test_street_key_keeps_different_streets_apart() -> None:
    assert street_key("Hauptstraße") != street_key("Hauptweg")


@pytest.mark.parametrize("data", [
    GOOD.encode("utf-8"), GOOD.encode("utf-8-sig"), GOOD.encode("cp1252"),
    GOOD.replace(";", ",").encode("utf-8"), GOOD.replace("\n", "\r\n").encode("utf-8"),
    GOOD.replace("strasse;gebiet", "Straße;Gebiet").encode("utf-8"),
])
def test_reads_encodings_and_delimiters(data: bytes) -> None:
    rows = read_street_csv(data)
    assert [(s, c) for _, s, c in rows] == [("Hauptstraße", "Q1"), ("Hauptstraße", "Q2"),
                                            ("Am Bach", "Q3")]
    assert [line for line, _, _ in rows] == [2, 3, 4]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "leer"),
    (b"name;code\nA;Q1\n", "Spalten"),
    (b"strasse;gebiet\n;Q1\nB;\n", "Zeile 2"),
    (b"strasse;gebiet\n\n", "keine Straßen"),
])
def test_bad_files_are_refused_with_the_line_named(data: bytes, message: str) -> None:
    with pytest.raises((ValidationError, GeoImportError)) as info:
        read_street_csv(data)
    assert message in info.value.message_de


def test_import_replaces_and_search_finds(engine: Engine) -> None:
    city = make_city(engine)
    level = city.quarter_level_id
    assert import_streets(engine, level, read_street_csv(GOOD.encode()), actor=SYSTEM) == 3
    hits = search_streets(engine, level, "hauptstr")
    assert [(h.street, h.area_code, h.area_name) for h in hits] == [
        ("Hauptstraße", "Q1", "Quartier Q1"), ("Hauptstraße", "Q2", "Quartier Q2")]
    assert [h.area_code for h in search_streets(engine, level, "bach")] == ["Q3"]  # contains
    assert search_streets(engine, level, "%") == []  # no wildcard injection
    assert search_streets(engine, level, "  ") == []
    # a second import replaces the directory (no duplicates, no leftovers)
    assert import_streets(engine, level, read_street_csv(
        b"strasse;gebiet\nNeuer Weg;Q1\nNeuer  Weg;Q1\n"), actor=SYSTEM) == 1
    assert [h.street for h in street_choices(engine, level)] == ["Neuer Weg"]
    assert count_rows(engine, "streets") == 1


def test_unknown_area_codes_change_nothing(engine: Engine) -> None:
    city = make_city(engine)
    import_streets(engine, city.quarter_level_id, read_street_csv(GOOD.encode()), actor=SYSTEM)
    with pytest.raises(GeoImportError) as info:
        import_streets(engine, city.quarter_level_id, read_street_csv(
            b"strasse;gebiet\nA;Q1\nB;Q9\nC;D1\n"), actor=SYSTEM)
    assert "Zeile 3" in info.value.message_de and "Zeile 4" in info.value.message_de
    assert "Q9" in info.value.message_de
    assert count_rows(engine, "streets") == 3  # the old directory is intact


def test_committed_demo_streets_match_a_fresh_build() -> None:
    folder = project_root() / "geodata"
    quarters = gpd.read_file(folder / "beispielstadt_quartiere.geojson")
    rows = demo_street_rows(quarters)
    assert (folder / STREETS_FILE).read_text(encoding="utf-8") == demo_streets_csv(rows)
    codes = {c for _, c in rows}
    assert codes == set(quarters["code"].astype(str))
    by_street: dict[str, set[str]] = {}
    for street, code in rows:
        by_street.setdefault(street, set()).add(code)
    assert any(len(c) == 2 for c in by_street.values())  # streets through two quarters


def test_too_long_street_name_is_refused_with_the_line(engine: Engine) -> None:
    city = make_city(engine)
    data = f"strasse;gebiet\nAm Bach;Q1\n{'W' * 201};Q2\n".encode()
    with pytest.raises((ValidationError, GeoImportError)) as info:
        import_streets(engine, city.quarter_level_id, read_street_csv(data), actor=SYSTEM)
    assert "Zeile 3" in info.value.message_de
    assert "zu lang (201 Zeichen, höchstens 200)" in info.value.message_de
    assert count_rows(engine, "streets") == 0


def test_street_name_at_the_limit_is_stored_and_found(engine: Engine) -> None:
    """200 characters fit; the search key ("Str." → "strasse") may be longer than the name
    and must still fit its column on PostgreSQL."""
    city = make_city(engine)
    long_name = "Str." * 50  # 200 characters, key "strasse" * 50 = 350 characters
    plain = "W" * 200
    data = f"strasse;gebiet\n{long_name};Q1\n{plain};Q2\n".encode()
    rows = read_street_csv(data)
    assert import_streets(engine, city.quarter_level_id, rows, actor=SYSTEM) == 2
    hits = search_streets(engine, city.quarter_level_id, long_name)
    assert [(h.street, h.area_code) for h in hits] == [(long_name, "Q1")]
    assert [h.street for h in search_streets(engine, city.quarter_level_id, "w" * 200)] == [
        plain]
