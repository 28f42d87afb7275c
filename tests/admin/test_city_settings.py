"""The city-settings use cases (issue 11, item 8) on SQLite and PostgreSQL: each value comes
from the database before the environment before the default, with its source; every bad input
is refused with its German message and nothing stored; a change or reset made meanwhile is a
conflict; a reset deletes the row; the audit row is written in the same transaction and never
holds the logo's bytes."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.admin import city_settings as cs
from stadtraum.admin.city_settings import (
    StaleSettingError,
    city_profile,
    reset_city_setting,
    resolve_city_settings,
    update_city_settings,
)
from stadtraum.errors import PermissionDeniedError, ValidationError
from stadtraum.store.db import AuditEntry
from stadtraum.store.db_city import CitySetting

ADA, BEA = Actor("ada", "admin"), Actor("bea", "admin")
NO_ENV: dict[str, str] = {}


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (31, 95, 153)).save(buffer, format="PNG")
    return buffer.getvalue()


def _rows(engine: Engine) -> dict[str, tuple[str | None, int, str | None]]:
    with Session(engine) as session:
        return {r.key: (r.value, r.version, r.updated_by)
                for r in session.scalars(select(CitySetting))}


def _audit(engine: Engine) -> list[tuple[str | None, str, str, str | None, dict[str, object]]]:
    with Session(engine) as session:
        return [(e.actor, e.action, e.object_type, e.object_id, json.loads(e.detail or "{}"))
                for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _resolved(engine: Engine, env: dict[str, str]) -> dict[str, cs.ResolvedSetting]:
    return {r.key: r for r in resolve_city_settings(engine, actor=ADA, env=env)}


def test_the_value_comes_from_the_database_then_the_environment_then_the_default(
        engine: Engine) -> None:
    env = {"STADTRAUM_CITY_NAME": "Stadt aus der Umgebung",
           "STADTRAUM_PUBLIC_BASE_URL": "https://Umgebung.Example.DE/",
           "STADTRAUM_DEFAULT_MIN_N": "8"}
    got = _resolved(engine, NO_ENV)
    assert (got["city_name"].value, got["city_name"].source) == ("", "default")
    assert (got["main_colour"].value, got["default_min_n"].value) == ("#1f5f99", "5")
    got = _resolved(engine, env)
    assert (got["city_name"].value, got["city_name"].source, got["city_name"].env) == \
        ("Stadt aus der Umgebung", "env", "STADTRAUM_CITY_NAME")
    assert got["public_base_url"].value == "https://umgebung.example.de"  # normalised
    assert got["default_min_n"].value == "8"
    update_city_settings(engine, {"city_name": "Bochum", "default_min_n": "7"},
                         {"city_name": None, "default_min_n": None}, actor=ADA)
    got = _resolved(engine, env)
    assert (got["city_name"].value, got["city_name"].source, got["city_name"].version,
            got["city_name"].updated_by) == ("Bochum", "db", 1, "ada")
    assert got["city_name"].updated_at is not None
    assert (got["public_base_url"].source, got["imprint"].source) == ("env", "default")
    profile = city_profile(engine, env)
    assert (profile.city_name, profile.default_min_n, profile.public_base_url) == \
        ("Bochum", 7, "https://umgebung.example.de")


def test_a_bad_environment_value_is_ignored_with_its_reason(engine: Engine) -> None:
    got = _resolved(engine, {"STADTRAUM_MAIN_COLOR": "#ffff00",
                             "STADTRAUM_PUBLIC_BASE_URL": "http://stadt.de",
                             "STADTRAUM_DEFAULT_MIN_N": "2",
                             "STADTRAUM_LOGO_FILE": "does/not/exist.png"})
    assert (got["main_colour"].value, got["main_colour"].source) == ("#1f5f99", "default")
    assert "STADTRAUM_MAIN_COLOR: Hauptfarbe: Der Kontrast von #ffff00 zu Weiß ist 1,07:1" in \
        str(got["main_colour"].env_problem)
    assert "https://" in str(got["public_base_url"].env_problem)
    assert got["default_min_n"].value == "5" and got["logo"].logo is None
    assert "Datei nicht lesbar" in str(got["logo"].env_problem)


BAD = [
    ("main_colour", "#777777", "Hauptfarbe: Der Kontrast von #777777 zu Weiß ist 4,47:1"),
    ("main_colour", "blau", "Hauptfarbe: „blau“ ist keine Farbe"),
    ("public_base_url", "http://stadt.de", "Öffentliche Adresse (Links und QR-Codes): Bitte "
     "https:// verwenden"),
    ("public_base_url", "https://stadt.de/../admin", "Pfad der Adresse ist ungültig"),
    ("public_base_url", "https://x@stadt.de", "enthält „@“"),
    ("city_name", "B" * 81, "Name der Stadt: Der Text ist zu lang (81 Zeichen, höchstens 80)"),
    ("city_name", "Bo\nchum", "Name der Stadt: Bitte in einer Zeile angeben"),
    ("privacy_contact", "datenschutz@stadt.de\x00", "Steuerzeichen (U+0000)"),
    ("privacy_notice", "x" * 4001, "Datenschutzhinweis (Bürger*innen und Erfasser*innen): Der "
     "Text ist zu lang (4001 Zeichen, höchstens 4000)"),
    ("imprint", "x" * 4001, "Impressum: Der Text ist zu lang"),
    ("accessibility", "x" * 8001, "Erklärung zur Barrierefreiheit (BITV 2.0): Der Text ist zu "
     "lang (8001 Zeichen, höchstens 8000)"),
    ("default_min_n", "2", "Mindestzahl je Zelle für neue Befragungen: Bitte eine ganze Zahl "
     "von 3 bis 100 angeben (nicht „2“)"),
    ("default_min_n", "101", "von 3 bis 100"),
    ("logo", b"<svg onload='alert(1)'/>", "Logo: Die Datei ist kein PNG- oder JPEG-Bild (SVG"),
    ("logo", png()[:70], "Logo: Das Bild ist beschädigt oder unvollständig"),
    ("logo", b"\x89PNG\r\n\x1a\n" + bytes(1024 * 1024), "Logo: Die Datei ist zu groß"),
    ("logo", "kein bild", "Logo: Bitte eine Bilddatei hochladen"),
]


@pytest.mark.parametrize(("key", "value", "message"), BAD, ids=[f"{k}-{i}" for i, (k, _, _)
                                                               in enumerate(BAD)])
def test_bad_input_is_refused_in_german_and_nothing_is_stored(
        engine: Engine, key: str, value: str | bytes, message: str) -> None:
    update_city_settings(engine, {"city_name": "Bochum"}, {"city_name": None}, actor=ADA)
    before = (_rows(engine), _audit(engine))
    with pytest.raises(ValidationError) as err:  # with a good change beside it: not stored
        update_city_settings(engine, {"imprint": "Stadt Bochum", key: value},
                             {"imprint": None, key: 1 if key == "city_name" else None},
                             actor=ADA)
    assert message in err.value.message_de, err.value.message_de
    assert err.value.field == key
    assert (_rows(engine), _audit(engine)) == before


def test_a_change_made_meanwhile_is_a_conflict_and_not_overwritten(engine: Engine) -> None:
    update_city_settings(engine, {"city_name": "Bochum"}, {"city_name": None}, actor=ADA)
    update_city_settings(engine, {"city_name": "Herne"}, {"city_name": 1}, actor=BEA)
    with pytest.raises(StaleSettingError) as err:  # ada's form still showed version 1
        update_city_settings(engine, {"city_name": "Witten", "imprint": "Neu"},
                             {"city_name": 1, "imprint": None}, actor=ADA)
    assert "Name der Stadt: Die Einstellung wurde inzwischen von jemand anderem geändert" in \
        err.value.message_de
    assert _rows(engine) == {"city_name": ("Herne", 2, "bea")}  # the imprint not stored either
    with pytest.raises(StaleSettingError):  # a row created meanwhile: the form showed none
        update_city_settings(engine, {"city_name": "Witten"}, {"city_name": None}, actor=ADA)
    with pytest.raises(StaleSettingError):  # a reset with the old version
        reset_city_setting(engine, "city_name", 1, actor=ADA)
    reset_city_setting(engine, "city_name", 2, actor=BEA)
    with pytest.raises(StaleSettingError):  # a change of a row reset meanwhile
        update_city_settings(engine, {"city_name": "Witten"}, {"city_name": 2}, actor=ADA)
    assert _rows(engine) == {}


def test_reset_deletes_the_row_and_the_environment_applies_again(engine: Engine) -> None:
    env = {"STADTRAUM_MAIN_COLOR": "#000000"}
    update_city_settings(engine, {"main_colour": "#767676"}, {"main_colour": None}, actor=ADA)
    assert _resolved(engine, env)["main_colour"].value == "#767676"
    assert reset_city_setting(engine, "main_colour", 1, actor=ADA) is True
    assert _rows(engine) == {}
    got = _resolved(engine, env)["main_colour"]
    assert (got.value, got.source, got.version) == ("#000000", "env", None)
    assert reset_city_setting(engine, "main_colour", None, actor=ADA) is False  # no row
    assert _audit(engine)[-1] == ("ada", "reset", "city_settings", "main_colour",
                                  {"setting": "main_colour", "version": 1})


def test_each_change_is_audited_naming_the_setting_without_the_logo_bytes(
        engine: Engine) -> None:
    logo = png()
    changed = update_city_settings(
        engine, {"logo": logo, "main_colour": "#1F5F99", "privacy_notice": "Text " * 50,
                 "public_base_url": "https://Mitmachen.Bochum.de/"},
        {}, actor=ADA)
    assert changed == ["logo", "main_colour", "privacy_notice", "public_base_url"]
    entries = {e[3]: e for e in _audit(engine)}
    assert entries["logo"][:3] == ("ada", "set", "city_settings")
    assert entries["logo"][4]["format"] == "PNG" and entries["logo"][4]["bytes"] == len(logo)
    assert "value" not in entries["logo"][4]
    with Session(engine) as session:
        details = " ".join(str(e.detail) for e in session.scalars(select(AuditEntry)))
    assert "iVBOR" not in details and "PNG\\r" not in details  # no bytes, no base64
    assert entries["privacy_notice"][4] == {"setting": "privacy_notice", "version": 1,
                                            "length": 249}
    assert entries["public_base_url"][4]["value"] == "https://mitmachen.bochum.de"
    assert city_profile(engine, NO_ENV).logo == logo
    # the same values again change nothing and write no audit row
    count = len(_audit(engine))
    assert update_city_settings(engine, {"main_colour": "#1f5f99"}, {"main_colour": 1},
                                actor=ADA) == []
    assert len(_audit(engine)) == count


def test_the_audit_row_is_in_the_same_transaction(engine: Engine,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    real_audit = cs.audit

    def audit_then_fail(*args: object, **kwargs: object) -> None:
        real_audit(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(cs, "audit", audit_then_fail)
    with pytest.raises(RuntimeError):
        update_city_settings(engine, {"city_name": "Bochum"}, {}, actor=ADA)
    assert _rows(engine) == {} and _audit(engine) == []  # the change went with the audit row
    monkeypatch.setattr(cs, "audit", real_audit)
    update_city_settings(engine, {"city_name": "Bochum"}, {}, actor=ADA)
    monkeypatch.setattr(cs, "audit", audit_then_fail)
    with pytest.raises(RuntimeError):
        reset_city_setting(engine, "city_name", 1, actor=ADA)
    assert _rows(engine) == {"city_name": ("Bochum", 1, "ada")} and len(_audit(engine)) == 1


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_only_admins_read_sources_or_change_settings(engine: Engine, role: str) -> None:
    actor = Actor("x", role)
    with pytest.raises(PermissionDeniedError):
        resolve_city_settings(engine, actor=actor)
    with pytest.raises(PermissionDeniedError):
        update_city_settings(engine, {"city_name": "X"}, {}, actor=actor)
    with pytest.raises(PermissionDeniedError):
        reset_city_setting(engine, "city_name", None, actor=actor)
    assert _rows(engine) == {} and city_profile(engine, NO_ENV).city_name == ""


def test_two_admins_adding_the_same_setting_at_once_give_one_conflict(engine: Engine) -> None:
    """The second admin's insert waits for the first one's transaction (SQLite: the write
    lock; PostgreSQL: the primary key) and is then refused, not silently merged."""
    import threading
    import time

    from stadtraum.store.db_base import utcnow
    from stadtraum.store.engine import write_engine

    outcome: list[BaseException | list[str]] = []

    def second() -> None:
        try:
            outcome.append(update_city_settings(engine, {"city_name": "Herne"},
                                                {"city_name": None}, actor=BEA))
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    with Session(write_engine(engine)) as session, session.begin():
        session.add(CitySetting(key="city_name", value="Bochum", version=1,
                                updated_at=utcnow(), updated_by="ada"))
        session.flush()
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.8)  # the second admin is waiting now
        assert outcome == []
    thread.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], StaleSettingError), outcome
    assert _rows(engine) == {"city_name": ("Bochum", 1, "ada")}
