"""Sections of the Datenschutz page: a paper form's campaign, purging a closed campaign's raw
data (with the counts to confirm), expiring drafts and running the daily maintenance."""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from stadtraum.accounts.permissions import Actor
from stadtraum.errors import StadtraumError
from stadtraum.privacy.deletion import paper_campaigns
from stadtraum.privacy.drafts_expiry import DEFAULT_DRAFT_DAYS, expire_drafts
from stadtraum.privacy.maintenance import run_maintenance
from stadtraum.privacy.purge import PurgeCounts, closed_campaigns, preview_purge, purge_campaign
from stadtraum.ui.admin.campaign_texts import error_text, tr
from stadtraum.ui.i18n import plural
from stadtraum.ui.state import cube_provider, engine

__all__ = ["drafts_section", "fresh_snapshot", "paper_campaign_choice", "purge_section"]

Note = Callable[[str, str, str], None]
ShowNote = Callable[[str], None]


log = logging.getLogger(__name__)


def fresh_snapshot() -> None:
    """After a deletion or purge (which removed every statistics snapshot), store one from
    this process's warm engine, so the next cold start need not read every response."""
    try:
        cube_provider().save_current()
    except SQLAlchemyError as exc:  # the deletion stands; the next start reads everything
        log.warning("no statistics snapshot after a deletion: %s", exc)


def paper_campaign_choice(actor: Actor) -> int | None:
    """The campaign of a paper form to find by its number, or None (a response number)."""
    choices = dict(paper_campaigns(engine(), actor=actor))
    if not choices or not st.checkbox(tr("Papierbogen: nach Bogen-Nr. suchen",
                                         "Paper form: find by form number"), key="dp_paper"):
        return None
    picked = st.selectbox(tr("Befragung des Papierbogens", "Survey of the paper form"),
                          list(choices), format_func=choices.__getitem__, key="dp_paper_c")
    return int(picked) if picked is not None else None


def _counts_lines(c: PurgeCounts) -> list[str]:
    return [tr(f"Antworten: {c.responses}", f"Responses: {c.responses}"),
            tr(f"Kommentare: {c.comments}", f"Comments: {c.comments}"),
            tr(f"Prioritäten: {c.priorities}", f"Priorities: {c.priorities}"),
            tr(f"Entwürfe: {c.drafts}", f"Drafts: {c.drafts}"),
            tr(f"Fokusgruppen mit Notizen: {c.focus_groups}",
               f"Focus groups with notes: {c.focus_groups}"),
            tr(f"Bleiben (veröffentlichte Werte): {c.published_cells}",
               f"Kept (published figures): {c.published_cells}")]


def purge_section(actor: Actor, note: Note, show_note: ShowNote) -> None:
    st.subheader(tr("Rohdaten einer Befragung löschen", "Delete a survey's raw data"),
                 anchor=False)
    st.caption(tr("Nur für abgeschlossene Befragungen. Es bleiben die veröffentlichten "
                  "Ergebnisse (bitte vorher veröffentlichen); die Befragung lässt sich danach "
                  "nicht wieder öffnen.", "Closed surveys only. The published results stay "
                  "(publish first); the survey cannot be opened again afterwards."))
    choices = {cid: name for cid, name, purged in closed_campaigns(engine(), actor=actor)
               if not purged}
    if not choices:
        st.info(tr("Keine abgeschlossene Befragung mit Rohdaten.",
                   "No closed survey with raw data."))
        show_note("purge")
        return
    cid = st.selectbox(tr("Abgeschlossene Befragung", "Closed survey"), list(choices),
                       format_func=choices.__getitem__, key="dp_purge_c")
    if cid is None:
        return
    counts = preview_purge(engine(), cid, actor=actor)
    with st.container(border=True):
        for line in _counts_lines(counts):
            st.text(line)
        sure = st.checkbox(tr("Ja, diese Rohdaten endgültig löschen.",
                              "Yes, delete these raw data for good."), key=f"dp_purge_ok_{cid}")
        if st.button(tr("Rohdaten löschen", "Delete raw data"), type="primary",
                     disabled=not sure, key="dp_purge"):
            try:
                r = purge_campaign(engine(), cid, actor=actor).counts
                fresh_snapshot()
                note("purge", "success", tr(
                    f"Rohdaten gelöscht: {plural(r.responses, 'Antwort', 'Antworten')}, "
                    f"{plural(r.comments, 'Kommentar', 'Kommentare')}, "
                    f"{plural(r.drafts, 'Entwurf', 'Entwürfe')}. "
                    + plural(r.published_cells, "veröffentlichter Wert bleibt",
                             "veröffentlichte Werte bleiben") + " erhalten.",
                    f"Raw data deleted: {plural(r.responses, 'response', 'responses')}, "
                    f"{plural(r.comments, 'comment', 'comments')}, "
                    f"{plural(r.drafts, 'draft', 'drafts')}. "
                    + plural(r.published_cells, "published figure stays",
                             "published figures stay") + "."))
            except StadtraumError as exc:
                note("purge", "error", error_text(exc))
            st.rerun()
    show_note("purge")


def drafts_section(actor: Actor, note: Note, show_note: ShowNote) -> None:
    st.subheader(tr("Alte Entwürfe und Aufbewahrungsfristen",
                    "Old drafts and retention periods"), anchor=False)
    st.caption(tr("Läuft täglich mit „stadtraum maintenance“; hier von Hand. Die Wartung "
                  "löscht auch die Rohdaten abgeschlossener Befragungen nach Ablauf ihrer "
                  "Aufbewahrungsfrist, nachdem sie deren Ergebnisse veröffentlicht hat.",
                  "Runs daily with “stadtraum maintenance”; here by hand. Maintenance also "
                  "deletes the raw data of closed surveys past their retention period, after "
                  "publishing their results."))
    days = int(st.number_input(tr("Entwürfe löschen, die so viele Tage unberührt sind",
                                  "Delete drafts untouched for this many days"),
                               min_value=1, max_value=3650, value=DEFAULT_DRAFT_DAYS, step=1,
                               key="dp_days"))
    left, right = st.columns(2)
    if left.button(tr("Alte Entwürfe löschen", "Delete old drafts"), key="dp_drafts"):
        try:
            n = expire_drafts(engine(), days=days, actor=actor)
            note("drafts", "success", tr(plural(n, "Entwurf", "Entwürfe") + " gelöscht.",
                                         plural(n, "draft", "drafts") + " deleted."))
        except StadtraumError as exc:
            note("drafts", "error", error_text(exc))
        st.rerun()
    if right.button(tr("Wartung jetzt ausführen", "Run maintenance now"), key="dp_maint"):
        try:
            rep = run_maintenance(engine(), cube_provider(), actor=actor, draft_days=days)
            names = ", ".join(r.name for r in rep.purged) or tr("keine", "none")
            note("drafts", "success", tr(
                plural(rep.drafts, "Entwurf", "Entwürfe") + " gelöscht; Rohdaten nach "
                f"Ablauf der Frist gelöscht: {names}.", plural(rep.drafts, "draft", "drafts")
                + f" deleted; raw data past retention deleted: {names}."))
        except StadtraumError as exc:
            note("drafts", "error", error_text(exc))
        st.rerun()
    show_note("drafts")
