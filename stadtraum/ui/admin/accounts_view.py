"""The accounts page (admins): the list, a form for a new account, and one account's controls
(role, e-mail, reset password, deactivate or reactivate, end all sessions, lift a sign-in
lock).

Every control calls a use case of :mod:`stadtraum.accounts.admin_ops` or
:mod:`stadtraum.accounts.users` with the signed-in actor, in a button callback that carries
the account's version as the page showed it: a change someone else made meanwhile is refused
as a conflict. A generated one-time password is shown once in ``st.code`` (with its copy
button) and is gone at the next interaction. Names and e-mails are user text: they are shown
with ``st.dataframe``, select options or :func:`~stadtraum.ui.plain.md_literal`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from stadtraum.accounts.admin_ops import (
    AccountRow,
    change_role,
    create_account,
    list_accounts,
    reactivate_user,
    reset_password,
    set_email,
)
from stadtraum.accounts.permissions import Actor
from stadtraum.accounts.users import deactivate_user, end_sessions, unlock_sign_in
from stadtraum.config import CITY_TZ
from stadtraum.errors import StadtraumError, ValidationError
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine
from stadtraum.vocab import ROLES

__all__ = ["show"]

FLASH = "acc_flash"  # (where, kind, text) of the last action, shown once where it was done
SECRET = "acc_secret"  # (where, name, one-time password), shown once
PICK = "acc_pick"
# form field -> label (German, English), to name the field of a refused input
_FIELDS = {"name": ("Name", "Name"), "role": ("Rolle", "Role"),
           "email": ("E-Mail", "E-mail"), "active": ("Aktiv", "Active"),
           "password": ("Passwort", "Password")}


def _tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def _role(code: str) -> str:
    return ROLES.label(code, lang())


def _role_labels() -> Callable[[str], str]:
    """The role labels of this run's language (fixed when drawn, as a widget keeps it)."""
    return {code: _role(code) for code in ROLES.codes}.__getitem__


def role_key(base: str) -> str:
    """A role selectbox's key: one per language, since a selectbox keeps the label it showed
    (after a switch of language it would show the other language's label)."""
    return f"{base}_{lang()}"


def _error_text(exc: StadtraumError) -> str:
    en = lang() == "en"
    text = exc.message_en if en else exc.message_de
    field = exc.field if isinstance(exc, ValidationError) else None
    if field in _FIELDS:
        text = f"{_FIELDS[field][1 if en else 0]}: {text}"
    return text


def _do(call: Callable[[], object], done_de: str, done_en: str,
        where: str = "panel") -> object | None:
    """Run a use case; note the outcome (or the refusal) for the next run, to be shown
    ``where`` it was asked for (below the new-account form, or in the account's panel)."""
    try:
        result = call()
    except StadtraumError as exc:  # refused: permission, validation, conflict, not found
        st.session_state[FLASH] = (where, "error", _error_text(exc))
        return None
    st.session_state[FLASH] = (where, "success", _tr(done_de, done_en))
    return result


# --- callbacks (run before the page is drawn again) ------------------------------------------

def _create(actor: Actor) -> None:
    name = str(st.session_state.get("acc_new_name") or "")
    role = str(st.session_state.get(role_key("acc_new_role")) or "")
    email = str(st.session_state.get("acc_new_email") or "")
    created = _do(lambda: create_account(engine(), name, role, email, actor=actor),
                  "Konto angelegt.", "Account created.", where="create")
    if isinstance(created, tuple):
        clean = name.strip().lower()
        st.session_state[SECRET] = ("create", clean, created[1])
        st.session_state[PICK] = clean
        for key in ("acc_new_name", "acc_new_email"):
            st.session_state[key] = ""


def _save_role(acc: AccountRow, actor: Actor) -> None:
    role = str(st.session_state.get(role_key(f"acc_role_{acc.id}_{acc.version}")) or acc.role)
    _do(lambda: change_role(engine(), acc.name, role, actor=actor,
                            expected_version=acc.version),
        f"Rolle gespeichert: {_role(role)}.", f"Role saved: {_role(role)}.")


def _save_email(acc: AccountRow, actor: Actor) -> None:
    email = str(st.session_state.get(f"acc_email_{acc.id}_{acc.version}") or "")
    _do(lambda: set_email(engine(), acc.name, email, actor=actor,
                          expected_version=acc.version),
        "E-Mail-Adresse gespeichert.", "E-mail address saved.")


