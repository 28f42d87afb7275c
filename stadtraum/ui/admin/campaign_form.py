"""The settings form of a campaign (name, catalogue, area level, period, modes, min_n, the
target for every area), for a new campaign and for an existing one, and the switch for the
automatic release of comments.

The form only reads widgets; the use cases (:func:`~stadtraum.admin.campaigns.create_campaign`,
:func:`~stadtraum.admin.campaign_settings.update_settings`) check every value on the server.
An existing campaign's widgets are keyed by its row version: after any change the form is
drawn fresh with the stored values, and a form showing an older version is refused as a
conflict. Below the form, the switch „Kommentare automatisch freigeben“ (off by default) acts
at once (:func:`~stadtraum.admin.campaign_settings.set_comments_auto_release`, audited).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaign_settings import (
    MAX_MIN_N,
    MAX_TARGET,
    MIN_N_FLOOR,
    CampaignSettings,
    comments_auto_release,
    set_comments_auto_release,
    update_settings,
)
from stadtraum.admin.campaigns import CampaignRow, SettingChoices, create_campaign
from stadtraum.ui.admin.campaign_texts import PICK, do, keyed, mode_label, tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.state import engine
from stadtraum.vocab import MODES

__all__ = ["auto_release_switch", "create_form", "edit_form"]

NEW = "camp_new"


def _level_label(choices: SettingChoices) -> dict[int, str]:
    en = lang() == "en"
    return {lv.id: (f"{lv.name} · {'boundary set' if en else 'Grenzstand'} "
                    f"„{lv.boundary_set_name}“ v{lv.version} · {lv.n_areas} "
                    f"{'areas' if en else 'Gebiete'}") for lv in choices.levels}


def _catalogue_label(choices: SettingChoices) -> dict[str, str]:
    i = 1 if lang() == "en" else 0
    return {cid: f"{names[i]} ({cid})" for cid, names in choices.catalogues.items()}


def _fields(prefix: str, current: CampaignSettings, choices: SettingChoices, *,
            level_locked: str | None = None, catalogue_locked: str | None = None) -> None:
    st.text_input(tr("Name der Befragung", "Name of the survey"), value=current.name,
                  max_chars=200, key=f"{prefix}_name",
                  placeholder=tr("z. B. Quartiersbefragung 2027", "e.g. Quarter survey 2027"))
    left, right = st.columns(2)
    cats = _catalogue_label(choices)
    cat_ids = list(cats) if current.catalogue_id in cats else [current.catalogue_id, *cats]
    left.selectbox(tr("Kriterienkatalog", "Criteria catalogue"), cat_ids,
                   index=cat_ids.index(current.catalogue_id), format_func=lambda c:
                   cats.get(c, c), key=keyed(f"{prefix}_catalogue"),
                   disabled=catalogue_locked is not None, help=catalogue_locked)
    levels = _level_label(choices)
    level_ids = list(levels) or [current.level_id]
    right.selectbox(tr("Gebietsebene und Grenzstand", "Area level and boundary set"),
                    level_ids, index=level_ids.index(current.level_id)
                    if current.level_id in level_ids else 0,
                    format_func=lambda i: levels.get(i, str(i)), key=keyed(f"{prefix}_level"),
                    disabled=level_locked is not None, help=level_locked)
    left, right = st.columns(2)
    left.date_input(tr("Beginn (freiwillig)", "Start (optional)"), value=current.starts_on,
                    format="DD.MM.YYYY", key=f"{prefix}_start")
    right.date_input(tr("Ende (freiwillig)", "End (optional)"), value=current.ends_on,
                     format="DD.MM.YYYY", key=f"{prefix}_end")
    st.multiselect(tr("Erlaubte Erhebungsarten", "Allowed modes"), list(MODES.codes),
                   default=list(current.allowed_modes),
                   format_func={c: mode_label(c) for c in MODES.codes}.__getitem__,
                   key=keyed(f"{prefix}_modes"),
                   help=tr("Nur in diesen Arten können Antworten gesendet werden; "
                           "„Online“ ist der Fragebogen hinter dem Bürger-Link.",
                           "Responses can be sent only in these modes; “online” is the form "
                           "behind the citizens' link."))
    left, right = st.columns(2)
    left.number_input(tr("Mindestzahl je Zelle (min_n)", "Minimum cell size (min_n)"),
                      min_value=min(MIN_N_FLOOR, current.min_n), max_value=MAX_MIN_N,
                      value=current.min_n, step=1,
                      key=f"{prefix}_min_n",
                      help=tr(f"Werte aus weniger Antworten werden nicht gezeigt; mindestens "
                              f"{MIN_N_FLOOR}, üblich 5.", f"Values from fewer responses are "
                              f"not shown; at least {MIN_N_FLOOR}, usually 5."))
    right.number_input(tr("Zielzahl je Gebiet (freiwillig)", "Target per area (optional)"),
                       min_value=1, max_value=MAX_TARGET, value=current.default_target,
                       step=1, key=f"{prefix}_target",
                       help=tr("Eine Zahl für alle Gebiete; abweichende Zahlen je Gebiet "
                               "kommen aus einer Datei (unten).", "One number for every area; "
                               "other numbers per area come from a file (below)."))


def _read(prefix: str, current: CampaignSettings) -> CampaignSettings:
    state = st.session_state

    def date(key: str) -> dt.date | None:
        value = state.get(f"{prefix}_{key}")
        return value if isinstance(value, dt.date) else None

    target = state.get(f"{prefix}_target")
    return CampaignSettings(
        name=str(state.get(f"{prefix}_name") or ""),
        catalogue_id=str(state.get(keyed(f"{prefix}_catalogue")) or current.catalogue_id),
        level_id=int(state.get(keyed(f"{prefix}_level")) or current.level_id),
        starts_on=date("start"), ends_on=date("end"),
        allowed_modes=tuple(state.get(keyed(f"{prefix}_modes")) or ()),
        min_n=int(state.get(f"{prefix}_min_n") or current.min_n),
        default_target=None if target is None else int(target))


def _create(actor: Actor, blank: CampaignSettings) -> None:
    s = _read(NEW, blank)
    created = do(lambda: create_campaign(
        engine(), name=s.name, level_id=s.level_id, catalogue_id=s.catalogue_id, actor=actor,
        min_n=s.min_n, starts_on=s.starts_on, ends_on=s.ends_on,
        allowed_modes=s.allowed_modes, default_target=s.default_target),
        "Befragung angelegt (Entwurf). Sie kann unten eingestellt und geöffnet werden.",
        "Survey created (draft). It can be set up and opened below.", where="create")
    if isinstance(created, int):
        st.session_state[PICK] = created
        st.session_state[f"{NEW}_name"] = ""


def create_form(actor: Actor, choices: SettingChoices, default_min_n: int) -> None:
    if not choices.levels:
        st.info(tr("Es gibt noch keine Gebiete: bitte zuerst Gebietsgrenzen importieren.",
                   "There are no areas yet: please import boundaries first."))
        return
    newest = [lv for lv in choices.levels if lv.boundary_set_id == choices.levels[0]
              .boundary_set_id]
    finest = max(newest, key=lambda lv: lv.rank)  # the newest boundary set's finest level
    blank = CampaignSettings("", next(iter(choices.catalogues), ""), finest.id,
                             min_n=max(default_min_n, MIN_N_FLOOR))
    with st.form("camp_create", border=True):
        st.subheader(tr("Neue Befragung", "New survey"), anchor=False)
        _fields(NEW, blank, choices)
        st.form_submit_button(tr("Befragung anlegen", "Create survey"), type="primary",
                              on_click=_create, args=(actor, blank))


def _save(row: CampaignRow, actor: Actor, prefix: str) -> None:
    s = _read(prefix, row.settings)
    do(lambda: update_settings(engine(), row.id, s, actor=actor, expected_version=row.version),
       "Einstellungen gespeichert.", "Settings saved.", where="settings")


def _auto_release(row: CampaignRow, actor: Actor, key: str) -> None:
    on = bool(st.session_state.get(key))
    do(lambda: set_comments_auto_release(engine(), row.id, on, actor=actor,
                                         expected_version=row.version),
       "Neue Kommentare werden jetzt automatisch freigegeben; sie lassen sich weiter "
       "schwärzen oder ausblenden." if on else "Neue Kommentare warten jetzt wieder auf "
       "Prüfung.", "New comments are now released automatically; they can still be "
       "redacted or hidden." if on else "New comments now wait for review again.",
       where="settings")


def auto_release_switch(row: CampaignRow, actor: Actor) -> None:
    """The switch „Kommentare automatisch freigeben“ of the campaign."""
    key = f"camp_{row.id}_{row.version}_auto_release"
    st.toggle(tr("Kommentare automatisch freigeben", "Release comments automatically"),
              value=comments_auto_release(engine(), row.id, actor=actor), key=key,
              on_change=_auto_release, args=(row, actor, key),
              help=tr("Aus (Standard): neue Kommentare warten auf der Seite „Kommentare "
                      "prüfen“, bis jemand sie freigibt. An: sie erscheinen sofort in den "
                      "Ansichten der Planung und lassen sich dort nachträglich schwärzen oder "
                      "ausblenden. Schon wartende Kommentare bleiben in der Warteschlange.",
                      "Off (default): new comments wait on the page “Review comments” until "
                      "someone releases them. On: they appear at once in the planners' views "
                      "and can be redacted or hidden afterwards. Comments already waiting stay "
                      "in the queue."))


def edit_form(row: CampaignRow, actor: Actor, choices: SettingChoices) -> None:
    prefix = f"camp_{row.id}_{row.version}"
    level_locked = catalogue_locked = None
    if row.status == "closed":
        level_locked = tr("Eine abgeschlossene Befragung behält ihren Grenzstand.",
                          "A closed survey keeps its boundary set.")
    if row.n_responses:
        frozen = tr(f"Es gibt schon {row.n_responses} Antworten.",
                    f"There are {row.n_responses} responses already.")
        level_locked, catalogue_locked = level_locked or frozen, frozen
    with st.form(f"camp_settings_{row.id}", border=False):
        _fields(prefix, row.settings, choices, level_locked=level_locked,
                catalogue_locked=catalogue_locked)
        if level_locked or catalogue_locked:
            st.caption(tr("Katalog und Gebietsebene lassen sich nur ändern, solange es keine "
                          "Antworten gibt; eine abgeschlossene Befragung behält ihren "
                          "Grenzstand.", "Catalogue and area level can only be changed while "
                          "there are no responses; a closed survey keeps its boundary set."))
        st.form_submit_button(tr("Einstellungen speichern", "Save settings"),
                              on_click=_save, args=(row, actor, prefix))
    auto_release_switch(row, actor)
