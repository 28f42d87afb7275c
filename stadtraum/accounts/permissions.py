"""Who may do what: every use case that changes or exports data checks its actor here itself.

Pure. A hidden page is not a permission: the pages' roles (:data:`stadtraum.accounts.auth.PAGES`)
decide what the navigation shows, and each use case calls :func:`require` with the actor the
caller hands over, so a helper's session cannot create an admin, close a campaign or export
responses even through a page that forgot to check.

The command line runs on the server with access to the database itself, so it acts as the
:data:`SYSTEM` actor, which may do everything (and is audited under its name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stadtraum.errors import PermissionDeniedError
from stadtraum.vocab import ROLES

__all__ = ["PERMISSIONS", "SYSTEM", "SYSTEM_ROLE", "Actor", "may", "require"]

SYSTEM_ROLE = "system"

_STAFF = frozenset({"helper", "moderator", "admin"})
_ANALYSTS = frozenset({"planner", "moderator", "admin"})
_ADMIN = frozenset({"admin"})

# action -> roles allowed to do it (the system actor may do everything)
PERMISSIONS: Mapping[str, frozenset[str]] = {
    "accounts.manage": _ADMIN,        # create, change role, reset password, (de)activate, unlock
    "campaigns.manage": _ADMIN,       # create, open/close, min_n, public link, invitation codes
    "areas.import": _ADMIN,           # boundary files and the street directory
    "catalogues.manage": _ADMIN,
    "responses.export": _ADMIN,       # the raw response export
    "responses.review": _ADMIN,       # accept or reject flagged online responses
    "responses.collect": _STAFF,      # street interviews, drafts, own corrections and voids
    "paper.import": _STAFF,
    "focus.run": frozenset({"moderator", "admin"}),
    "results.view": _ANALYSTS,
    "results.publish": _ADMIN,       # the published snapshot behind every public figure
    "audit.read": _ADMIN,
    "fieldwork.view": frozenset({"moderator", "admin"}),  # counts per area, mode, day; drafts
    "fieldwork.helpers": _ADMIN,     # who collected how much today
    "settings.manage": _ADMIN,       # the city's name, logo, colour, address, legal texts
    "responses.delete": _ADMIN,      # on request, a campaign's raw data, drafts, retention
    "comments.moderate": frozenset({"moderator", "admin"}),  # release, redact or hide
    "comments.original": _ADMIN,     # the original text of a redacted or hidden comment
    "results.export": frozenset({"planner", "admin"}),  # results files, open data, reports
}

_LABELS_DE: Mapping[str, str] = {
    "accounts.manage": "Konten verwalten",
    "campaigns.manage": "Befragungen verwalten",
    "areas.import": "Gebiete und Straßenverzeichnis importieren",
    "catalogues.manage": "Kriterienkataloge verwalten",
    "responses.export": "Antworten exportieren",
    "responses.review": "markierte Antworten prüfen",
    "responses.collect": "Befragungen erfassen",
    "paper.import": "Papierbögen importieren",
    "focus.run": "Fokusgruppen durchführen",
    "results.view": "Ergebnisse ansehen",
    "results.publish": "Ergebnisse veröffentlichen",
    "audit.read": "das Protokoll lesen",
    "fieldwork.view": "den Stand der Feldarbeit ansehen",
    "fieldwork.helpers": "die Zahlen der Helferinnen und Helfer ansehen",
    "settings.manage": "die Einstellungen der Stadt ändern",
    "responses.delete": "Antworten löschen",
    "comments.moderate": "Kommentare moderieren",
    "comments.original": "den ursprünglichen Text eines Kommentars lesen",
    "results.export": "Ergebnisse exportieren und Berichte erstellen",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: the name written to the audit log and the role that is checked."""

    name: str
    role: str


SYSTEM = Actor("kommandozeile", SYSTEM_ROLE)


def may(actor: Actor | None, action: str) -> bool:
    """True if ``actor`` may do ``action`` (an unknown action is allowed to nobody)."""
    if actor is None:
        return False
    if action not in PERMISSIONS:
        return False
    return actor.role == SYSTEM_ROLE or actor.role in PERMISSIONS[action]


def require(actor: Actor | None, action: str) -> None:
    """Raise :class:`PermissionDeniedError` (German message naming what was refused) unless
    ``actor`` may do ``action``."""
    if action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}")
    if may(actor, action):
        return
    if actor is None:
        raise PermissionDeniedError("Bitte zuerst anmelden.", f"not signed in for {action!r}")
    label = ROLES.label(actor.role) if actor.role in ROLES.codes else actor.role
    raise PermissionDeniedError(
        f"Die Rolle „{label}“ darf nicht: {_LABELS_DE[action]}.",
        f"role {actor.role!r} ({actor.name!r}) may not {action!r}")
