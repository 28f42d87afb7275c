"""The city's settings (issue 11, item 8): resolve each with where it came from, change one or
several, reset one to its default, and the public read the rest of the app uses.

A setting's value comes from its row in ``city_settings`` (set in the browser), else from its
environment variable, else from the built-in default (:data:`SPECS`). An environment value
that breaks the setting's rule is ignored (the default applies) and the reason is shown.

:func:`update_city_settings` and :func:`reset_city_setting` need ``settings.manage``, take
the row versions the form showed (a change or reset made meanwhile is a conflict, never an
overwrite), check every value first (nothing is stored when one is refused) and write the
audit log in the same transaction: the setting's key and, for short values, the value; for
long texts only their length and for the logo its format, size and a hash, never its bytes.

:func:`city_profile` needs no actor: it gives the values the citizens' form, the sign-in page
and the sidebar show (all of them public by nature) in one query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.admin.city_setting_rules import SPECS, Spec, check_logo, check_value, spec
from stadtraum.config import project_root
from stadtraum.errors import ConflictError, StadtraumError
from stadtraum.store.audit import audit
from stadtraum.store.db_base import utcnow
from stadtraum.store.db_city import CitySetting
from stadtraum.store.engine import write_engine

__all__ = ["CityProfile", "ResolvedSetting", "StaleSettingError", "city_profile",
           "reset_city_setting", "resolve_city_settings", "update_city_settings"]

log = logging.getLogger(__name__)
AUDIT_VALUE_MAX = 200  # longer texts are audited by their length only


class StaleSettingError(ConflictError):
    """The setting was changed or reset by someone else since the form was shown."""

    def __init__(self, s: Spec) -> None:
        super().__init__(
            f"{s.label_de}: Die Einstellung wurde inzwischen von jemand anderem geändert. Ihre "
            "Änderungen wurden nicht gespeichert; bitte den aktuellen Stand ansehen und sie bei "
            "Bedarf noch einmal vornehmen.",
            f"{s.label_en}: The setting was changed by someone else in the meantime. Your "
            "changes were not saved; please look at the current state and make them again if "
            "needed.")
        self.key = s.key


@dataclass(frozen=True)
class ResolvedSetting:
    """A setting's value and where it came from (``db``, ``env`` or ``default``)."""

    key: str
    value: str  # the text (for the logo: its format, or "")
    source: str
    env: str
    logo: bytes | None = None
    updated_at: dt.datetime | None = None
    updated_by: str | None = None
    version: int | None = None  # the row's version; None: no row
    env_problem: str | None = None  # why an environment value was ignored (German)


@dataclass(frozen=True)
class CityProfile:
    """The values the app shows (everything here is public)."""

    city_name: str
    logo: bytes | None
    main_colour: str
    public_base_url: str
    privacy_contact: str
    privacy_notice: str
    imprint: str
    accessibility: str
    default_min_n: int


def _env_value(s: Spec, env: Mapping[str, str]) -> tuple[str | bytes | None, str | None]:
    """The environment's value for ``s`` (checked), or None and the reason it was ignored."""
    raw = env.get(s.env, "")
    if not raw.strip():
        return None, None
    try:
        if s.kind == "logo":
            path = project_root() / raw.strip()
            data = path.read_bytes()
            check_logo(data)
            return data, None
        return check_value(s.key, raw), None
    except OSError as exc:
        reason = f"{s.env}: Datei nicht lesbar ({exc.strerror or exc})"
    except StadtraumError as exc:
        reason = f"{s.env}: {exc.message_de}"
    log.warning("ignoring %s: %s", s.env, reason)
    return None, reason


def _format(data: bytes | None) -> str:
    """The stored logo's format by its first bytes (it was checked completely when saved)."""
    if not data:
        return ""
    return "PNG" if data.startswith(b"\x89PNG") else "JPEG"


def _resolve(s: Spec, row: CitySetting | None, env: Mapping[str, str]) -> ResolvedSetting:
    env_value, problem = _env_value(s, env)
    if row is not None:
        if s.kind == "logo":
            return ResolvedSetting(s.key, _format(row.blob), "db",
                                   s.env, row.blob, row.updated_at, row.updated_by,
                                   row.version, problem)
        return ResolvedSetting(s.key, row.value or "", "db", s.env, None, row.updated_at,
                               row.updated_by, row.version, problem)
    if env_value is not None:
        if isinstance(env_value, bytes):
            return ResolvedSetting(s.key, _format(env_value), "env", s.env, env_value)
        return ResolvedSetting(s.key, env_value, "env", s.env)
    return ResolvedSetting(s.key, s.default, "default", s.env, env_problem=problem)


