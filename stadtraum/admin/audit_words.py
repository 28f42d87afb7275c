"""The audit log in words: what kind of entry a stored ``action``/``object_type`` pair is
("Anmeldung", "Export", "Statusänderung", ...), what happened ("Konto angelegt"), which object
it concerns, and the JSON detail as plain "key: value" text. German first, English second.

Pure. A pair nobody has named yet (a new use case) is never hidden: its kind and action are
shown literally, as stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from stadtraum.collect.status import VOID_REASONS

__all__ = ["KINDS", "action_label", "detail_text", "kind_label", "kind_of", "object_label"]

# kind key -> (German, English), in the order the filter offers them
KINDS: Mapping[str, tuple[str, str]] = {
    "sign_in": ("Anmeldung", "Sign-in"),
    "sign_in_failed": ("Anmeldung fehlgeschlagen", "Failed sign-in"),
    "export": ("Export", "Export"),
    "status": ("Statusänderung", "Status change"),
    "delete": ("Löschung", "Deletion"),
    "account": ("Konto", "Account"),
    "campaign": ("Befragung", "Survey"),
    "publish": ("Veröffentlichung", "Publication"),
    "import": ("Import", "Import"),
    "focus": ("Fokusgruppe", "Focus group"),
    "catalogue": ("Katalog", "Catalogue"),
    "settings": ("Einstellungen", "Settings"),
    "moderation": ("Moderation", "Moderation"),
}
_CAMPAIGN_STATUS_ACTIONS = frozenset({"status", "open", "close", "reopen"})
_BY_OBJECT = {"user": "account", "campaign": "campaign", "focus_group": "focus",
              "catalogue": "catalogue", "settings": "settings", "city_settings": "settings",
              "comment": "moderation"}

# (action, object_type) -> what happened (German, English)
_ACTIONS: Mapping[tuple[str, str], tuple[str, str]] = {
    ("sign_in", "user"): ("angemeldet", "signed in"),
    ("sign_in_failed", "user"): ("Anmeldung fehlgeschlagen", "sign-in failed"),
    ("setup", "user"): ("erstes Admin-Konto eingerichtet", "first admin account set up"),
    ("create", "user"): ("Konto angelegt", "account created"),
    ("set_password", "user"): ("Passwort neu gesetzt", "password set"),
    ("end_sessions", "user"): ("alle Sitzungen beendet", "all sessions ended"),
    ("deactivate", "user"): ("Konto deaktiviert", "account deactivated"),
    ("reactivate", "user"): ("Konto reaktiviert", "account reactivated"),
    ("change_role", "user"): ("Rolle geändert", "role changed"),
    ("reset_password", "user"): ("Einmalpasswort vergeben", "one-time password issued"),
    ("set_email", "user"): ("E-Mail-Adresse geändert", "e-mail address changed"),
    ("unlock_sign_in", "user"): ("Anmeldesperre aufgehoben", "sign-in lock lifted"),
    ("create", "campaign"): ("Befragung angelegt", "survey created"),
    ("status", "campaign"): ("Status der Befragung geändert", "survey status changed"),
    ("open", "campaign"): ("Befragung geöffnet", "survey opened"),
    ("close", "campaign"): ("Befragung abgeschlossen", "survey closed"),
    ("reopen", "campaign"): ("Befragung wieder geöffnet", "survey reopened"),
    ("settings", "campaign"): ("Einstellungen der Befragung geändert", "survey settings changed"),
    ("targets", "campaign"): ("Zielzahlen je Gebiet gesetzt", "targets per area set"),
    ("targets_clear", "campaign"): ("Zielzahlen je Gebiet entfernt", "targets per area removed"),
    ("public_link_on", "campaign"): ("öffentlichen Link eingeschaltet", "public link on"),
    ("public_link_off", "campaign"): ("öffentlichen Link ausgeschaltet", "public link off"),
    ("public_link_rotate", "campaign"): ("öffentlichen Link erneuert", "public link renewed"),
    ("invitations_required_on", "campaign"): ("Einladungscodes verlangt",
                                              "invitation codes required"),
    ("invitations_required_off", "campaign"): ("Einladungscodes nicht mehr verlangt",
                                               "invitation codes no longer required"),
    ("invitations_generate", "campaign"): ("Einladungscodes erzeugt",
                                           "invitation codes generated"),
    ("burst_controls", "campaign"): ("Häufungserkennung eingestellt",
                                     "burst detector set"),
    ("export_responses", "campaign"): ("Antworten exportiert", "responses exported"),
    ("publish_results", "campaign"): ("Ergebnisse veröffentlicht", "results published"),
    ("paper_import", "campaign"): ("Papierbögen importiert", "paper forms imported"),
    ("void", "response"): ("Antwort verworfen", "response voided"),
    ("accept", "response"): ("markierte Antwort angenommen", "flagged response accepted"),
    ("reject", "response"): ("markierte Antwort abgelehnt", "flagged response rejected"),
    ("open", "focus_group"): ("Fokusgruppe eröffnet", "focus group opened"),
    ("notes", "focus_group"): ("Notizen gespeichert", "notes saved"),
    ("grid", "focus_group"): ("Einzelbewertungen gespeichert", "individual ratings saved"),
    ("consensus", "focus_group"): ("Gruppenbewertung gespeichert", "group rating saved"),
    ("import", "area_level"): ("Gebiete importiert", "areas imported"),
    ("import", "streets"): ("Straßenverzeichnis importiert", "street directory imported"),
    ("export", "audit_log"): ("Protokoll exportiert", "audit log exported"),
    ("create", "catalogue"): ("Katalog hinzugefügt", "catalogue added"),
    ("copy", "catalogue"): ("Katalog kopiert", "catalogue copied"),
    ("replace", "catalogue"): ("Katalog ersetzt", "catalogue replaced"),
    ("delete", "catalogue"): ("Katalog gelöscht", "catalogue deleted"),
    ("set", "city_settings"): ("Einstellung der Stadt geändert", "city setting changed"),
    ("reset", "city_settings"): ("Einstellung der Stadt zurückgesetzt", "city setting reset"),
    ("delete_response", "campaign"): ("Antwort auf Wunsch gelöscht", "response deleted on request"),
    ("purge_campaign", "campaign"): ("Rohdaten der Befragung gelöscht",
                                     "survey's raw data deleted"),
    ("expire_drafts", "interview_draft"): ("alte Entwürfe gelöscht", "old drafts deleted"),
    ("reapply_tombstones", "response"): ("Löschungen erneut angewandt", "deletions re-applied"),
    ("release", "comment"): ("Kommentar freigegeben", "comment released"),
    ("redact", "comment"): ("Kommentar geschwärzt", "comment redacted"),
    ("hide", "comment"): ("Kommentar ausgeblendet", "comment hidden"),
    ("reopen", "comment"): ("Kommentar zurück in die Warteschlange", "comment back in the queue"),
    ("read_original", "comment"): ("Originaltext eines Kommentars gelesen",
                                   "original comment text read"),
    ("comments_auto_release", "campaign"): ("automatische Freigabe der Kommentare geändert",
                                            "automatic release of comments changed"),
    ("export_results", "campaign"): ("Ergebnisse exportiert", "results exported"),
    ("export_comments", "campaign"): ("Kommentare exportiert", "comments exported"),
    ("export_open_data", "campaign"): ("Open-Data-Paket erstellt", "open-data package created"),
    ("set_results_public", "campaign"): ("öffentlichen Abruf der Ergebnisse geschaltet",
                                         "public results switched"),
    ("build_report", "campaign"): ("Bericht erstellt", "report built"),
}
_OBJECTS: Mapping[str, tuple[str, str]] = {
    "user": ("Konto", "Account"),
    "campaign": ("Befragung", "Survey"),
    "response": ("Antwort", "Response"),
    "focus_group": ("Fokusgruppe", "Focus group"),
    "area_level": ("Gebietsebene", "Area level"),
    "streets": ("Straßenverzeichnis der Ebene", "Street directory of level"),
    "catalogue": ("Katalog", "Catalogue"),
    "audit_log": ("Protokoll", "Audit log"),
    "city_settings": ("Einstellung der Stadt", "City setting"),
    "comment": ("Kommentar", "Comment"),
    "interview_draft": ("Entwürfe", "Drafts"),
}
_KEYS: Mapping[str, tuple[str, str]] = {
    "name": ("Name", "name"), "role": ("Rolle", "role"), "status": ("Status", "status"),
    "old": ("vorher", "before"), "new": ("nachher", "after"), "reason": ("Grund", "reason"),
    "source": ("Adresse", "address"), "method": ("Weg", "method"),
    "provider": ("Anbieter", "provider"),
    "rows": ("Zeilen", "rows"), "file": ("Datei", "file"), "created": ("neu", "new"),
    "unchanged": ("unverändert", "unchanged"), "errors": ("Fehler", "errors"),
    "cells": ("Zellen", "cells"), "updated": ("geändert", "changed"),
    "batch": ("Stapel", "batch"), "count": ("Anzahl", "count"),
    "pairs": ("Zuordnungen", "pairs"), "campaign": ("Befragung", "survey"),
    "criteria": ("Kriterien", "criteria"), "removed": ("entfernt", "removed"),
    "person": ("Person", "person"), "kind": ("Art", "kind"), "since": ("von", "from"),
    "until": ("bis", "until"), "email": ("E-Mail", "e-mail"), "n": ("Anzahl", "count"),
    "level": ("Ebene", "level"), "area": ("Gebiet", "area"), "title": ("Titel", "title"),
    "corrected": ("korrigiert", "corrected"), "voided": ("verworfen", "voided"),
    "token_prefix": ("Link beginnt mit", "link starts with"),
    "old_prefix": ("alter Link begann mit", "old link started with"),
    "new_token": ("neuer Link", "new link"),
    "one_time_password": ("Einmalpasswort", "one-time password"),
    "min_n": ("Mindestzahl je Zelle", "minimum cell size"),
    "modes": ("Erhebungsarten", "modes"), "allowed_modes": ("Erhebungsarten", "modes"),
    "catalogue_id": ("Katalog", "catalogue"), "level_id": ("Gebietsebene", "area level"),
    "starts_on": ("Beginn", "start"), "ends_on": ("Ende", "end"),
    "default_target": ("Zielzahl je Gebiet", "target per area"),
    "areas": ("Gebiete", "areas"), "total": ("zusammen", "total"),
    "area_targets_removed": ("Zielzahlen je Gebiet entfernt", "per-area targets removed"),
    "copied_from": ("kopiert von", "copied from"),
    "boundary_set": ("Grenzstand", "boundary set"), "version": ("Version", "version"),
    "parent_level": ("übergeordnete Ebene", "parent level"),
    "crs": ("Koordinatensystem", "coordinate system"),
    "setting": ("Einstellung", "setting"), "value": ("Wert", "value"),
    "length": ("Länge (Zeichen)", "length (characters)"), "format": ("Format", "format"),
    "bytes": ("Größe (Bytes)", "size (bytes)"), "sha256": ("Prüfsumme", "checksum"),
    "burst_enabled": ("Häufungserkennung an", "burst detector on"),
    "burst_floor": ("Untergrenze der Häufungserkennung", "burst floor"),
    "burst_factor": ("Faktor der Häufungserkennung", "burst factor"),
}
# (key, stored value) -> the value in words
_VALUES: Mapping[tuple[str, str], tuple[str, str]] = {
    ("method", "password"): ("Passwort", "password"),
    ("method", "unlock"): ("Entsperren", "unlock"),
    ("method", "demo button"): ("Demo-Schaltfläche", "demo button"),
    ("method", "sso"): ("Single Sign-on", "single sign-on"),
    ("reason", "unknown email"): ("E-Mail-Adresse gehört zu keinem Konto",
                                  "e-mail belongs to no account"),
    ("reason", "email unverified"): ("E-Mail-Adresse vom Anbieter nicht bestätigt",
                                     "e-mail not verified by the provider"),
    ("reason", "no email"): ("keine E-Mail-Adresse vom Anbieter", "no e-mail from the provider"),
    ("reason", "stale identity"): ("Anmeldung beim Anbieter zu alt",
                                   "sign-in at the provider too old"),
    ("reason", "unknown name"): ("Name unbekannt", "unknown name"),
    ("reason", "wrong password"): ("Passwort falsch", "wrong password"),
    ("reason", "account deactivated"): ("Konto deaktiviert", "account deactivated"),
    **{("reason", code): labels for code, labels in VOID_REASONS.items()},
}


def _pick(labels: tuple[str, str], lang: str) -> str:
    return labels[1] if lang == "en" else labels[0]


def kind_of(action: str, object_type: str) -> str:
    """The kind key of a stored pair; for a pair no rule knows, ``"action (object_type)"``
    itself (then shown literally)."""
    if action in ("sign_in", "sign_in_failed"):
        return action
    if action.startswith("export") or action == "build_report":
        return "export"
    if action.startswith(("delete", "purge", "expire")) or action in (
            "erase", "reapply_tombstones"):
        return "delete"
    if object_type == "response" or (object_type == "campaign"
                                     and action in _CAMPAIGN_STATUS_ACTIONS):
        return "status"
    if action.startswith("publish") or action == "set_results_public":
        return "publish"
    if action == "import" or action.endswith("_import"):
        return "import"
    if object_type in _BY_OBJECT:
        return _BY_OBJECT[object_type]
    return f"{action} ({object_type})"


def kind_label(kind: str, lang: str = "de") -> str:
    return _pick(KINDS[kind], lang) if kind in KINDS else kind


def action_label(action: str, object_type: str, lang: str = "de") -> str:
    labels = _ACTIONS.get((action, object_type))
    return _pick(labels, lang) if labels else action


def object_label(object_type: str, object_id: str | None, lang: str = "de") -> str:
    name = _pick(_OBJECTS[object_type], lang) if object_type in _OBJECTS else object_type
    return f"{name} {object_id}" if object_id else name


def _value(key: str, value: object, lang: str) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("ja" if value else "nein")
    if isinstance(value, list | tuple):
        return ", ".join(_value(key, v, lang) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    words = _VALUES.get((key, str(value)))
    return _pick(words, lang) if words else str(value)


def detail_text(detail: str | None, lang: str = "de") -> str:
    """The stored JSON detail as ``key: value`` pairs separated by " · "; text that is not a
    JSON object comes back as it is."""
    if not detail:
        return ""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    parts = []
    for key, value in data.items():
        label = _pick(_KEYS[key], lang) if key in _KEYS else str(key)
        parts.append(f"{label}: {_value(key, value, lang)}")
    return " · ".join(parts)
