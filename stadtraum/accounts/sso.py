"""Single sign-on (OpenID Connect through Streamlit's ``st.login``), optional: who the provider
says a person is, and which of our accounts that is (issue 11, item 2).

The provider vouches for the identity, our accounts table for the role: an identity is matched
to the one account whose e-mail is the provider's ``email`` claim (case-insensitive, blanks
around it ignored), and only if

* the provider says the address is verified (``email_verified`` true), unless
  ``STADTRAUM_OIDC_REQUIRE_VERIFIED_EMAIL=0`` (only for a provider that hands out nothing but
  its own, checked addresses: anyone who can put an unchecked address into a provider
  account could otherwise sign in as whoever owns that address here);
* the identity is fresh: the ID token was issued at most :data:`FRESH_SECONDS` ago, so an
  identity cookie Streamlit left behind (a tab closed during a refusal) cannot sign somebody
  in later on a shared tablet;
* the account exists and is active.

Then the person gets our own server-side session, exactly as after the password
(:func:`stadtraum.accounts.sessions.open_session`), so sign-out, "end all sessions" and a
deactivation act on it. Every outcome is audited like a password sign-in, ``method: sso``: a
sign-in under the account's name; a refusal as ``sign_in_failed`` with the reason only. The
e-mail of a refused sign-in is personal data of somebody who has no account here: it is not
stored, not even as a hash (an unsalted hash of an address is easily reversed by guessing);
a refused deactivated account is named by its account name, which we hold anyway.

No Streamlit here: the glue is :mod:`stadtraum.ui.sso_view`; the ``[auth]`` secrets for
``st.App(secrets=…)`` come from :func:`streamlit_secrets`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InternalError, OperationalError
from sqlalchemy.orm import Session

from stadtraum.accounts.auth import AuthenticationError
from stadtraum.accounts.sessions import session_hash
from stadtraum.accounts.users import AuthUser, SignInUnavailableError, _user
from stadtraum.config import OIDC_SETTINGS, load_settings, project_root, session_secret
from stadtraum.errors import ValidationError
from stadtraum.store.audit import audit
from stadtraum.store.db import User, UserSession
from stadtraum.store.engine import write_engine

__all__ = ["FRESH_SECONDS", "METHOD", "OidcSettings", "SsoRefusedError", "cookie_exchanged",
           "load_oidc", "matched_email", "sso_sign_in", "streamlit_secrets"]

log = logging.getLogger(__name__)
METHOD = "sso"
FRESH_SECONDS = 300
MAX_EMAIL_LENGTH = 254

@dataclass(frozen=True)
class OidcSettings:
    """The single sign-on settings; :attr:`enabled` when fully configured."""

    metadata_url: str = ""
    client_id: str = ""
    client_secret: str = ""
    redirect_uri: str = ""
    cookie_secret: str = ""
    provider_name: str = "Single Sign-on"
    require_verified_email: bool = True

    @property
    def enabled(self) -> bool:
        return bool(self.metadata_url and self.client_id and self.client_secret
                    and self.redirect_uri)


def load_oidc(env: Mapping[str, str] | None = None) -> OidcSettings:
    """The ``STADTRAUM_OIDC_*`` settings now from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env

    def get(name: str) -> str:
        default = next(s.default for s in OIDC_SETTINGS if s.env == name)
        return (env.get(name, default) or default).strip()

    redirect = get("STADTRAUM_OIDC_REDIRECT_URI")
    base = (env.get("STADTRAUM_PUBLIC_BASE_URL") or "").strip().rstrip("/")
    if not redirect and base:
        redirect = base + "/oauth2callback"
    parts = urlsplit(redirect)
    if redirect and not (parts.scheme == "https" or (
            parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1"))):
        raise ValidationError(
            "STADTRAUM_OIDC_REDIRECT_URI muss mit https:// beginnen (http nur für localhost), "
            f"nicht {redirect!r}.", f"STADTRAUM_OIDC_REDIRECT_URI must use https: {redirect!r}",
            field="STADTRAUM_OIDC_REDIRECT_URI")
    return OidcSettings(
        metadata_url=get("STADTRAUM_OIDC_METADATA_URL"),
        client_id=get("STADTRAUM_OIDC_CLIENT_ID"),
        client_secret=get("STADTRAUM_OIDC_CLIENT_SECRET"),
        redirect_uri=redirect, cookie_secret=get("STADTRAUM_OIDC_COOKIE_SECRET"),
        provider_name=get("STADTRAUM_OIDC_PROVIDER_NAME")[:60],
        require_verified_email=get("STADTRAUM_OIDC_REQUIRE_VERIFIED_EMAIL")
        not in ("0", "false", "no"))


def streamlit_secrets(env: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """Streamlit's ``[auth]`` section for ``st.App(secrets=…)`` built from the
    ``STADTRAUM_OIDC_*`` settings (kept in memory, no secrets file), or None when single
    sign-on is not configured. Without its own cookie secret, one is derived from the
    session secret (HMAC, so the session secret itself never reaches Streamlit)."""
    oidc = load_oidc(env)
    if not oidc.enabled:
        return None
    cookie_secret = oidc.cookie_secret
    if not cookie_secret:
        key = session_secret(load_settings(env), project_root() / "data")
        cookie_secret = hmac.new(key, b"stadtraum-oidc-cookie", hashlib.sha256).hexdigest()
    return {"auth": {"redirect_uri": oidc.redirect_uri, "cookie_secret": cookie_secret,
                     "client_id": oidc.client_id, "client_secret": oidc.client_secret,
                     "server_metadata_url": oidc.metadata_url}}




# reason -> (German, English) shown to the person; the reason itself goes to the audit log
_REFUSALS: Mapping[str, tuple[str, str]] = {
    "no email": ("Der Anbieter hat keine E-Mail-Adresse übermittelt. Ohne sie lässt sich "
                 "kein Konto zuordnen.",
                 "The provider sent no e-mail address; without one no account can be matched."),
    "email unverified": ("Der Anbieter meldet Ihre E-Mail-Adresse als nicht bestätigt. "
                         "Bitte bestätigen Sie sie dort oder melden Sie sich mit Name und "
                         "Passwort an.",
                         "The provider reports your e-mail address as not verified. Please "
                         "verify it there or sign in with name and password."),
    "stale identity": ("Die Anmeldung beim Anbieter liegt zu lange zurück. Bitte melden Sie "
                       "sich noch einmal an.",
                       "The sign-in at the provider is too old. Please sign in again."),
    "unknown email": ("Für Ihre E-Mail-Adresse gibt es hier kein Konto. Die Verwaltung kann "
                      "Ihnen eines mit dieser Adresse anlegen (Seite „Konten“).",
                      "There is no account for your e-mail address here. The administration "
                      "can create one with this address (page “Accounts”)."),
    "account deactivated": ("Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die "
                            "Verwaltung.",
                            "Your account is deactivated. Please contact the administration."),
}


class SsoRefusedError(AuthenticationError):
    """A provider identity that signs nobody in here; :attr:`reason` is the audited key."""

    def __init__(self, reason: str) -> None:
        de, en = _REFUSALS[reason]
        super().__init__("Anmeldung über Single Sign-on abgelehnt: " + de,
                         "Single sign-on refused: " + en)
        self.reason = reason


def _verified(value: object) -> bool:
    # a JSON true; some providers send the string "true"
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def matched_email(claims: Mapping[str, object], *, require_verified: bool,
                  now: dt.datetime | None = None) -> str:
    """The e-mail (lower case) to look an account up by, or :class:`SsoRefusedError` with the
    reason (no e-mail, unverified, stale identity). Pure."""
    now = now or dt.datetime.now(dt.UTC)
    raw = claims.get("email")
    email = raw.strip().lower() if isinstance(raw, str) else ""
    if not email or len(email) > MAX_EMAIL_LENGTH or email.count("@") != 1:
        raise SsoRefusedError("no email")
    if require_verified and not _verified(claims.get("email_verified")):
        raise SsoRefusedError("email unverified")
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float) \
            or not -60 <= now.timestamp() - issued <= FRESH_SECONDS:
        raise SsoRefusedError("stale identity")
    return email


def _refuse(engine: Engine, reason: str, object_id: str, source: str,
            provider: str) -> SsoRefusedError:
    log.info("single sign-on refused from %r: %s", source, reason)
    try:
        with Session(write_engine(engine)) as session, session.begin():
            audit(session, None, "sign_in_failed", "user", object_id, method=METHOD,
                  source=source[:64], reason=reason, provider=provider[:60])
    except (OperationalError, InternalError) as exc:  # the refusal matters more
        log.error("refused single sign-on not audited: %s", exc)
    return SsoRefusedError(reason)


def sso_sign_in(engine: Engine, claims: Mapping[str, object], *, require_verified: bool = True,
                source: str = "", provider: str = "",
                now: dt.datetime | None = None) -> AuthUser:
    """The active account the provider's identity ``claims`` (``st.user``) belong to, audited
    as ``sign_in`` with ``method: sso``; else :class:`SsoRefusedError`, audited as
    ``sign_in_failed`` with the reason and without the e-mail. Opens no session (the caller
    does, as after a password)."""
    try:
        email = matched_email(claims, require_verified=require_verified, now=now)
    except SsoRefusedError as exc:
        raise _refuse(engine, exc.reason, "", source, provider) from None
    user: AuthUser | None = None
    try:
        with Session(write_engine(engine)) as session, session.begin():
            account = session.scalar(select(User).where(func.lower(User.email) == email))
            if account is not None and account.active:
                user = _user(account)
                audit(session, account.name, "sign_in", "user", account.id, method=METHOD,
                      source=source[:64], provider=provider[:60])
            deactivated = account.name if account is not None and user is None else None
    except (OperationalError, InternalError) as exc:
        log.error("single sign-on impossible, database not writable: %s", exc)
        raise SignInUnavailableError() from None
    if deactivated is not None:
        raise _refuse(engine, "account deactivated", deactivated, source, provider)
    if user is None:
        raise _refuse(engine, "unknown email", "", source, provider)
    return user


def cookie_exchanged(engine: Engine, session_id: str) -> bool:
    """Whether the browser has fetched the session cookie of ``session_id`` (its one-time
    code is spent), or the session is gone: then Streamlit's identity may be dropped."""
    with Session(engine) as session:
        row = session.execute(select(UserSession.code_hash, UserSession.ended_at)
                              .where(UserSession.id_hash == session_hash(session_id))).first()
    return row is None or row.code_hash is None or row.ended_at is not None