def _reset(acc: AccountRow, actor: Actor) -> None:
    password = _do(lambda: reset_password(engine(), acc.name, actor=actor,
                                          expected_version=acc.version),
                   "Passwort zurückgesetzt; alle Anmeldungen des Kontos sind beendet.",
                   "Password reset; every sign-in of the account has ended.")
    if isinstance(password, str):
        st.session_state[SECRET] = ("panel", acc.name, password)


def _active(acc: AccountRow, actor: Actor) -> None:
    if acc.active:
        _do(lambda: deactivate_user(engine(), acc.name, actor=actor,
                                    expected_version=acc.version),
            "Konto deaktiviert und überall abgemeldet.",
            "Account deactivated and signed out everywhere.")
    else:
        _do(lambda: reactivate_user(engine(), acc.name, actor=actor,
                                    expected_version=acc.version),
            "Konto wieder aktiv (mit dem bisherigen Passwort).",
            "Account active again (with its previous password).")


def _end_all(acc: AccountRow, actor: Actor) -> None:
    _do(lambda: end_sessions(engine(), acc.name, actor=actor),
        "Überall abgemeldet: jedes Gerät muss sich neu anmelden; das Passwort bleibt.",
        "Signed out everywhere: every device has to sign in again; the password stays.")


def _unlock(acc: AccountRow, actor: Actor) -> None:
    _do(lambda: unlock_sign_in(engine(), acc.name, actor=actor),
        "Anmeldesperre aufgehoben.", "Sign-in lock lifted.")


# --- drawing ---------------------------------------------------------------------------------

def _messages(where: str, flash: object, secret: object) -> None:
    """The outcome of the last action and a new one-time password, if they belong here."""
    if isinstance(flash, tuple) and flash[0] == where:
        _, kind, text = flash
        (st.error if kind == "error" else st.success)(md_literal(text))
    if isinstance(secret, tuple) and secret[0] == where:
        _, name, password = secret
        with st.container(border=True):
            st.markdown(_tr(f"**Einmal-Passwort für {md_literal(name)}.** Es wird nur jetzt "
                            "angezeigt, bitte gleich kopieren oder notieren und der Person "
                            "persönlich geben. Bei der ersten Anmeldung wählt sie ein eigenes "
                            "Passwort.",
                            f"**One-time password for {md_literal(name)}.** It is shown only "
                            "now: copy or note it and hand it over in person. At the first "
                            "sign-in the person chooses their own password."))
            st.code(password, language=None)
            st.caption(_tr("Es wird nicht noch einmal angezeigt.", "It will not be shown "
                           "again."))


def _when(acc: AccountRow) -> str:
    if acc.last_sign_in is None:
        return _tr("noch nie", "never")
    return acc.last_sign_in.astimezone(CITY_TZ).strftime("%d.%m.%Y %H:%M")


def _status(acc: AccountRow) -> str:
    if not acc.active:
        return _tr("deaktiviert", "deactivated")
    if acc.must_change_password:
        return _tr("Einmal-Passwort offen", "one-time password pending")
    return ""


def _table(accounts: list[AccountRow]) -> None:
    frame = pd.DataFrame({
        _tr("Name", "Name"): [a.name for a in accounts],
        _tr("Rolle", "Role"): [_role(a.role) for a in accounts],
        _tr("Status", "Status"): [_status(a) or _tr("aktiv", "active") for a in accounts],
        _tr("E-Mail", "E-mail"): [a.email or "" for a in accounts],
        _tr("Letzte Anmeldung", "Last sign-in"): [_when(a) for a in accounts],
    })
    st.dataframe(frame, hide_index=True, width="stretch", key="acc_table")


def _create_form(actor: Actor) -> None:
    with st.form("acc_create", border=True):
        st.subheader(_tr("Neues Konto", "New account"), anchor=False)
        left, middle, right = st.columns([3, 2, 3])
        left.text_input(_tr("Anmeldename", "User name"), key="acc_new_name",
                        max_chars=50, help=_tr("3 bis 50 Zeichen: a–z, 0–9, Punkt, "
                                               "Unterstrich, Bindestrich",
                                               "3 to 50 characters: a–z, 0–9, dot, "
                                               "underscore, hyphen"))
        middle.selectbox(_tr("Rolle", "Role"), list(ROLES.codes), format_func=_role_labels(),
                         key=role_key("acc_new_role"))
        right.text_input(_tr("E-Mail (freiwillig)", "E-mail (optional)"), key="acc_new_email",
                         max_chars=254)
        st.caption(_tr("Die App erzeugt ein Einmal-Passwort; es wird einmal angezeigt.",
                       "The app generates a one-time password; it is shown once."))
        st.form_submit_button(_tr("Konto anlegen", "Create account"), type="primary",
                              on_click=_create, args=(actor,))


