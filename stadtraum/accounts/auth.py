"""Passwords, roles and signed session tokens: pure functions, no database.

* Passwords are hashed with argon2id (argon2-cffi's RFC 9106 low-memory profile).
* Which role may open which page is data (:data:`PAGES`); the app checks it on the server for
  every page it runs (:func:`require`), so a page of another role is unreachable by URL too.
* A session token keeps a helper signed in across reloads: ``payload.signature``, both
  base64url, the signature an HMAC-SHA256 over the payload; :func:`verify_token` never raises.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TypeGuard

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from stadtraum.errors import PermissionDeniedError, StadtraumError, ValidationError
from stadtraum.vocab import ROLES

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MIN_SECRET_BYTES = 32

_HASHER = PasswordHasher(type=Type.ID)  # t=3, m=64 MiB, p=4 (RFC 9106 low-memory)

# Page key (the page's url_path) -> roles allowed to open it. A page missing here is closed.
PAGES: Mapping[str, frozenset[str]] = {
    "uebersicht": frozenset({"planner", "moderator", "admin"}),
    "karte": frozenset({"planner", "moderator", "admin"}),
    "gebietsprofil": frozenset({"planner", "moderator", "admin"}),
    "vergleich": frozenset({"planner", "moderator", "admin"}),
    "befragung": frozenset({"helper", "moderator", "admin"}),
    "meine_befragungen": frozenset({"helper", "moderator", "admin"}),
    "fokusgruppe": frozenset({"moderator", "admin"}),
    "verwaltung": frozenset({"admin"}),
    "papier": frozenset({"helper", "moderator", "admin"}),
}


class AuthenticationError(StadtraumError):
    """Sign-in failed. The message never says whether the name exists."""


# --- passwords -------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """An argon2id hash string (``$argon2id$v=19$m=…``) with a fresh random salt."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if ``password`` matches; False for a wrong password or an unreadable hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True if the hash was made with other parameters (or another variant) than today's."""
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


@cache
def dummy_hash() -> str:
    """A hash to verify against when a name is unknown, so both cases take as long."""
    return hash_password("stadtraum-dummy-password")


def _classes(password: str) -> int:
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))


def check_password_policy(password: str) -> None:
    """At least 10 characters, at most 200, from at least two of: lower-case letters,
    upper-case letters, digits, other characters. Raises :class:`ValidationError`."""
    rule = ("Das Passwort muss mindestens 10 Zeichen lang sein und mindestens zwei Arten von "
            "Zeichen enthalten (Kleinbuchstaben, Großbuchstaben, Ziffern, Sonderzeichen).")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen "
                              "lang sein.", "password too long", field="password")
    if len(password) < MIN_PASSWORD_LENGTH or _classes(password) < 2:
        raise ValidationError(rule, "password violates the policy", field="password")


# --- roles and pages -------------------------------------------------------------------------

def allowed_pages(role: str | None) -> list[str]:
    """The page keys ``role`` may open, in the order of :data:`PAGES` (none when signed out)."""
    return [page for page, roles in PAGES.items() if role in roles]


def may_open(role: str | None, page: str) -> bool:
    return role is not None and role in PAGES.get(page, frozenset())


def require(role: str | None, page: str) -> None:
    """Raise :class:`PermissionDeniedError` unless ``role`` may open ``page``."""
    if role is None:
        raise PermissionDeniedError("Bitte zuerst anmelden.", f"not signed in for {page!r}")
    if not may_open(role, page):
        label = ROLES.label(role) if role in ROLES.codes else role
        raise PermissionDeniedError(
            f"Diese Seite ist für die Rolle „{label}“ nicht freigegeben.",
            f"role {role!r} may not open page {page!r}")


# --- session tokens --------------------------------------------------------------------------

@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    role: str
    issued_at: int
    expires_at: int
    epoch: int  # the account's session epoch when issued (see accounts.session_user)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not text or len(text) % 4 == 1:
        raise ValueError("bad base64 length")
    raw = text.encode("ascii")
    if raw != raw.translate(None, b"=") or not raw.replace(b"-", b"").replace(b"_", b"").isalnum():
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))


def _is_int(value: object) -> TypeGuard[int]:
    return type(value) is int  # not bool, not float


def _sign(payload: str, secret: bytes) -> str:
    return _b64encode(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())


def issue_token(user_id: int, role: str, secret: bytes, ttl_seconds: int, now: float,
                epoch: int = 0) -> str:
    """A signed token valid from ``now`` for ``ttl_seconds`` (``now`` in Unix seconds), bound
    to the account's session ``epoch`` (a password change moves the epoch on)."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the session secret needs at least {MIN_SECRET_BYTES} bytes")
    if ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be positive")
    if role not in ROLES.codes:
        raise ValueError(f"unknown role {role!r}")
    issued = int(now)
    body = json.dumps({"u": int(user_id), "r": role, "i": issued, "e": issued + ttl_seconds,
                       "g": int(epoch)}, separators=(",", ":"))
    payload = _b64encode(body.encode("utf-8"))
    return f"{payload}.{_sign(payload, secret)}"


def verify_token(token: object, secret: bytes, now: float) -> TokenClaims | None:
    """The claims of a genuine, unexpired token; None for anything else (never raises)."""
    try:
        if not isinstance(token, str) or len(token) > 1000 or len(secret) < MIN_SECRET_BYTES:
            return None
        payload, sep, signature = token.partition(".")
        if not sep or not payload.isascii() or not signature.isascii():
            return None
        expected = _sign(payload, secret)
        if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii")):
            return None
        data = json.loads(_b64decode(payload).decode("utf-8"))
        if not isinstance(data, dict):
            return None
        user_id, role, issued, expires = data.get("u"), data.get("r"), data.get("i"), data.get("e")
        epoch = data.get("g")
        if not (_is_int(user_id) and _is_int(issued) and _is_int(expires) and _is_int(epoch)
                and isinstance(role, str) and role in ROLES.codes):
            return None
        if not now < expires:
            return None
        return TokenClaims(user_id=user_id, role=role, issued_at=issued, expires_at=expires,
                           epoch=epoch)
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        return None
