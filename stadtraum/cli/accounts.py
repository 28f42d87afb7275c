"""``stadtraum users role|reactivate|reset-password|email``: the accounts page's use cases from
the command line (acting as the system actor, audited under its name)."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import Engine

from stadtraum.accounts.admin_ops import change_role, reactivate_user, reset_password, set_email
from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.users import normalise_name
from stadtraum.vocab import ROLES

COMMANDS = ("role", "reactivate", "reset-password", "email")


def add_parsers(usub: argparse._SubParsersAction) -> None:
    role = usub.add_parser("role", help="Rolle ändern (das letzte aktive Admin-Konto bleibt "
                           "Admin)")
    role.add_argument("name", help="Anmeldename")
    role.add_argument("role", choices=list(ROLES.codes), help="neue Rolle")
    back = usub.add_parser("reactivate", help="deaktiviertes Konto wieder zulassen (mit dem "
                           "bisherigen Passwort)")
    back.add_argument("name", help="Anmeldename")
    reset = usub.add_parser("reset-password", help="Einmal-Passwort erzeugen und einmal "
                            "ausgeben; beendet alle Anmeldungen, bei der nächsten Anmeldung "
                            "ist ein neues Passwort zu wählen")
    reset.add_argument("name", help="Anmeldename")
    email = usub.add_parser("email", help="E-Mail-Adresse setzen (ohne Adresse: entfernen)")
    email.add_argument("name", help="Anmeldename")
    email.add_argument("address", nargs="?", default="", help="E-Mail-Adresse")


def run(engine: Engine, args: argparse.Namespace) -> str:
    name = normalise_name(args.name)
    if args.users_command == "role":
        changed = change_role(engine, name, args.role, actor=SYSTEM)
        return (f"Rolle von „{name}“ ist jetzt {args.role}.\n" if changed
                else f"„{name}“ hat die Rolle {args.role} schon.\n")
    if args.users_command == "reactivate":
        changed = reactivate_user(engine, name, actor=SYSTEM)
        return (f"Konto „{name}“ ist wieder aktiv.\n" if changed
                else f"Konto „{name}“ war schon aktiv.\n")
    if args.users_command == "reset-password":
        password = reset_password(engine, name, actor=SYSTEM)
        return (f"Einmal-Passwort für „{name}“ (wird nicht noch einmal angezeigt; bei der "
                f"nächsten Anmeldung ist ein eigenes Passwort zu wählen):\n{password}\n")
    changed = set_email(engine, name, args.address, actor=SYSTEM)
    what = f"ist jetzt {args.address.strip().lower()}" if args.address.strip() else "entfernt"
    return (f"E-Mail-Adresse von „{name}“ {what}.\n" if changed
            else f"E-Mail-Adresse von „{name}“ unverändert.\n")
