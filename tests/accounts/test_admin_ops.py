"""The accounts page's use cases on SQLite and PostgreSQL (issue 11, item 2): create with a
one-time password, change the role, reset the password, deactivate and reactivate, the e-mail,
the last admin (also two admins at the same moment), the audit rows, and the conflict when two
admins edit the same account."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts import account_rules, admin_ops, users
from stadtraum.accounts.account_rules import StaleAccountError
from stadtraum.accounts.admin_ops import (
    change_role,
    create_account,
    list_accounts,
    reactivate_user,
    reset_password,
    set_email,
)
from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.sessions import lookup, open_session
from stadtraum.accounts.sign_in_guard import MAX_FAILURES, TooManyAttemptsError
from stadtraum.accounts.users import (
    authenticate,
    create_user,
    deactivate_user,
    set_password,
)
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store.db import AuditEntry, User
from stadtraum.store.engine import make_engine
from tests.conftest import _new_pg_db
from tests.pgserver import PgServer

PW = "Quartier-2027"
ADA = Actor("ada", "admin")


def _audit(engine: Engine) -> list[tuple[str | None, str, dict[str, object]]]:
    with Session(engine) as session:
        rows = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "user",
            AuditEntry.action.not_in(["sign_in", "sign_in_failed"]))  # not account changes
            .order_by(AuditEntry.id)).all()
        return [(r.actor, r.action, json.loads(r.detail or "{}")) for r in rows]


def _row(engine: Engine, name: str) -> admin_ops.AccountRow:
    return next(a for a in list_accounts(engine, actor=ADA) if a.name == name)


def _users(engine: Engine) -> list[tuple[str, str, bool, str | None, int]]:
    with Session(engine) as session:
        return [(u.name, u.role, u.active, u.email, u.version)
                for u in session.scalars(select(User).order_by(User.name))]


@pytest.fixture
def two(engine: Engine) -> Engine:
    """ada (admin) and erika (helper)."""
    create_user(engine, "ada", "admin", PW, actor=SYSTEM)
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    return engine


# --------------------------------------------------------------------- create and list


def test_create_with_a_one_time_password_that_must_be_changed(engine: Engine) -> None:
    uid, password = create_account(engine, " Bernd ", "helper", " Bernd@Stadt.DE ", actor=ADA)
    assert len(password) == 19
    signed_in = authenticate(engine, "bernd", password)
    assert signed_in.id == uid and signed_in.must_change_password
    row = _row(engine, "bernd")
    assert (row.email, row.role, row.active, row.must_change_password) == (
        "bernd@stadt.de", "helper", True, True)
    actor, action, detail = _audit(engine)[-1]
    assert (actor, action) == ("ada", "create")
    assert detail == {"name": "bernd", "role": "helper", "email": "bernd@stadt.de",
                      "one_time_password": True}
    assert password not in json.dumps(_audit(engine))
    set_password(engine, "bernd", "Mein-eigenes-Passwort-7", actor=Actor("bernd", "helper"))
    assert not authenticate(engine, "bernd", "Mein-eigenes-Passwort-7").must_change_password


def test_list_shows_email_and_last_sign_in(two: Engine) -> None:
    assert _row(two, "erika").last_sign_in is None
    open_session(two, authenticate(two, "erika", PW), hours=1)
    row = _row(two, "erika")
    assert row.last_sign_in is not None and row.last_sign_in.tzinfo is not None
    assert [a.name for a in list_accounts(two, actor=ADA)] == ["ada", "erika"]


def test_an_e_mail_is_unique(two: Engine) -> None:
    set_email(two, "erika", "erika@stadt.de", actor=ADA)
    before = _users(two)
    with pytest.raises(ValidationError) as err:
        set_email(two, "ada", "ERIKA@stadt.de", actor=ADA)
    assert err.value.field == "email" and "erika" in err.value.message_de
    with pytest.raises(ValidationError) as err:
        create_account(two, "bernd", "helper", "erika@stadt.de", actor=ADA)
    assert err.value.field == "email"
    assert _users(two) == before


@pytest.mark.parametrize("email", [
    "erika", "erika@", "@stadt.de", "erika@stadt", "er ika@stadt.de", "erika@@stadt.de",
    "erika..m@stadt.de", ".erika@stadt.de", "erika@stadt..de", "erika@-stadt.de",
    "<img src=x onerror=alert(1)>@stadt.de", "[klick](http://x.example)@stadt.de",
    "**fett**@stadt.de", "erika@stadt.de\nbernd@stadt.de", "erika!@stadt.de",
    "a" * 65 + "@stadt.de", "erika@" + "s" * 250 + ".de", "erika@stadt.de; bernd@stadt.de",
])
def test_a_bad_e_mail_names_the_field_and_stores_nothing(two: Engine, email: str) -> None:
    before, log = _users(two), _audit(two)
    with pytest.raises(ValidationError) as err:
        set_email(two, "erika", email, actor=ADA)
    assert err.value.field == "email" and "E-Mail" in err.value.message_de
    assert "e-mail" in err.value.message_en
    with pytest.raises(ValidationError):
        create_account(two, "bernd", "helper", email, actor=ADA)
    assert (_users(two), _audit(two)) == (before, log)


def test_set_and_remove_the_e_mail(two: Engine) -> None:
    assert set_email(two, "erika", "erika@stadt.de", actor=ADA)
    assert not set_email(two, "erika", " Erika@Stadt.de ", actor=ADA)  # unchanged: no audit
    assert set_email(two, "erika", "", actor=ADA)
    assert _row(two, "erika").email is None
    assert [(a, d) for _, a, d in _audit(two)][-2:] == [
        ("set_email", {"name": "erika", "old": None, "new": "erika@stadt.de"}),
        ("set_email", {"name": "erika", "old": "erika@stadt.de", "new": None})]


# ------------------------------------------------------------------------------- roles


def test_change_role_takes_effect_at_the_next_page_view(two: Engine) -> None:
    tablet = open_session(two, authenticate(two, "erika", PW), hours=1).session_id
    version = _row(two, "erika").version
    assert change_role(two, "Erika", "planner", actor=ADA, expected_version=version)
    state = lookup(two, tablet, idle_minutes=60)
    assert state is not None and state.user.role == "planner"
    assert not change_role(two, "erika", "planner", actor=ADA)
    assert _row(two, "erika").version == version + 1
    assert _audit(two)[-1] == ("ada", "change_role",
                               {"name": "erika", "old": "helper", "new": "planner"})


@pytest.mark.parametrize("role", ["root", "", "Admin", "system"])
def test_an_unknown_role_is_refused(two: Engine, role: str) -> None:
    before = _users(two)
    with pytest.raises(ValidationError) as err:
        change_role(two, "erika", role, actor=ADA)
    assert err.value.field == "role"
    assert _users(two) == before


def test_an_unknown_account_is_not_found(two: Engine) -> None:
    calls: list[Callable[[], object]] = [
        lambda: change_role(two, "niemand", "helper", actor=ADA),
        lambda: set_email(two, "niemand", "n@stadt.de", actor=ADA),
        lambda: reset_password(two, "niemand", actor=ADA),
        lambda: reactivate_user(two, "niemand", actor=ADA),
        lambda: deactivate_user(two, "niemand", actor=ADA)]
    for call in calls:
        with pytest.raises(NotFoundError):
            call()


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(two: Engine) -> None:
    before = _users(two)
    with pytest.raises(ValidationError) as err:
        change_role(two, "ada", "planner", actor=ADA)
    assert err.value.field == "role" and "letzte aktive Admin" in err.value.message_de
    with pytest.raises(ValidationError, match="last admin") as err:
        deactivate_user(two, "ada", actor=ADA)
    assert err.value.field == "active"
    assert _users(two) == before
    create_user(two, "bea", "admin", PW, actor=SYSTEM)
    deactivate_user(two, "bea", actor=ADA)  # a deactivated admin does not count
    with pytest.raises(ValidationError):
        change_role(two, "ada", "planner", actor=ADA)
    reactivate_user(two, "bea", actor=ADA)
    assert change_role(two, "ada", "planner", actor=Actor("bea", "admin"))
    with pytest.raises(ValidationError):
        change_role(two, "bea", "helper", actor=Actor("bea", "admin"))  # nor oneself


def _slow_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between counting the admins and committing, so two transactions that
    were not serialised would both count two admins."""
    original = account_rules.keep_an_admin

    def slow(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        time.sleep(0.4)

    monkeypatch.setattr(admin_ops, "keep_an_admin", slow)
    monkeypatch.setattr(users, "keep_an_admin", slow)


def _race(engine: Engine, first: Callable[[], object],
          second: Callable[[], object]) -> list[str]:
    start = threading.Barrier(2)
    outcome: list[str] = []

    def attempt(call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
            outcome.append("done")
        except ValidationError as exc:
            assert exc.field in {"role", "active"}
            outcome.append("refused")

    threads = [threading.Thread(target=attempt, args=(c,)) for c in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(outcome)


def _active_admins(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(User.name).where(User.role == "admin",
                                                            User.active.is_(True))))


@pytest.mark.parametrize("how", ["demote", "deactivate", "mixed"])
def test_two_admins_removing_each_other_at_once_leave_one(
        engine: Engine, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    create_user(engine, "ada", "admin", PW, actor=SYSTEM)
    create_user(engine, "bea", "admin", PW, actor=SYSTEM)
    _slow_count(monkeypatch)
    ada, bea = Actor("ada", "admin"), Actor("bea", "admin")

    def demote(who: str, by: Actor) -> Callable[[], object]:
        return lambda: change_role(engine, who, "planner", actor=by)

    def deactivate(who: str, by: Actor) -> Callable[[], object]:
        return lambda: deactivate_user(engine, who, actor=by)

    first = (deactivate if how == "deactivate" else demote)("bea", ada)
    second = (demote if how == "demote" else deactivate)("ada", bea)
    assert _race(engine, first, second) == ["done", "refused"]
    assert len(_active_admins(engine)) == 1


@pytest.mark.postgres
def test_the_race_test_sees_the_bug_without_the_lock(
        pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the advisory lock, PostgreSQL lets both demotions through (READ COMMITTED:
    each transaction counts two admins), so the test above would notice a missing lock.
    PostgreSQL only: SQLite serialises writers with BEGIN IMMEDIATE anyway."""
    engine = make_engine(_new_pg_db(pg_server))
    create_user(engine, "ada", "admin", PW, actor=SYSTEM)
    create_user(engine, "bea", "admin", PW, actor=SYSTEM)
    _slow_count(monkeypatch)
    monkeypatch.setattr(admin_ops, "lock_admins", lambda session: None)
    assert _race(engine, lambda: change_role(engine, "bea", "planner", actor=ADA),
                 lambda: change_role(engine, "ada", "planner",
                                     actor=Actor("bea", "admin"))) == ["done", "done"]
    assert _active_admins(engine) == []
    engine.dispose()


# ----------------------------------------------------------------- passwords and access


def test_reset_password_ends_sessions_lifts_the_lock_and_must_be_changed(two: Engine) -> None:
    tablet = open_session(two, authenticate(two, "erika", PW), hours=1).session_id
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            authenticate(two, "erika", "falsch-falsch-1")
    with pytest.raises(TooManyAttemptsError):
        authenticate(two, "erika", PW)
    one_time = reset_password(two, "erika", actor=ADA,
                              expected_version=_row(two, "erika").version)
    assert lookup(two, tablet, idle_minutes=60) is None
    with pytest.raises(AuthenticationError):
        authenticate(two, "erika", PW)
    user = authenticate(two, "erika", one_time)
    assert user.must_change_password and _row(two, "erika").must_change_password
    state = lookup(two, open_session(two, user, hours=1).session_id, idle_minutes=60)
    assert state is not None and state.user.must_change_password
    actor, action, detail = _audit(two)[-1]
    assert (actor, action, detail) == ("ada", "reset_password", {"name": "erika"})
    with Session(two) as session:
        stored = session.scalar(select(User.password_hash).where(User.name == "erika"))
    assert stored is not None and one_time not in stored and stored.startswith("$argon2id$")
    assert reset_password(two, "erika", actor=ADA) != one_time


def test_deactivate_and_reactivate(two: Engine) -> None:
    tablet = open_session(two, authenticate(two, "erika", PW), hours=1).session_id
    deactivate_user(two, "erika", actor=ADA, expected_version=_row(two, "erika").version)
    assert lookup(two, tablet, idle_minutes=60) is None
    with pytest.raises(AuthenticationError):
        authenticate(two, "erika", PW)
    assert reactivate_user(two, "erika", actor=ADA, expected_version=_row(two, "erika").version)
    assert not reactivate_user(two, "erika", actor=ADA)
    assert authenticate(two, "erika", PW).active
    assert lookup(two, tablet, idle_minutes=60) is None  # the old sessions stay ended
    assert [a for _, a, _ in _audit(two)][-2:] == ["deactivate", "reactivate"]


# ------------------------------------------------------- two admins edit the same account


EDITS: dict[str, Callable[[Engine, int], object]] = {
    "change_role": lambda e, v: change_role(e, "erika", "moderator", actor=ADA,
                                            expected_version=v),
    "set_email": lambda e, v: set_email(e, "erika", "e@stadt.de", actor=ADA,
                                        expected_version=v),
    "reset_password": lambda e, v: reset_password(e, "erika", actor=ADA, expected_version=v),
    "deactivate_user": lambda e, v: deactivate_user(e, "erika", actor=ADA,
                                                    expected_version=v),
    "reactivate_user": lambda e, v: reactivate_user(e, "erika", actor=ADA,
                                                    expected_version=v),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_form_of_an_older_version_is_a_conflict_not_an_overwrite(two: Engine,
                                                                   edit: str) -> None:
    shown = _row(two, "erika").version  # both admins open the account
    if edit == "reactivate_user":
        deactivate_user(two, "erika", actor=SYSTEM)
        shown = _row(two, "erika").version
    change_role(two, "erika", "planner", actor=Actor("bea", "admin"), expected_version=shown)
    before, log = _users(two), _audit(two)
    with pytest.raises(StaleAccountError) as err:
        EDITS[edit](two, shown)
    assert "inzwischen von jemand anderem geändert" in err.value.message_de
    assert "erika" in err.value.message_de and "someone else" in err.value.message_en
    assert (_users(two), _audit(two)) == (before, log)
    EDITS[edit](two, _row(two, "erika").version)  # with the current version it goes through
    assert _audit(two) != log
