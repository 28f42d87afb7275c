"""Passwords, roles and signed session tokens: pure functions, no database.

* Passwords are hashed with argon2id (argon2-cffi's RFC 9106 low-memory profile).
* Which role may open which page is data (:data:`PAGES`); the app checks it on the server for
  every page it runs (:func:`require`), so a page of another role is unreachable by URL too.
* Sign-in sessions live on the server (:mod:`stadtraum.accounts.sessions`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from stadtraum.errors import PermissionDeniedError, StadtraumError, ValidationError
from stadtraum.vocab import ROLES

MIN_PASSWORD_LENGTH = 12
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
    "konten": frozenset({"admin"}),
    "gebiete": frozenset({"admin"}),
    "befragungen": frozenset({"admin"}),
    "kataloge": frozenset({"admin"}),
    "papier": frozenset({"helper", "moderator", "admin"}),
    "protokoll": frozenset({"admin"}),
    "feldarbeit": frozenset({"moderator", "admin"}),
    "einstellungen": frozenset({"admin"}),
    "datenschutz": frozenset({"admin"}),
    "moderation": frozenset({"moderator", "admin"}),
    "veroeffentlichung": frozenset({"planner", "admin"}),
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


# besides zxcvbn's list: words anyone would try first on this product
_OBVIOUS = frozenset({"stadtraum", "stadtraummonitor", "placestandard", "bochum", "passwort",
                      "kennwort", "geheim", "admin", "administrator", "helfer", "moderation",
                      "planung", "willkommen", "sommer", "winter"})
_TRAILING = re.compile(r"[\d\W_]+$")


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | _OBVIOUS


def is_common_password(password: str) -> bool:
    """True for a password from the list of common passwords, also with capitals and with
    digits or symbols appended (``Passwort2024!``)."""
    low = password.lower()
    stem = _TRAILING.sub("", low)
    return low in _common() or (len(stem) >= 4 and stem in _common())


def check_password_policy(password: str) -> None:
    """At least 12 characters, at most 200, from at least two of: lower-case letters,
    upper-case letters, digits, other characters, and not a common password
    (:func:`is_common_password`). Raises :class:`ValidationError`."""
    rule = (f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein und "
            "mindestens zwei Arten von Zeichen enthalten (Kleinbuchstaben, Großbuchstaben, "
            "Ziffern, Sonderzeichen).")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen "
                              "lang sein.", "password too long", field="password")
    if len(password) < MIN_PASSWORD_LENGTH or _classes(password) < 2:
        raise ValidationError(rule, "password violates the policy", field="password")
    if is_common_password(password):
        raise ValidationError("Dieses Passwort steht auf der Liste häufiger Passwörter und "
                              "wäre schnell erraten. Bitte ein anderes wählen, z. B. drei "
                              "oder vier zufällige Wörter.", "password is a common one",
                              field="password")


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
