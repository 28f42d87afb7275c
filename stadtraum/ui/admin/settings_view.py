"""The page "Einstellungen" (admins): every city setting in one form, each shown next to
where its value comes from (database with date and person, environment variable, or the
built-in default), a reset to the default for each stored one.

The form's save and the reset buttons are callbacks bound to the row versions the page
showed, so a change made meanwhile by someone else is a conflict, never an overwrite. Texts
are shown as plain text (input values, ``st.text``); the logo as an image only."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.city_setting_rules import (
    MIN_CONTRAST,
    SPECS,
    Spec,
    contrast_ratio,
    ratio_text,
)
from stadtraum.admin.city_settings import (
    ResolvedSetting,
    reset_city_setting,
    resolve_city_settings,
    update_city_settings,
)
from stadtraum.config import CITY_TZ
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin import settings_cache
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["PAGE", "show", "source_text"]

PAGE = "einstellungen"
FLASH = "cs_flash"  # (kind, text) of the last save or reset


def tr(de: str, en: str) -> str:
    return en if lang() == "en" else de


def _label(s: Spec) -> str:
    return s.label_en if lang() == "en" else s.label_de


def source_text(r: ResolvedSetting) -> str:
    """Where the value comes from, in words."""
    if r.source == "db":
        when = r.updated_at.astimezone(CITY_TZ).strftime("%d.%m.%Y %H:%M") \
            if r.updated_at else "?"
        return tr(f"Datenbank (geändert am {when} von {r.updated_by or '?'})",
                  f"Database (changed on {when} by {r.updated_by or '?'})")
    if r.source == "env":
        return tr(f"Umgebungsvariable {r.env}", f"Environment variable {r.env}")
    return tr("Voreinstellung", "Default")


def _key(r: ResolvedSetting) -> str:
    return f"cs_{r.key}_{r.version or 0}_{r.source}"


def _widget(s: Spec, r: ResolvedSetting) -> None:
    key, label = _key(r), _label(s)
    if s.kind == "logo":
        if r.logo:
            st.image(r.logo, width=160, caption=tr("Aktuelles Logo", "Current logo"),
                     alt=tr("Aktuelles Logo der Stadt", "The city's current logo"))
        st.file_uploader(label, type=["png", "jpg", "jpeg"], key=key, max_upload_size=1,
                         help=tr("PNG oder JPEG, höchstens 1 MiB. SVG wird nicht angenommen.",
                                 "PNG or JPEG, at most 1 MiB. SVG is not accepted."))
    elif s.kind == "min_n":
        st.number_input(label, value=int(r.value), step=1, key=key)
    elif s.kind == "text":
        st.text_area(label, value=r.value, max_chars=s.limit, height=140, key=key)
    else:
        st.text_input(label, value=r.value, max_chars=s.limit, key=key,
                      placeholder={"url": "https://mitmachen.stadt.de",
                                   "colour": "#1f5f99"}.get(s.kind))
    if s.kind == "colour":
        ratio = contrast_ratio(r.value)
        st.caption(tr(f"Kontrast zu Weiß: {ratio_text(ratio)} (nötig: mindestens "
                      f"{ratio_text(MIN_CONTRAST)}, WCAG AA). Die Farbe füllt die Hauptknöpfe "
                      "(weiße Schrift darauf).",
                      f"Contrast with white: {ratio_text(ratio, 'en')} (needed: at least "
                      f"{ratio_text(MIN_CONTRAST, 'en')}, WCAG AA). The colour fills the "
                      "primary buttons (white text on it)."))
    if s.kind == "url" and not r.value:
        st.caption(tr("Leer: Links und QR-Codes nehmen die Adresse, unter der die Verwaltung "
                      "die App gerade aufruft. Vor dem Druck von Plakaten setzen.",
                      "Empty: links and QR codes use the address the admin is using. Set it "
                      "before printing posters."))
    problem = f" · {r.env_problem}" if r.env_problem else ""
    st.caption(md_literal(tr("Herkunft: ", "Source: ") + source_text(r) + problem))


def _changes(shown: list[ResolvedSetting]) -> dict[str, str | bytes]:
    changes: dict[str, str | bytes] = {}
    for r in shown:
        value = st.session_state.get(_key(r))
        if r.key == "logo":
            if value is not None:
                changes[r.key] = value.getvalue()
        elif r.key == "default_min_n":
            if value is not None and str(int(value)) != r.value:
                changes[r.key] = str(int(value))
        elif value is not None and str(value).replace("\r\n", "\n").strip() != r.value:
            changes[r.key] = str(value)
    return changes


def _flash(call: Callable[[], object], done: Callable[[object], str]) -> None:
    try:
        result = call()
    except StadtraumError as exc:
        st.session_state[FLASH] = ("error", exc.message_en if lang() == "en" else
                                   exc.message_de)
        return
    settings_cache.clear()
    st.session_state[FLASH] = ("success", done(result))


def _names(keys: object) -> str:
    labels = {s.key: _label(s) for s in SPECS}
    return ", ".join(labels[k] for k in keys) if isinstance(keys, list) else ""


def _save(actor: Actor, shown: list[ResolvedSetting]) -> None:
    changes = _changes(shown)
    versions = {r.key: r.version for r in shown}
    _flash(lambda: update_city_settings(engine(), changes, versions, actor=actor),
           lambda keys: tr(f"Gespeichert: {_names(keys)}.", f"Saved: {_names(keys)}.")
           if keys else tr("Nichts geändert.", "Nothing changed."))


def _reset(actor: Actor, r: ResolvedSetting, label: str) -> None:
    _flash(lambda: reset_city_setting(engine(), r.key, r.version, actor=actor),
           lambda _: tr(f"Zurückgesetzt: {label}. Es gilt wieder die Umgebungsvariable oder "
                        "die Voreinstellung.",
                        f"Reset: {label}. The environment or default applies again."))


def _warnings(resolved: dict[str, ResolvedSetting]) -> None:
    missing = [_label(s) for s in SPECS if s.key in ("imprint", "accessibility", "privacy_contact")
               and not resolved[s.key].value]
    if missing:
        st.warning(md_literal(tr(
            "Noch nicht hinterlegt: " + ", ".join(missing) + ". Der Online-Fragebogen sollte "
            "erst mit Impressum, Erklärung zur Barrierefreiheit und Datenschutzkontakt "
            "veröffentlicht werden.",
            "Not set yet: " + ", ".join(missing) + ". Publish the citizens' form only with a "
            "legal notice, an accessibility statement and a privacy contact.")))


def show(actor: Actor) -> None:
    shown = resolve_city_settings(engine(), actor=actor)
    resolved = {r.key: r for r in shown}
    flash = st.session_state.pop(FLASH, None)
    if isinstance(flash, tuple):
        (st.error if flash[0] == "error" else st.success)(md_literal(flash[1]))
    st.caption(tr("Werte aus der Datenbank gelten vor Umgebungsvariablen, diese vor der "
                  "Voreinstellung. Alle Texte sind reiner Text (keine Formatierung, keine "
                  "Links).", "Values in the database win over environment variables, these "
                  "over the defaults. All texts are plain text (no formatting, no links)."))
    _warnings(resolved)
    with st.form("city_settings"):
        for s in SPECS:
            with st.container(border=True):
                _widget(s, resolved[s.key])
        st.form_submit_button(tr("Einstellungen speichern", "Save settings"), type="primary",
                              on_click=_save, args=(actor, shown))
    stored = [(s, resolved[s.key]) for s in SPECS if resolved[s.key].source == "db"]
    if not stored:
        return
    st.subheader(tr("Auf Voreinstellung zurücksetzen", "Reset to the default"), anchor=False)
    st.caption(tr("Löscht den gespeicherten Wert; dann gilt wieder die Umgebungsvariable oder "
                  "die Voreinstellung.", "Deletes the stored value; the environment variable "
                  "or the default applies again."))
    for s, r in stored:
        label = _label(s)
        st.button(tr(f"{label} zurücksetzen", f"Reset {label}"), key=f"cs_reset_{s.key}",
                  on_click=_reset, args=(actor, r, label))
