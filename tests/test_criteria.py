"""The criteria catalogues: the shipped ones load, and bad TOML gives German messages."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from stadtraum.criteria import (
    DEFAULT_CATALOGUE,
    builtin_catalogues,
    get_catalogue,
    load_catalogue_file,
    parse_catalogue,
)
from stadtraum.errors import ValidationError

# DESIGN §3.1, in this order; the ids key stored ratings and must never change.
STABLE_IDS = (
    "moving_around", "public_transport", "traffic_parking", "streets_spaces", "natural_space",
    "play_recreation", "facilities_services", "work_economy", "housing", "social_interaction",
    "identity_belonging", "feeling_safe", "care_maintenance", "influence_control",
)
GERMAN_LABELS = {
    "moving_around": "Zu Fuß und mit dem Rad", "public_transport": "Bus und Bahn",
    "housing": "Wohnen", "feeling_safe": "Sicherheitsgefühl",
    "influence_control": "Mitgestaltung und Einfluss",
}


def test_shipped_catalogues_are_the_two_known_ones() -> None:
    cats = builtin_catalogues()
    assert set(cats) == {"stadtraummonitor14", "stadtraummonitor14_klima"}
    assert DEFAULT_CATALOGUE == "stadtraummonitor14"


def test_default_catalogue_has_the_14_stable_ids_in_order() -> None:
    cat = get_catalogue()
    assert cat.id == DEFAULT_CATALOGUE
    assert cat.ids == STABLE_IDS
    for cid, label in GERMAN_LABELS.items():
        assert cat.get(cid).label("de") == label


def test_climate_catalogue_has_16_criteria_the_14_first() -> None:
    cat = get_catalogue("stadtraummonitor14_klima")
    assert len(cat.criteria) == 16
    assert cat.ids[:14] == STABLE_IDS
    assert set(cat.ids[14:]) == {"heat_cooling", "storm_protection"}


@pytest.mark.parametrize("catalogue_id", ["stadtraummonitor14", "stadtraummonitor14_klima"])
def test_every_criterion_is_complete(catalogue_id: str) -> None:
    cat = get_catalogue(catalogue_id)
    for c in cat.criteria:
        assert 3 <= len(c.prompts("de")) <= 5, c.id
        assert 3 <= len(c.prompts("en")) <= 5, c.id
        for text in (c.label_de, c.label_en, c.cluster_de, c.question_de, c.question_en,
                     c.plain_de, *c.prompts_de, *c.prompts_en):
            assert text.strip() == text and text, c.id
        assert c.question("de", plain=True) == c.plain_de
        assert c.question("en") == c.question_en
    assert cat.name("de") != cat.name("en")


def test_unknown_catalogue_and_criterion_give_german_errors() -> None:
    with pytest.raises(ValidationError) as exc:
        get_catalogue("gibt_es_nicht")
    assert "Unbekannter Katalog" in exc.value.message_de
    with pytest.raises(ValidationError) as exc:
        get_catalogue().index("parking_lots")
    assert exc.value.field == "parking_lots"
    assert "Unbekanntes Kriterium" in exc.value.message_de


# ------------------------------------------------------------------------ TOML validation


def _criterion(cid: str) -> dict[str, Any]:
    return {
        "id": cid, "label_de": "Etwas", "label_en": "Something", "cluster_de": "Gruppe",
        "cluster_en": "Group", "question_de": "Wie ist es?", "question_en": "How is it?",
        "plain_de": "Ist es gut?", "prompts_de": ["a", "b", "c"], "prompts_en": ["a", "b", "c"],
    }


def _doc() -> dict[str, Any]:
    return {"id": "mein_katalog", "name_de": "Mein Katalog", "name_en": "My catalogue",
            "criteria": [_criterion("first_one"), _criterion("second_one")]}


def test_minimal_document_parses() -> None:
    cat = parse_catalogue(_doc())
    assert cat.ids == ("first_one", "second_one")
    assert cat.get("second_one").prompts("de") == ("a", "b", "c")


def _broken(change: str) -> dict[str, Any]:
    doc = copy.deepcopy(_doc())
    crit = doc["criteria"][1]
    if change == "duplicate id":
        crit["id"] = "first_one"
    elif change == "missing field":
        del crit["question_de"]
    elif change == "empty field":
        crit["label_de"] = "   "
    elif change == "bad criterion id":
        crit["id"] = "Zweites-Kriterium"
    elif change == "bad catalogue id":
        doc["id"] = "1katalog"
    elif change == "two prompts":
        crit["prompts_de"] = ["a", "b"]
    elif change == "six prompts":
        crit["prompts_en"] = ["a", "b", "c", "d", "e", "f"]
    elif change == "no criteria":
        doc["criteria"] = []
    elif change == "missing name":
        del doc["name_de"]
    else:  # pragma: no cover
        raise AssertionError(change)
    return doc


@pytest.mark.parametrize(
    ("change", "field", "german"),
    [
        ("duplicate id", "id", "Doppelte Kriteriums-Ids"),
        ("missing field", "question_de", "fehlt oder ist leer"),
        ("empty field", "label_de", "fehlt oder ist leer"),
        ("bad criterion id", "id", "ist ungültig"),
        ("bad catalogue id", "id", "Katalog-Id"),
        ("two prompts", "prompts_de", "3 bis 5 Denkanstöße"),
        ("six prompts", "prompts_en", "3 bis 5 Denkanstöße"),
        ("no criteria", "criteria", "keine Kriterien"),
        ("missing name", "name_de", "fehlt oder ist leer"),
    ],
)
def test_bad_catalogue_is_rejected_in_german(change: str, field: str, german: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_catalogue(_broken(change))
    assert exc.value.field == field
    assert german in exc.value.message_de
    assert exc.value.message_de != exc.value.message_en


def test_missing_field_message_names_the_criterion_position() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_catalogue(_broken("missing field"))
    assert "Kriterium 2" in exc.value.message_de


def test_duplicate_message_names_the_id() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_catalogue(_broken("duplicate id"))
    assert "first_one" in exc.value.message_de


def test_catalogue_file_round_trip_and_invalid_toml(tmp_path: Path) -> None:
    shipped = Path(__file__).parents[1] / "stadtraum" / "catalogues" / "stadtraummonitor14.toml"
    assert load_catalogue_file(shipped).ids == STABLE_IDS
    assert parse_catalogue(tomllib.loads(shipped.read_text(encoding="utf-8"))).ids == STABLE_IDS
    bad = tmp_path / "kaputt.toml"
    bad.write_text('id = "x\n[[criteria]\n', encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        load_catalogue_file(bad)
    assert "kein gültiges TOML" in exc.value.message_de
    assert "kaputt.toml" in exc.value.message_de
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('id = "größe"\n'.encode("latin-1"))
    with pytest.raises(ValidationError) as exc:
        load_catalogue_file(latin1)
    assert "kein gültiges TOML" in exc.value.message_de