def _rows(session: Session) -> dict[str, CitySetting]:
    return {r.key: r for r in session.scalars(select(CitySetting))}


def _all(engine: Engine, env: Mapping[str, str] | None) -> list[ResolvedSetting]:
    env = os.environ if env is None else env
    with Session(engine) as session:
        rows = _rows(session)
        return [_resolve(s, rows.get(s.key), env) for s in SPECS]


def resolve_city_settings(engine: Engine, *, actor: Actor,
                          env: Mapping[str, str] | None = None) -> list[ResolvedSetting]:
    """Every setting with its value and source, in the order of :data:`SPECS`. Needs
    ``settings.manage``."""
    require(actor, "settings.manage")
    return _all(engine, env)


def city_profile(engine: Engine, env: Mapping[str, str] | None = None) -> CityProfile:
    """The resolved values the app shows (one query; no actor: they are public)."""
    values = {r.key: r for r in _all(engine, env)}
    return CityProfile(
        city_name=values["city_name"].value, logo=values["logo"].logo,
        main_colour=values["main_colour"].value,
        public_base_url=values["public_base_url"].value,
        privacy_contact=values["privacy_contact"].value,
        privacy_notice=values["privacy_notice"].value, imprint=values["imprint"].value,
        accessibility=values["accessibility"].value,
        default_min_n=int(values["default_min_n"].value))


def _audit_detail(s: Spec, value: str | bytes) -> dict[str, object]:
    if isinstance(value, bytes):
        info = check_logo(value)
        return {"format": info.format, "bytes": len(value),
                "sha256": hashlib.sha256(value).hexdigest()[:16]}
    if len(value) > AUDIT_VALUE_MAX or s.kind == "text":
        return {"length": len(value)}
    return {"value": value}


def _locked(session: Session, key: str) -> CitySetting | None:
    return session.scalar(select(CitySetting).where(CitySetting.key == key).with_for_update())


def _check_version(s: Spec, row: CitySetting | None, expected: int | None) -> None:
    if (row.version if row is not None else None) != expected:
        raise StaleSettingError(s)


def update_city_settings(engine: Engine, changes: Mapping[str, str | bytes],
                         versions: Mapping[str, int | None], *, actor: Actor) -> list[str]:
    """Store ``changes`` (key -> new value); ``versions`` holds the row version the form
    showed for each key (None: it showed no row). Returns the keys actually changed (a value
    equal to the stored one is left alone). Needs ``settings.manage``."""
    require(actor, "settings.manage")
    checked = {key: check_value(key, value) for key, value in changes.items()}
    changed: list[str] = []
    s = spec(next(iter(checked), "city_name"))
    try:
        with Session(write_engine(engine)) as session, session.begin():
            for key, value in checked.items():
                s = spec(key)
                row = _locked(session, key)
                _check_version(s, row, versions.get(key))
                if row is not None and (row.blob if s.kind == "logo" else row.value) == value:
                    continue
                if row is None:
                    row = CitySetting(key=key, version=0)
                    session.add(row)
                row.value = None if isinstance(value, bytes) else value
                row.blob = value if isinstance(value, bytes) else None
                row.updated_at = utcnow()
                row.updated_by = actor.name
                row.version = (row.version or 0) + 1
                session.flush()  # a row added meanwhile by someone else fails here
                audit(session, actor.name, "set", "city_settings", key, setting=key,
                      version=row.version, **_audit_detail(s, value))
                changed.append(key)
    except IntegrityError:  # the setting the insert failed for: added by someone meanwhile
        raise StaleSettingError(s) from None
    return changed


def reset_city_setting(engine: Engine, key: str, version: int | None, *,
                       actor: Actor) -> bool:
    """Delete the row of ``key`` (the environment or the default applies again); ``version``
    is the row version the form showed. False when there was no row. Needs
    ``settings.manage``."""
    require(actor, "settings.manage")
    s = spec(key)
    with Session(write_engine(engine)) as session, session.begin():
        row = _locked(session, key)
        if row is None and version is None:
            return False
        _check_version(s, row, version)
        assert row is not None
        session.delete(row)
        audit(session, actor.name, "reset", "city_settings", key, setting=key,
              version=row.version)
        return True

