"""Accounts on real SQLite and PostgreSQL: create, sign in, rehash, deactivate, demo users."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.auth import (
    AuthenticationError,
    check_password_policy,
    needs_rehash,
)
from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.sessions import lookup, open_session
from stadtraum.accounts.sign_in_guard import MAX_FAILURES, WINDOW, TooManyAttemptsError
from stadtraum.accounts.users import (
    DEMO_USERS,
    SIGN_IN_FAILED_DE,
    AuthUser,
    authenticate,
    create_user,
    deactivate_user,
    end_sessions,
    ensure_demo_users,
    generate_password,
    list_users,
    set_password,
)
from stadtraum.errors import NotFoundError, ValidationError
from stadtraum.store.db import AuditEntry, User

PW = "Quartier-2027"


def _hash_of(engine: Engine, name: str) -> str:
    with Session(engine) as session:
        return session.scalars(select(User.password_hash).where(User.name == name)).one()


def _failed_message(engine: Engine, name: str, password: str) -> tuple[str, str]:
    with pytest.raises(AuthenticationError) as exc:
        authenticate(engine, name, password)
    return exc.value.message_de, exc.value.message_en


def test_create_and_authenticate(engine: Engine) -> None:
    uid = create_user(engine, "erika.m", "helper", PW, actor=Actor("test", "admin"))
    assert authenticate(engine, "erika.m", PW) == AuthUser(uid, "erika.m", "helper")
    assert authenticate(engine, "  Erika.M ", PW).id == uid  # tablet keyboards capitalise
    stored = _hash_of(engine, "erika.m")
    assert stored.startswith("$argon2id$") and PW not in stored
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "create")).one()
    assert (entry.actor, entry.action, entry.object_id) == ("test", "create", str(uid))
    assert json.loads(entry.detail or "{}") == {"name": "erika.m", "role": "helper"}
    assert PW not in (entry.detail or "")


def test_wrong_password_unknown_name_and_inactive_look_the_same(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    create_user(engine, "admin", "admin", PW, actor=SYSTEM)
    wrong = _failed_message(engine, "erika", PW + "x")
    unknown = _failed_message(engine, "niemand", PW)
    empty = _failed_message(engine, "", "")
    deactivate_user(engine, "erika", actor=Actor("admin", "admin"))
    inactive = _failed_message(engine, "erika", PW)
    assert wrong == unknown == empty == inactive
    assert wrong[0] == SIGN_IN_FAILED_DE and "erika" not in wrong[0]
    assert _alive(engine, _session_of(engine, authenticate(engine, "admin", PW)))


def test_sign_ins_and_failed_sign_ins_are_audited(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    uid = authenticate(engine, "Erika", PW, source="10.0.0.7").id
    authenticate(engine, "erika", PW, source="10.0.0.7", method="unlock")
    _failed_message(engine, "erika", PW + "x")
    _failed_message(engine, "niemand", PW)
    deactivate_user(engine, "erika", actor=Actor("ada", "admin"))
    _failed_message(engine, "erika", PW)
    with Session(engine) as session:
        rows = session.execute(select(AuditEntry.actor, AuditEntry.action,
                                      AuditEntry.object_id, AuditEntry.detail)
                               .where(AuditEntry.action.like("sign_in%"))
                               .order_by(AuditEntry.id)).all()
    assert [(a, act, o, json.loads(d or "{}")) for a, act, o, d in rows] == [
        ("erika", "sign_in", str(uid), {"method": "password", "source": "10.0.0.7"}),
        ("erika", "sign_in", str(uid), {"method": "unlock", "source": "10.0.0.7"}),
        (None, "sign_in_failed", "erika",
         {"method": "password", "source": "", "reason": "wrong password"}),
        # a name no account has is not kept: it may be a password typed into the wrong field
        (None, "sign_in_failed", None,
         {"method": "password", "source": "", "reason": "unknown name"}),
        (None, "sign_in_failed", "erika",
         {"method": "password", "source": "", "reason": "account deactivated"}),
    ]
    assert all(PW not in (d or "") for *_, d in rows)
    assert all("niemand" not in f"{o} {d}" for _, _, o, d in rows)


def test_a_refusal_by_the_guard_writes_no_entry(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    for _ in range(MAX_FAILURES):
        _failed_message(engine, "erika", "falsch-falsch-1")
    with pytest.raises(TooManyAttemptsError):
        authenticate(engine, "erika", PW)
    with Session(engine) as session:
        failed = session.scalars(select(AuditEntry.action)
                                 .where(AuditEntry.action == "sign_in_failed")).all()
    assert len(failed) == MAX_FAILURES


def test_duplicate_name_is_a_german_validation_error(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        create_user(engine, " ERIKA", "admin", "Anderes-Passwort-1", actor=SYSTEM)
    assert exc.value.field == "name" and "gibt es schon" in exc.value.message_de
    assert [u.role for u in list_users(engine)] == ["helper"]


@pytest.mark.parametrize(("name", "role", "password", "field"), [
    ("ab", "helper", PW, "name"),
    ("x" * 51, "helper", PW, "name"),
    ("erika müller", "helper", PW, "name"),
    ("erika/../x", "helper", PW, "name"),
    ("erika", "root", PW, "role"),
    ("erika", "helper", "kurz", "password"),
    ("erika", "helper", "nurkleinbuchstaben", "password"),
])
def test_invalid_input_stores_nothing(engine: Engine, name: str, role: str, password: str,
                                      field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        create_user(engine, name, role, password, actor=SYSTEM)
    assert exc.value.field == field
    assert list_users(engine) == []


def test_outdated_hash_is_upgraded_at_sign_in(engine: Engine) -> None:
    uid = create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PW)
    with Session(engine) as session, session.begin():
        session.execute(update(User).where(User.id == uid).values(password_hash=weak))
    with pytest.raises(AuthenticationError):
        authenticate(engine, "erika", "falsch-falsch-1")
    assert _hash_of(engine, "erika") == weak  # a failed sign-in changes nothing
    authenticate(engine, "erika", PW)
    upgraded = _hash_of(engine, "erika")
    assert upgraded != weak and upgraded.startswith("$argon2id$") and not needs_rehash(upgraded)
    assert authenticate(engine, "erika", PW).id == uid


def test_set_password(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    set_password(engine, "Erika", "Neues-Passwort-9", actor=Actor("admin", "admin"))
    _failed_message(engine, "erika", PW)
    assert authenticate(engine, "erika", "Neues-Passwort-9").name == "erika"
    with pytest.raises(ValidationError):
        set_password(engine, "erika", "kurz", actor=SYSTEM)
    with pytest.raises(NotFoundError):
        set_password(engine, "niemand", "Neues-Passwort-9", actor=SYSTEM)


def test_deactivate_and_the_last_admin(engine: Engine) -> None:
    helper = create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    create_user(engine, "admin", "admin", PW, actor=SYSTEM)
    tablet = _session_of(engine, authenticate(engine, "erika", PW))
    state = lookup(engine, tablet, idle_minutes=60)
    assert state is not None and state.user == AuthUser(helper, "erika", "helper")
    deactivate_user(engine, "erika", actor=SYSTEM)
    deactivate_user(engine, "erika", actor=SYSTEM)  # idempotent
    assert not _alive(engine, tablet)
    assert [(u.name, u.active) for u in list_users(engine)] == [("admin", True),
                                                                ("erika", False)]
    with pytest.raises(ValidationError, match="last admin"):
        deactivate_user(engine, "admin", actor=SYSTEM)
    create_user(engine, "admin2", "admin", PW, actor=SYSTEM)
    deactivate_user(engine, "admin", actor=SYSTEM)
    with pytest.raises(NotFoundError):
        deactivate_user(engine, "niemand", actor=SYSTEM)


def _session_of(engine: Engine, user: AuthUser) -> str:
    return open_session(engine, user, hours=10).session_id


def _alive(engine: Engine, session_id: str) -> bool:
    return lookup(engine, session_id, idle_minutes=60) is not None


def test_a_new_password_ends_every_earlier_session(engine: Engine) -> None:
    """A cookie or an open tab from before the change no longer signs in; a sign-in with the
    new password does."""
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    old = _session_of(engine, authenticate(engine, "erika", PW))
    assert _alive(engine, old)
    set_password(engine, "erika", "Neues-Passwort-9", actor=Actor("admin", "admin"))
    assert not _alive(engine, old)
    assert _alive(engine, _session_of(engine, authenticate(engine, "erika", "Neues-Passwort-9")))


def test_end_sessions_signs_out_everywhere_and_keeps_the_password(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    old = _session_of(engine, authenticate(engine, "erika", PW))
    end_sessions(engine, "Erika", actor=Actor("ada", "admin"))
    assert not _alive(engine, old)
    assert _alive(engine, _session_of(engine, authenticate(engine, "erika", PW)))
    with Session(engine) as session:
        actions = session.scalars(select(AuditEntry.action)
                                  .where(AuditEntry.object_type == "user")
                                  .order_by(AuditEntry.id)).all()
    assert actions == ["create", "sign_in", "end_sessions", "sign_in"]
    with pytest.raises(NotFoundError):
        end_sessions(engine, "niemand", actor=SYSTEM)


T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def _fail(engine: Engine, name: str, times: int, at: dt.datetime) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationError) as exc:
            authenticate(engine, name, "falsch-falsch-1", now=at)
        assert type(exc.value) is AuthenticationError  # wrong password, not yet throttled


def test_repeated_failures_lock_the_name_for_a_while(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    _fail(engine, "erika", MAX_FAILURES, T0)
    # now even the right password is refused without being checked, with a German hint
    with pytest.raises(TooManyAttemptsError) as exc:
        authenticate(engine, " Erika", PW, now=T0 + dt.timedelta(minutes=1))
    assert "in 14 Minuten erneut" in exc.value.message_de
    # another name is not affected
    create_user(engine, "otto", "helper", PW, actor=SYSTEM)
    assert authenticate(engine, "otto", PW, now=T0).name == "otto"
    # after the window, the right password works and clears the count
    later = T0 + WINDOW + dt.timedelta(seconds=1)
    assert authenticate(engine, "erika", PW, now=later).name == "erika"
    _fail(engine, "erika", MAX_FAILURES - 1, later)
    assert authenticate(engine, "erika", PW, now=later).name == "erika"


def test_unknown_names_are_throttled_the_same_way(engine: Engine) -> None:
    """The lock-out says nothing about whether a name exists."""
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    for name in ("erika", "niemand"):
        _fail(engine, name, MAX_FAILURES, T0)
        with pytest.raises(TooManyAttemptsError) as exc:
            authenticate(engine, name, PW, now=T0)
        assert "in 15 Minuten" in exc.value.message_de


def test_a_new_password_lifts_the_lock(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    _fail(engine, "erika", MAX_FAILURES, T0)
    set_password(engine, "erika", "Neues-Passwort-9", actor=Actor("ada", "admin"))
    assert authenticate(engine, "erika", "Neues-Passwort-9", now=T0).name == "erika"


def test_generated_passwords_are_long_readable_random_and_meet_the_policy() -> None:
    passwords = {generate_password() for _ in range(200)}
    assert len(passwords) == 200
    for pw in passwords:
        assert len(pw.replace("-", "")) >= 16
        assert not set(pw) & set("0O1lI")
        check_password_policy(pw)


def test_ensure_demo_users_once_with_working_passwords(engine: Engine) -> None:
    created = ensure_demo_users(engine)
    assert set(created) == {"helfer", "moderation", "planung", "admin"}
    assert len(set(created.values())) == 4
    for name, password in created.items():
        user = authenticate(engine, name, password)
        assert user.role == DEMO_USERS[name]
    assert ensure_demo_users(engine) == {}
    assert len(list_users(engine)) == 4
    for name, password in created.items():  # the second call changed no password
        authenticate(engine, name, password)


def test_ensure_demo_users_fills_only_the_missing_ones(engine: Engine) -> None:
    create_user(engine, "admin", "admin", PW, actor=SYSTEM)
    created = ensure_demo_users(engine)
    assert set(created) == {"helfer", "moderation", "planung"}
    assert authenticate(engine, "admin", PW).role == "admin"
