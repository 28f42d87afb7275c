"""Passwords, the page permissions and the session token (pure, no database)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from stadtraum.accounts.auth import (
    PAGES,
    allowed_pages,
    check_password_policy,
    hash_password,
    may_open,
    needs_rehash,
    require,
    verify_password,
)
from stadtraum.errors import PermissionDeniedError, ValidationError
from stadtraum.vocab import ROLES

SECRET = b"s" * 32
NOW = 1_800_000_000.0


# --- passwords -------------------------------------------------------------------------------

def test_hash_is_argon2id_salted_and_verifies() -> None:
    h = hash_password("Sommer-Quartier-7")
    assert h.startswith("$argon2id$")
    assert hash_password("Sommer-Quartier-7") != h  # fresh salt
    assert verify_password(h, "Sommer-Quartier-7")
    assert not verify_password(h, "sommer-quartier-7")
    assert not verify_password(h, "")
    assert not needs_rehash(h)


@pytest.mark.parametrize("stored", ["", "klartext", "$2b$12$abcdefghijklmnopqrstuv",
                                    "$argon2id$v=19$kaputt"])
def test_unreadable_hash_never_verifies(stored: str) -> None:
    assert verify_password(stored, "klartext") is False
    assert needs_rehash(stored)


def test_weaker_or_other_variant_hash_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("Sommer-Quartier-7")
    argon2i = PasswordHasher(type=Type.I).hash("Sommer-Quartier-7")
    assert verify_password(weak, "Sommer-Quartier-7")
    assert needs_rehash(weak)
    assert needs_rehash(argon2i)


@pytest.mark.parametrize("password", ["Abcdefghij1k", "abcdefghijk1", "lang genug, ja",
                                      "ABCDEFGHIJK-", "7wolken-am-rhein", "k7mp-3qaz-9ftw-h2nx",
                                      "Sommer-Quartier-7"])
def test_policy_accepts(password: str) -> None:
    check_password_policy(password)


@pytest.mark.parametrize("password", ["", "Kurz1!", "Abcdefghij1", "abcdefghijkl", "ABCDEFGHIJKL",
                                      "123456789012", "!!!!!!!!!!!!", "x" * 199 + "1" * 2])
def test_policy_rejects_with_the_rule_in_german(password: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_password_policy(password)
    assert exc.value.field == "password"
    assert "Passwort" in exc.value.message_de
    if len(password) <= 200:
        assert "mindestens 12 Zeichen" in exc.value.message_de


@pytest.mark.parametrize("password", ["password1234", "Password1234", "PASSWORT2024!",
                                      "Stadtraum2026!", "qwertyuiop12", "iloveyou1234",
                                      "Bochum-123456", "Passwort!!!!"])
def test_policy_rejects_common_passwords(password: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_password_policy(password)
    assert exc.value.field == "password" and "häufiger Passwörter" in exc.value.message_de


# --- roles and pages -------------------------------------------------------------------------

EXPECTED = {  # role -> pages it may open; every other page is closed to it
    "helper": {"befragung", "meine_befragungen", "papier"},
    "moderator": {"uebersicht", "karte", "gebietsprofil", "vergleich", "befragung",
                  "meine_befragungen", "fokusgruppe", "papier", "feldarbeit", "moderation"},
    "planner": {"uebersicht", "karte", "gebietsprofil", "vergleich", "veroeffentlichung"},
    "admin": {"uebersicht", "karte", "gebietsprofil", "vergleich", "befragung",
              "meine_befragungen", "fokusgruppe", "verwaltung", "konten", "papier",
              "protokoll", "gebiete", "befragungen", "kataloge", "feldarbeit",
              "einstellungen", "datenschutz", "moderation", "veroeffentlichung"},
}


def test_expected_table_covers_every_role_and_page() -> None:
    assert set(EXPECTED) == set(ROLES.codes)
    assert set().union(*EXPECTED.values()) == set(PAGES)


@pytest.mark.parametrize("role", ROLES.codes)
@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(role: str, page: str) -> None:
    allowed = page in EXPECTED[role]
    assert may_open(role, page) is allowed
    assert (page in allowed_pages(role)) is allowed
    if allowed:
        require(role, page)
    else:
        with pytest.raises(PermissionDeniedError) as exc:
            require(role, page)
        assert "nicht freigegeben" in exc.value.message_de


def test_a_helper_cannot_open_verwaltung() -> None:
    with pytest.raises(PermissionDeniedError, match="helper"):
        require("helper", "verwaltung")
    assert allowed_pages("helper") == ["befragung", "meine_befragungen", "papier"]


@pytest.mark.parametrize("role", [None, "", "root", "Admin"])
def test_unknown_or_missing_role_opens_nothing(role: str | None) -> None:
    assert allowed_pages(role) == []
    for page in PAGES:
        with pytest.raises(PermissionDeniedError):
            require(role, page)


def test_unknown_page_is_closed_even_to_admin() -> None:
    with pytest.raises(PermissionDeniedError):
        require("admin", "gibtsnicht")
