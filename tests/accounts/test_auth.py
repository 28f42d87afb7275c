"""Passwords, the page permissions and the session token (pure, no database)."""

from __future__ import annotations

import base64
import json

import pytest
from argon2 import PasswordHasher, Type

from stadtraum.accounts.auth import (
    PAGES,
    TokenClaims,
    allowed_pages,
    check_password_policy,
    hash_password,
    issue_token,
    may_open,
    needs_rehash,
    require,
    verify_password,
    verify_token,
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


@pytest.mark.parametrize("password", ["Abcdefghi1", "abcdefghij1", "lang genug!", "ABCDEFGHI-",
                                      "12345678a9", "k7mp-3qaz-9ftw-h2nx"])
def test_policy_accepts(password: str) -> None:
    check_password_policy(password)


@pytest.mark.parametrize("password", ["", "Kurz1!", "Abcdefgh1", "abcdefghijkl", "ABCDEFGHIJKL",
                                      "123456789012", "!!!!!!!!!!!!", "x" * 199 + "1" * 2])
def test_policy_rejects_with_the_rule_in_german(password: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_password_policy(password)
    assert exc.value.field == "password"
    assert "Passwort" in exc.value.message_de
    if len(password) <= 200:
        assert "mindestens 10 Zeichen" in exc.value.message_de


# --- roles and pages -------------------------------------------------------------------------

EXPECTED = {  # role -> pages it may open; every other page is closed to it
    "helper": {"befragung", "meine_befragungen", "papier"},
    "moderator": {"uebersicht", "karte", "gebietsprofil", "vergleich", "befragung",
                  "meine_befragungen", "fokusgruppe", "papier"},
    "planner": {"uebersicht", "karte", "gebietsprofil", "vergleich"},
    "admin": {"uebersicht", "karte", "gebietsprofil", "vergleich", "befragung",
              "meine_befragungen", "fokusgruppe", "verwaltung", "papier"},
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


# --- session tokens --------------------------------------------------------------------------

def _parts(token: str) -> tuple[dict[str, object], str]:
    payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return data, signature


def _encode(data: dict[str, object]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_token_round_trip_and_expiry_boundary() -> None:
    token = issue_token(7, "helper", SECRET, 3600, NOW, epoch=3)
    assert "=" not in token and token.count(".") == 1
    claims = verify_token(token, SECRET, NOW + 10)
    assert claims == TokenClaims(user_id=7, role="helper", issued_at=int(NOW),
                                 expires_at=int(NOW) + 3600, epoch=3)
    assert verify_token(token, SECRET, NOW + 3599.9) is not None
    assert verify_token(token, SECRET, NOW + 3600) is None
    assert verify_token(token, SECRET, NOW + 10 * 3600) is None


def test_tampered_payload_is_rejected() -> None:
    token = issue_token(7, "helper", SECRET, 3600, NOW)
    data, signature = _parts(token)
    for change in ({"r": "admin"}, {"u": 1}, {"e": int(NOW) + 10**9}, {"g": 1}):
        assert verify_token(f"{_encode({**data, **change})}.{signature}", SECRET, NOW) is None
    payload = token.split(".")[0]
    flipped = ("A" if payload[5] != "A" else "B").join((payload[:5], payload[6:]))
    assert verify_token(f"{flipped}.{signature}", SECRET, NOW) is None


def test_tampered_signature_and_wrong_secret_are_rejected() -> None:
    token = issue_token(7, "admin", SECRET, 3600, NOW)
    payload, signature = token.split(".")
    other = ("A" if signature[3] != "A" else "B").join((signature[:3], signature[4:]))
    assert verify_token(f"{payload}.{other}", SECRET, NOW) is None
    assert verify_token(f"{payload}.{signature}=", SECRET, NOW) is None
    assert verify_token(f"{payload}.{signature[:-1]}", SECRET, NOW) is None
    assert verify_token(f"{payload}.", SECRET, NOW) is None
    assert verify_token(token, b"t" * 32, NOW) is None
    assert verify_token(token, b"", NOW) is None


@pytest.mark.parametrize("garbage", ["", ".", "..", "abc", "a.b", "a.b.c", "ä.ö", "\x00.\x00",
                                     "x" * 5000, "eyJ1IjoxfQ", None, 42, b"a.b", ["a", "b"]])
def test_garbage_is_none_never_an_exception(garbage: object) -> None:
    assert verify_token(garbage, SECRET, NOW) is None


def test_well_signed_but_malformed_payloads_are_rejected() -> None:
    import hashlib
    import hmac

    def signed(raw: bytes) -> str:
        payload = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        sig = hmac.new(SECRET, payload.encode(), hashlib.sha256).digest()
        return f"{payload}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"

    exp = int(NOW) + 60
    for raw in (b"not json", b"[1,2]", b'"x"', b"\xff\xfe",
                json.dumps({"u": "7", "r": "helper", "i": 0, "e": exp, "g": 0}).encode(),
                json.dumps({"u": True, "r": "helper", "i": 0, "e": exp, "g": 0}).encode(),
                json.dumps({"u": 7, "r": "root", "i": 0, "e": exp, "g": 0}).encode(),
                json.dumps({"u": 7, "r": ["helper"], "i": 0, "e": exp, "g": 0}).encode(),
                json.dumps({"u": 7, "r": "helper", "i": 0, "g": 0}).encode(),
                json.dumps({"u": 7, "r": "helper", "i": 0, "e": exp}).encode(),  # no epoch
                json.dumps({"u": 7, "r": "helper", "i": 0, "e": exp, "g": "0"}).encode()):
        assert verify_token(signed(raw), SECRET, NOW) is None
    ok = json.dumps({"u": 7, "r": "helper", "i": 0, "e": exp, "g": 0}).encode()
    assert verify_token(signed(ok), SECRET, NOW) is not None  # the helper itself is right


def test_issue_token_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError):
        issue_token(1, "helper", b"short", 60, NOW)
    with pytest.raises(ValueError):
        issue_token(1, "helper", SECRET, 0, NOW)
    with pytest.raises(ValueError):
        issue_token(1, "root", SECRET, 60, NOW)
