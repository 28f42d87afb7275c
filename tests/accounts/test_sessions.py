"""Server-side sessions and the sign-in throttle on real SQLite and PostgreSQL (issue 9,
items 1, 2 and 4): sign-out, "end all sessions", a new password and deactivation end the
session row; the idle lock lives in the row; the cookie holds only a signed random id; parallel
wrong passwords cannot check more than the limit; one address cannot lock out another."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts import users
from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.accounts.sessions import (
    CODE_SECONDS,
    end_session,
    exchange_code,
    lock_session,
    lookup,
    open_session,
    session_hash,
    sign_cookie,
    unlock_session,
    verify_cookie,
)
from stadtraum.accounts.sign_in_guard import MAX_FAILURES, WINDOW, TooManyAttemptsError
from stadtraum.accounts.users import (
    SignInUnavailableError,
    authenticate,
    create_user,
    deactivate_user,
    end_sessions,
    set_password,
    unlock_sign_in,
)
from stadtraum.errors import PermissionDeniedError
from stadtraum.store.db import SignInFailure, UserSession
from stadtraum.store.engine import make_engine

PW = "Quartier-2027"
SECRET = b"s" * 32
NOW = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)


def _signed_in(engine: Engine, name: str = "erika") -> tuple[users.AuthUser, str]:
    create_user(engine, name, "helper", PW, actor=SYSTEM)
    user = authenticate(engine, name, PW, now=NOW)
    opened = open_session(engine, user, hours=10, now=NOW)
    assert exchange_code(engine, opened.code, now=NOW) == opened.session_id
    return user, opened.session_id


def test_a_session_signs_in_until_it_is_ended(engine: Engine) -> None:
    user, sid = _signed_in(engine)
    state = lookup(engine, sid, idle_minutes=20, now=NOW)
    assert state is not None and state.user == user and not state.locked
    end_session(engine, sid, now=NOW)
    # the same cookie in a fresh browser, or this tab after a reload: signed out
    assert lookup(engine, sid, idle_minutes=20, now=NOW) is None
    assert lookup(make_engine(str(engine.url.render_as_string(hide_password=False))), sid,
                  idle_minutes=20, now=NOW) is None


def test_the_database_keeps_no_session_id_or_code_in_clear(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    user = authenticate(engine, "erika", PW, now=NOW)
    opened = open_session(engine, user, hours=10, now=NOW)
    with Session(engine) as session:
        row = session.scalars(select(UserSession)).one()
        stored = " ".join(str(v) for v in (row.id_hash, row.code_hash, row.code_seal))
    assert opened.session_id not in stored and opened.code not in stored
    assert row.id_hash == session_hash(opened.session_id)


def test_the_code_is_spent_once_and_only_while_fresh(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    user = authenticate(engine, "erika", PW, now=NOW)
    first = open_session(engine, user, hours=10, now=NOW)
    assert exchange_code(engine, first.code, now=NOW) == first.session_id
    assert exchange_code(engine, first.code, now=NOW) is None  # replayed
    late = open_session(engine, user, hours=10, now=NOW)
    later = NOW + dt.timedelta(seconds=CODE_SECONDS + 1)
    assert exchange_code(engine, late.code, now=later) is None
    assert exchange_code(engine, late.code, now=NOW) is None  # a late try spends it too
    ended = open_session(engine, user, hours=10, now=NOW)
    end_session(engine, ended.session_id, now=NOW)
    assert exchange_code(engine, ended.code, now=NOW) is None
    for junk in (None, "", "x" * 30, 42, "a" * 500):
        assert exchange_code(engine, junk, now=NOW) is None


def test_the_cookie_is_signed_and_carries_only_the_id() -> None:
    sid = "A" * 43
    value = sign_cookie(sid, SECRET)
    assert value.startswith(sid + ".") and verify_cookie(value, SECRET) == sid
    mac = value.split(".")[1]
    assert verify_cookie(f"{'B' * 43}.{mac}", SECRET) is None
    assert verify_cookie(value, b"t" * 32) is None
    assert verify_cookie(value + "x", SECRET) is None
    assert verify_cookie(value, b"") is None
    with pytest.raises(ValueError):
        sign_cookie(sid, b"short")


@pytest.mark.parametrize("junk", [None, 42, b"a.b", ["a", "b"], "", ".", "..", "a.b.c",
                                  "A" * 43, "A" * 43 + ".", "é" * 50 + ".x", "\x00.\x00",
                                  "x" * 300, "A" * 42 + "!." + "B" * 43])
def test_a_junk_cookie_is_none_never_an_exception(junk: object) -> None:
    assert verify_cookie(junk, SECRET) is None


def test_the_idle_lock_is_kept_in_the_row(engine: Engine) -> None:
    _, sid = _signed_in(engine)
    later = NOW + dt.timedelta(minutes=21)
    assert lookup(engine, sid, idle_minutes=20, now=later).locked  # type: ignore[union-attr]
    # a reload, a new tab or a restarted app process: still locked, even right away
    fresh = make_engine(str(engine.url.render_as_string(hide_password=False)))
    assert lookup(fresh, sid, idle_minutes=20, now=later).locked  # type: ignore[union-attr]
    unlock_session(engine, sid, now=later)
    assert not lookup(engine, sid, idle_minutes=20, now=later).locked  # type: ignore[union-attr]
    lock_session(engine, sid)
    assert lookup(engine, sid, idle_minutes=20, now=later).locked  # type: ignore[union-attr]


def test_activity_moves_the_idle_clock(engine: Engine) -> None:
    _, sid = _signed_in(engine)
    for minute in range(0, 60, 10):  # busy for an hour, never idle 20 minutes
        state = lookup(engine, sid, idle_minutes=20, now=NOW + dt.timedelta(minutes=minute))
        assert state is not None and not state.locked


def test_an_expired_session_signs_in_nowhere(engine: Engine) -> None:
    _, sid = _signed_in(engine)
    assert lookup(engine, sid, idle_minutes=10_000, now=NOW + dt.timedelta(hours=10)) is None


@pytest.mark.parametrize("end", ["password", "end_all", "deactivated"])
def test_account_changes_end_every_session(engine: Engine, end: str) -> None:
    create_user(engine, "admin2", "admin", PW, actor=SYSTEM)  # so erika is not the last admin
    _, sid = _signed_in(engine)
    user = authenticate(engine, "erika", PW, now=NOW)
    other = open_session(engine, user, hours=10, now=NOW).session_id  # a second tablet
    if end == "password":
        set_password(engine, "erika", "Ganz-Neues-Passwort-1", actor=SYSTEM)
    elif end == "end_all":
        end_sessions(engine, "erika", actor=SYSTEM)
    else:
        deactivate_user(engine, "erika", actor=SYSTEM)
    assert lookup(engine, sid, 20, now=NOW) is None and lookup(engine, other, 20, now=NOW) is None
    with Session(engine) as session:
        reasons = set(session.scalars(select(UserSession.ended_reason)))
    assert reasons == {end}


def _attempts(engine: Engine, n: int, password: str, source: str = "") -> tuple[int, int]:
    """n parallel sign-ins; (how many got to the password check, how many were refused)."""
    barrier = threading.Barrier(n)
    checked, refused = [0], [0]
    lock = threading.Lock()

    def attempt() -> None:
        barrier.wait()
        try:
            authenticate(engine, "erika", password, source=source)
        except TooManyAttemptsError:
            with lock:
                refused[0] += 1
        except AuthenticationError:
            with lock:
                checked[0] += 1
        else:
            with lock:
                checked[0] += 1

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return checked[0], refused[0]


def test_parallel_wrong_passwords_check_at_most_the_limit(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    checked, refused = _attempts(engine, 30, "falsch-falsch-1")
    assert checked == MAX_FAILURES and refused == 30 - MAX_FAILURES
    with pytest.raises(TooManyAttemptsError):  # even the right password now
        authenticate(engine, "erika", PW)


def test_right_passwords_are_never_held_up_for_long(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    for _ in range(3 * MAX_FAILURES):  # one tablet after another: never refused
        assert authenticate(engine, "erika", PW).name == "erika"
    # at the same instant an attempt in flight counts until its password is known, so a burst
    # from one address checks at most the limit at once; once they are through, it is clear
    checked, refused = _attempts(engine, 8, PW)
    assert checked + refused == 8 and 1 <= checked <= MAX_FAILURES
    assert authenticate(engine, "erika", PW).name == "erika"


def _lock_out(engine: Engine, source: str) -> None:
    """erika with MAX_FAILURES wrong passwords from ``source``: even the right one is refused."""
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            authenticate(engine, "erika", "falsch-falsch-1", now=NOW, source=source)
    with pytest.raises(TooManyAttemptsError):
        authenticate(engine, "erika", PW, now=NOW, source=source)


def test_failures_from_one_address_do_not_lock_out_another(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    _lock_out(engine, "203.0.113.9")
    assert authenticate(engine, "erika", PW, now=NOW, source="10.1.2.3").name == "erika"
    later = NOW + WINDOW + dt.timedelta(seconds=1)
    assert authenticate(engine, "erika", PW, now=later, source="203.0.113.9").name == "erika"


def test_an_admin_lifts_the_lock_and_nobody_else_may(engine: Engine) -> None:
    create_user(engine, "erika", "helper", PW, actor=SYSTEM)
    _lock_out(engine, "a")
    with pytest.raises(PermissionDeniedError):
        unlock_sign_in(engine, "erika", actor=Actor("helga", "helper"))
    with pytest.raises(TooManyAttemptsError):
        authenticate(engine, "erika", PW, now=NOW, source="a")
    assert unlock_sign_in(engine, " Erika ", actor=Actor("ada", "admin")) == MAX_FAILURES
    assert authenticate(engine, "erika", PW, now=NOW, source="a").name == "erika"
    assert unlock_sign_in(engine, "erika", actor=SYSTEM) == 0
    with Session(engine) as session:
        assert session.scalar(select(SignInFailure.id)) is None


def test_a_read_only_database_gives_a_clear_sign_in_error(db_url: str) -> None:
    setup = make_engine(db_url)
    create_user(setup, "erika", "helper", PW, actor=SYSTEM)
    setup.dispose()
    engine = make_engine(db_url)

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_conn: object, _record: object) -> None:
        cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
        if db_url.startswith("sqlite"):
            cur.execute("PRAGMA query_only = ON")
        else:
            cur.execute("SET default_transaction_read_only = on")
        cur.close()
        if not db_url.startswith("sqlite"):
            dbapi_conn.commit()  # type: ignore[attr-defined]

    for password in ("falsch-falsch-1", PW):
        with pytest.raises(SignInUnavailableError) as err:
            authenticate(engine, "erika", password)
        assert "nicht möglich" in err.value.message_de
    engine.dispose()