def _panel(acc: AccountRow, actor: Actor, flash: object, secret: object) -> None:
    key = f"{acc.id}_{acc.version}"  # a new version draws fresh widgets with stored values
    with st.container(border=True):
        state = _status(acc) or _tr("aktiv", "active")
        st.markdown(f"**{md_literal(acc.name)}** · {md_literal(_role(acc.role))} · "
                    f"{md_literal(state)}")
        _messages("panel", flash, secret)
        left, right = st.columns(2)
        with left:
            st.selectbox(_tr("Rolle", "Role"), list(ROLES.codes), format_func=_role_labels(),
                         index=ROLES.index(acc.role), key=role_key(f"acc_role_{key}"))
            st.button(_tr("Rolle speichern", "Save role"), key=f"acc_role_save_{acc.id}",
                      on_click=_save_role, args=(acc, actor))
        with right:
            st.text_input(_tr("E-Mail (leer: keine)", "E-mail (empty: none)"),
                          value=acc.email or "", max_chars=254, key=f"acc_email_{key}")
            st.button(_tr("E-Mail speichern", "Save e-mail"), key=f"acc_email_save_{acc.id}",
                      on_click=_save_email, args=(acc, actor))
        row = st.container(horizontal=True)  # wraps on a narrow screen, no cut labels
        row.button(_tr("Passwort zurücksetzen", "Reset password"),
                   key=f"acc_reset_{acc.id}", on_click=_reset, args=(acc, actor),
                   help=_tr("Erzeugt ein Einmal-Passwort und meldet das Konto überall ab.",
                            "Generates a one-time password and signs the account out "
                            "everywhere."))
        row.button(_tr("Überall abmelden", "Sign out everywhere"),
                   key=f"acc_end_{acc.id}", on_click=_end_all, args=(acc, actor),
                   help=_tr("Zum Beispiel bei einem verlorenen Tablet; das Passwort bleibt.",
                            "For a lost tablet, say; the password stays."))
        row.button(_tr("Anmeldesperre aufheben", "Lift sign-in lock"),
                   key=f"acc_unlock_{acc.id}", on_click=_unlock, args=(acc, actor),
                   help=_tr("Nach zu vielen Fehlversuchen.", "After too many failed "
                            "attempts."))
        row.button(_tr("Deaktivieren", "Deactivate") if acc.active
                   else _tr("Reaktivieren", "Reactivate"),
                   key=f"acc_active_{acc.id}", on_click=_active, args=(acc, actor),
                   help=_tr("Meldet das Konto überall ab; es bleibt für das Protokoll "
                            "erhalten.", "Signs the account out everywhere; it stays for "
                            "the audit log.") if acc.active
                   else _tr("Mit dem bisherigen Passwort.", "With its previous password."))
        if acc.name == actor.name:
            st.caption(_tr("Das ist Ihr eigenes Konto: zurücksetzen, abmelden oder "
                           "deaktivieren meldet auch Sie ab.",
                           "This is your own account: resetting, signing out or deactivating "
                           "signs you out too."))


def show(actor: Actor) -> None:
    """The whole page below its title."""
    flash = st.session_state.pop(FLASH, None)  # once: gone at the next interaction
    secret = st.session_state.pop(SECRET, None)
    try:
        accounts = list_accounts(engine(), actor=actor)
    except StadtraumError as exc:
        st.error(md_literal(_error_text(exc)))
        return
    st.subheader(_tr(f"Alle Konten ({len(accounts)})", f"All accounts ({len(accounts)})"),
                 anchor=False)
    _table(accounts)
    _create_form(actor)
    _messages("create", flash, secret)
    st.subheader(_tr("Konto bearbeiten", "Edit an account"), anchor=False)
    by_name = {a.name: a for a in accounts}
    if st.session_state.get(PICK) not in by_name:
        st.session_state.pop(PICK, None)
    name = st.selectbox(_tr("Konto", "Account"), list(by_name), key=PICK)
    if name is not None:
        _panel(by_name[name], actor, flash, secret)
