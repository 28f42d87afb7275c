"""The audit log in words: every kind the library writes has a German and an English name,
what happened reads as a sentence, an unknown pair is shown literally, details as text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from stadtraum.admin.audit_words import (
    KINDS,
    action_label,
    detail_text,
    kind_label,
    kind_of,
    object_label,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("action", "object_type", "kind", "de"), [
    ("sign_in", "user", "sign_in", "Anmeldung"),
    ("sign_in_failed", "user", "sign_in_failed", "Anmeldung fehlgeschlagen"),
    ("export_responses", "campaign", "export", "Export"),
    ("export", "audit_log", "export", "Export"),
    ("void", "response", "status", "Statusänderung"),
    ("accept", "response", "status", "Statusänderung"),
    ("status", "campaign", "status", "Statusänderung"),
    ("delete", "response", "delete", "Löschung"),
    ("create", "user", "account", "Konto"),
    ("deactivate", "user", "account", "Konto"),
    ("unlock_sign_in", "user", "account", "Konto"),
    ("setup", "user", "account", "Konto"),
    ("create", "campaign", "campaign", "Befragung"),
    ("public_link_on", "campaign", "campaign", "Befragung"),
    ("invitations_generate", "campaign", "campaign", "Befragung"),
    ("publish_results", "campaign", "publish", "Veröffentlichung"),
    ("paper_import", "campaign", "import", "Import"),
    ("import", "area_level", "import", "Import"),
    ("import", "streets", "import", "Import"),
    ("grid", "focus_group", "focus", "Fokusgruppe"),
    ("set", "city_settings", "settings", "Einstellungen"),
    ("reset", "city_settings", "settings", "Einstellungen"),
])
def test_kinds_in_german(action: str, object_type: str, kind: str, de: str) -> None:
    assert kind_of(action, object_type) == kind
    assert kind_label(kind) == de
    assert kind_label(kind, "en") == KINDS[kind][1]


def test_an_unknown_pair_is_shown_literally() -> None:
    kind = kind_of("frobnicate", "widget")
    assert kind == kind_label(kind) == kind_label(kind, "en") == "frobnicate (widget)"
    assert action_label("frobnicate", "widget") == "frobnicate"
    assert object_label("widget", "7") == "widget 7"


def _literal(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal(node.body) + _literal(node.orelse)
    return []


def _written_pairs() -> set[tuple[str, str]]:
    """Every (action, object_type) the library passes to ``audit(`` as literal text."""
    pairs = set()
    for path in (ROOT / "stadtraum").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "audit" and len(node.args) >= 4:
                pairs |= {(a, o) for a in _literal(node.args[2])
                          for o in _literal(node.args[3])}
    return pairs


def test_every_pair_the_library_writes_has_words() -> None:
    pairs = _written_pairs() | {("void", "response"), ("accept", "response"),
                                ("reject", "response"), ("grid", "focus_group"),
                                ("consensus", "focus_group")}  # passed on as variables
    assert ("sign_in_failed", "user") in pairs and len(pairs) > 20
    missing = [pair for pair in sorted(pairs)
               if kind_of(*pair) not in KINDS or action_label(*pair) == pair[0]
               or action_label(*pair, "en") == pair[0]
               or object_label(pair[1], None) == pair[1]]
    assert missing == [], "give these audit entries words in stadtraum/admin/audit_words.py"


def test_actions_and_objects_in_words() -> None:
    assert action_label("create", "user") == "Konto angelegt"
    assert action_label("create", "user", "en") == "account created"
    assert action_label("void", "response") == "Antwort verworfen"
    assert object_label("campaign", "3") == "Befragung 3"
    assert object_label("campaign", "3", "en") == "Survey 3"
    for action in ("create", "copy", "replace", "delete"):  # the catalogues page's actions
        assert action_label(action, "catalogue") != action
        assert action_label(action, "catalogue", "en") != action
    assert object_label("audit_log", "") == "Protokoll"


def test_details_as_plain_key_value_text() -> None:
    assert detail_text('{"name": "erika", "role": "helper"}') == "Name: erika · Rolle: helper"
    assert detail_text('{"name": "erika", "role": "helper"}', "en") == \
        "name: erika · role: helper"
    assert detail_text('{"method": "password", "reason": "wrong password", "source": ""}') \
        == "Weg: Passwort · Grund: Passwort falsch · Adresse: –"
    assert detail_text('{"reason": "wrong_area", "old": "valid"}') == \
        "Grund: falsches Gebiet · vorher: valid"
    assert detail_text('{"criteria": ["housing", "play"], "x": {"a": 1}, "ok": true}') == \
        'Kriterien: housing, play · x: {"a": 1} · ok: ja'
    assert detail_text('{"boundary_set": "Bochum", "version": 2, "crs": "EPSG:25832", '
                       '"parent_level": "Stadtbezirke", "copied_from": "standard"}') == \
        ("Grenzstand: Bochum · Version: 2 · Koordinatensystem: EPSG:25832 · übergeordnete "
         "Ebene: Stadtbezirke · kopiert von: standard")
    assert detail_text('{"setting": "logo", "version": 2, "format": "PNG", "bytes": 900, '
                       '"sha256": "ab12"}') == \
        "Einstellung: logo · Version: 2 · Format: PNG · Größe (Bytes): 900 · Prüfsumme: ab12"
    assert action_label("reset", "city_settings") == "Einstellung der Stadt zurückgesetzt"
    assert object_label("city_settings", "main_colour") == "Einstellung der Stadt main_colour"
    assert detail_text(None) == detail_text("") == ""
    assert detail_text("kein JSON <b>") == "kein JSON <b>"
    assert detail_text("[1, 2]") == "[1, 2]"


def test_single_sign_on_details_in_words() -> None:
    assert detail_text('{"method": "sso", "reason": "unknown email", "provider": "Stadt-Login"}') \
        == "Weg: Single Sign-on · Grund: E-Mail-Adresse gehört zu keinem Konto · " \
           "Anbieter: Stadt-Login"
    for reason in ("email unverified", "no email", "stale identity"):
        assert detail_text(f'{{"reason": "{reason}"}}', "en") != f"reason: {reason}"
