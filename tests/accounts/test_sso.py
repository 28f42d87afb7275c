"""Single sign-on's matching rules and its use case on real SQLite and PostgreSQL: the provider's
e-mail finds the account case-insensitively; unknown, deactivated, unverified, missing and
stale identities are refused and audited without the e-mail; a matched identity gets a session
that "end all sessions" and deactivation end. Also the STADTRAUM_OIDC_* settings and the
[auth] secrets built from them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.accounts.sessions import exchange_code, lookup, open_session
from stadtraum.accounts.sso import (
    FRESH_SECONDS,
    SsoRefusedError,
    cookie_exchanged,
    load_oidc,
    matched_email,
    sso_sign_in,
    streamlit_secrets,
)
from stadtraum.accounts.users import create_user, deactivate_user, end_sessions
from stadtraum.config import OIDC_SETTINGS
from stadtraum.errors import ValidationError
from stadtraum.store.db import AuditEntry

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
PASSWORD = "Sso-Test-Passwort-1"
ROOT = Path(__file__).resolve().parents[2]
ADA_EMAIL = "ada.lovelace@stadt.example"


def claims(email: object = "Ada.Lovelace@Stadt.Example", verified: object = True,
           age: float = 10) -> dict[str, object]:
    return {"email": email, "email_verified": verified, "iat": NOW.timestamp() - age,
            "sub": "provider-subject-1", "name": "Ada"}


def entries(engine: Engine) -> list[tuple[str | None, str, str | None, dict[str, object]]]:
    with Session(engine) as session:
        rows = session.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.object_id,
                                      AuditEntry.detail)
                               .where(AuditEntry.action.like("sign_in%"))
                               .order_by(AuditEntry.id)).all()
    return [(a, b, c, json.loads(d or "{}")) for a, b, c, d in rows]


# --- the pure rules --------------------------------------------------------------------------

def test_the_e_mail_is_trimmed_and_lower_cased() -> None:
    assert matched_email(claims(" Ada.Lovelace@Stadt.Example "), require_verified=True,
                         now=NOW) == "ada.lovelace@stadt.example"


@pytest.mark.parametrize(("value", "reason"), [
    (claims(email=None), "no email"), (claims(email=""), "no email"),
    (claims(email=42), "no email"), (claims(email="no-at-sign"), "no email"),
    (claims(email="a@b@c.de"), "no email"), (claims(email="x" * 250 + "@s.de"), "no email"),
    (claims(verified=False), "email unverified"), (claims(verified=None), "email unverified"),
    (claims(verified="false"), "email unverified"), (claims(verified=1), "email unverified"),
    (claims(age=FRESH_SECONDS + 1), "stale identity"), (claims(age=-3600), "stale identity"),
    ({"email": "a@stadt.de", "email_verified": True}, "stale identity"),  # no iat at all
])
def test_refusals_name_their_reason(value: dict[str, object], reason: str) -> None:
    with pytest.raises(SsoRefusedError) as exc:
        matched_email(value, require_verified=True, now=NOW)
    assert exc.value.reason == reason
    assert exc.value.message_de.startswith("Anmeldung über Single Sign-on abgelehnt: ")
    assert exc.value.message_en and exc.value.message_en.startswith("Single sign-on refused")


def test_the_string_true_counts_as_verified_and_the_check_can_be_switched_off() -> None:
    assert matched_email(claims(verified="true"), require_verified=True, now=NOW)
    assert matched_email(claims(verified=False), require_verified=False, now=NOW) \
        == "ada.lovelace@stadt.example"
    with pytest.raises(SsoRefusedError):  # freshness is never switched off
        matched_email(claims(verified=False, age=FRESH_SECONDS * 2), require_verified=False,
                      now=NOW)


# --- the use case on both databases ----------------------------------------------------------

def test_the_account_is_found_by_e_mail_case_insensitively_and_audited_as_sso(
        engine: Engine) -> None:
    uid = create_user(engine, "ada", "planner", PASSWORD, actor=SYSTEM,
                      email="ada.lovelace@stadt.example")
    create_user(engine, "bob", "admin", PASSWORD, actor=SYSTEM, email="bob@stadt.example")
    user = sso_sign_in(engine, claims(), source="10.0.0.7", provider="Stadt-Login", now=NOW)
    assert (user.id, user.name, user.role, user.active) == (uid, "ada", "planner", True)
    assert entries(engine) == [("ada", "sign_in", str(uid),
                                {"method": "sso", "source": "10.0.0.7",
                                 "provider": "Stadt-Login"})]


def test_an_unknown_e_mail_is_refused_and_the_entry_holds_no_e_mail(engine: Engine) -> None:
    create_user(engine, "ada", "planner", PASSWORD, actor=SYSTEM, email="ada@stadt.example")
    with pytest.raises(SsoRefusedError) as exc:
        sso_sign_in(engine, claims("Mallory@Stadt.Example"), source="10.0.0.9", now=NOW)
    assert exc.value.reason == "unknown email"
    assert "kein Konto" in exc.value.message_de
    [(actor, action, object_id, detail)] = entries(engine)
    assert (actor, action, object_id) == (None, "sign_in_failed", "")
    assert detail == {"method": "sso", "source": "10.0.0.9", "reason": "unknown email",
                      "provider": ""}
    with Session(engine) as session:
        everything = " ".join(d or "" for d in session.scalars(select(AuditEntry.detail)))
        objects = " ".join(o or "" for o in session.scalars(select(AuditEntry.object_id)))
    assert "mallory" not in (everything + objects).lower()


def test_a_deactivated_account_is_refused_by_name(engine: Engine) -> None:
    create_user(engine, "ada", "planner", PASSWORD, actor=SYSTEM, email=ADA_EMAIL)
    create_user(engine, "root", "admin", PASSWORD, actor=SYSTEM)
    deactivate_user(engine, "ada", actor=SYSTEM)
    with pytest.raises(SsoRefusedError) as exc:
        sso_sign_in(engine, claims(), now=NOW)
    assert exc.value.reason == "account deactivated"
    assert "deaktiviert" in exc.value.message_de
    assert [e[:3] for e in entries(engine)] == [(None, "sign_in_failed", "ada")]
    assert entries(engine)[0][3]["reason"] == "account deactivated"


def test_an_unverified_or_stale_identity_is_refused_before_any_lookup(engine: Engine) -> None:
    create_user(engine, "ada", "planner", PASSWORD, actor=SYSTEM, email=ADA_EMAIL)
    for value, reason in ((claims(verified=False), "email unverified"),
                          (claims(age=FRESH_SECONDS + 60), "stale identity")):
        with pytest.raises(SsoRefusedError) as exc:
            sso_sign_in(engine, value, now=NOW)
        assert exc.value.reason == reason
    assert [(e[1], e[3]["reason"]) for e in entries(engine)] == [
        ("sign_in_failed", "email unverified"), ("sign_in_failed", "stale identity")]
    # the same unverified address signs in where the provider's addresses are its own
    assert sso_sign_in(engine, claims(verified=False), require_verified=False, now=NOW).name \
        == "ada"


def test_the_sso_session_is_ours_and_ends_like_a_password_one(engine: Engine) -> None:
    create_user(engine, "ada", "planner", PASSWORD, actor=SYSTEM, email=ADA_EMAIL)
    user = sso_sign_in(engine, claims(), now=NOW)
    opened = open_session(engine, user, 10)
    assert not cookie_exchanged(engine, opened.session_id)  # the browser has no cookie yet
    assert exchange_code(engine, opened.code) == opened.session_id
    assert cookie_exchanged(engine, opened.session_id)
    state = lookup(engine, opened.session_id, 15)
    assert state is not None and state.user.name == "ada"
    end_sessions(engine, "ada", actor=SYSTEM)
    assert lookup(engine, opened.session_id, 15) is None
    second = open_session(engine, sso_sign_in(engine, claims(), now=NOW), 10)
    create_user(engine, "root", "admin", PASSWORD, actor=SYSTEM)
    deactivate_user(engine, "ada", actor=SYSTEM)
    assert lookup(engine, second.session_id, 15) is None
    assert cookie_exchanged(engine, second.session_id)  # ended: nothing left to wait for


# --- settings ----------------------------------------------------------------------------------

FULL = {"STADTRAUM_OIDC_METADATA_URL": "https://id.stadt.example/.well-known/openid-configuration",
        "STADTRAUM_OIDC_CLIENT_ID": "stadtraum", "STADTRAUM_OIDC_CLIENT_SECRET": "s3cr3t",
        "STADTRAUM_OIDC_REDIRECT_URI": "https://stadtraum.example/oauth2callback",
        "STADTRAUM_OIDC_COOKIE_SECRET": "c" * 40}


def test_sso_is_on_only_when_fully_configured() -> None:
    assert not load_oidc({}).enabled
    assert streamlit_secrets({}) is None
    for missing in ("STADTRAUM_OIDC_METADATA_URL", "STADTRAUM_OIDC_CLIENT_ID",
                    "STADTRAUM_OIDC_CLIENT_SECRET", "STADTRAUM_OIDC_REDIRECT_URI"):
        assert not load_oidc({k: v for k, v in FULL.items() if k != missing}).enabled
    oidc = load_oidc(FULL)
    assert oidc.enabled and oidc.require_verified_email and oidc.provider_name == "Single Sign-on"
    assert streamlit_secrets(FULL) == {"auth": {
        "redirect_uri": "https://stadtraum.example/oauth2callback", "cookie_secret": "c" * 40,
        "client_id": "stadtraum", "client_secret": "s3cr3t",
        "server_metadata_url": FULL["STADTRAUM_OIDC_METADATA_URL"]}}


def test_redirect_uri_defaults_to_the_public_address_and_must_be_https() -> None:
    env = {k: v for k, v in FULL.items() if k != "STADTRAUM_OIDC_REDIRECT_URI"}
    env["STADTRAUM_PUBLIC_BASE_URL"] = "https://umfrage.stadt.example/"
    assert load_oidc(env).redirect_uri == "https://umfrage.stadt.example/oauth2callback"
    with pytest.raises(ValidationError) as exc:
        load_oidc(dict(FULL, STADTRAUM_OIDC_REDIRECT_URI="http://stadtraum.example/oauth2callback"))
    assert exc.value.field == "STADTRAUM_OIDC_REDIRECT_URI"
    assert load_oidc(dict(FULL, STADTRAUM_OIDC_REQUIRE_VERIFIED_EMAIL="0")).require_verified_email \
        is False


def test_the_cookie_secret_is_derived_from_the_session_secret_not_copied() -> None:
    env = {k: v for k, v in FULL.items() if k != "STADTRAUM_OIDC_COOKIE_SECRET"}
    env["STADTRAUM_SESSION_SECRET"] = "s" * 40
    secrets = streamlit_secrets(env)
    assert secrets is not None
    derived = secrets["auth"]["cookie_secret"]
    assert len(derived) == 64 and "s" * 40 not in derived
    assert streamlit_secrets(dict(env, STADTRAUM_SESSION_SECRET="t" * 40))["auth"][  # type: ignore[index]
        "cookie_secret"] != derived


def test_every_sso_setting_is_described_in_the_admin_guide() -> None:
    text = (ROOT / "docs" / "verwaltung.md").read_text(encoding="utf-8")
    section = text[text.index("## Anmeldung über Single Sign-on (optional)"):]
    for setting in OIDC_SETTINGS:
        assert setting.env in section, f"{setting.env} missing from docs/verwaltung.md"
