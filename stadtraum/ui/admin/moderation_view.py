"""The page "Kommentare prüfen" (key ``moderation``; moderators and admins): how many comments
wait per campaign, the queue filtered by campaign and state, a page at a time, and each
comment with its actions (:mod:`stadtraum.ui.admin.moderation_card`).

Planners see only released comments, in the redacted version where there is one. Comment
texts, campaign and area names are user text: shown with ``st.text``, ``st.dataframe`` or as
select options, never as Markdown. The use cases check the actor themselves.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.errors import StadtraumError
from stadtraum.privacy.moderation_queue import CampaignCounts, comment_counts, moderation_queue
from stadtraum.ui.admin.campaign_texts import error_text, tr
from stadtraum.ui.admin.moderation_card import FLASH, card
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine
from stadtraum.vocab import COMMENT_STATUSES

__all__ = ["PAGE", "PAGE_SIZE", "show"]

PAGE = "moderation"
PAGE_SIZE = 20
_ALL = 0  # the campaign filter's "all campaigns"


def _counts_table(counts: list[CampaignCounts]) -> None:
    st.subheader(tr("Kommentare je Befragung", "Comments per survey"), anchor=False)
    waiting = sum(c.new for c in counts)
    st.text(tr(f"{waiting} neue Kommentare warten auf Prüfung.",
               f"{waiting} new comments are waiting for review."))
    st.dataframe(pd.DataFrame([{
        tr("Befragung", "Survey"): c.campaign, tr("neu", "new"): c.new,
        tr("freigegeben", "released"): c.released, tr("ausgeblendet", "hidden"): c.hidden}
        for c in counts]), hide_index=True, width="stretch")


def _filters(counts: list[CampaignCounts]) -> tuple[int | None, str]:
    names = {_ALL: tr("alle Befragungen", "all surveys")} | {
        c.campaign_id: f"{c.campaign} ({c.new} {tr('neu', 'new')})" for c in counts}
    if st.session_state.get("mod_campaign") not in names:
        st.session_state["mod_campaign"] = _ALL
    left, right = st.columns(2)
    campaign = left.selectbox(tr("Befragung", "Survey"), list(names), key="mod_campaign",
                              format_func=lambda i: names.get(i, str(i)))
    status = right.selectbox(tr("Status", "State"), list(COMMENT_STATUSES.codes),
                             key="mod_status",
                             format_func=lambda s: COMMENT_STATUSES.label(s, lang()))
    return (None if campaign == _ALL else int(campaign)), str(status)


def _flash() -> None:
    note = st.session_state.pop(FLASH, None)
    if not isinstance(note, tuple):
        return
    kind, message, shown = note
    (st.error if kind == "error" else st.success)(md_literal(message))
    if shown is not None:
        st.text(shown)


def show(actor: Actor) -> None:
    """The whole page below its title."""
    st.caption(tr("Neue Kommentare erscheinen erst nach der Freigabe in den Ansichten der "
                  "Planung, geschwärzt, wo hier geschwärzt wurde; ausgeblendete nie. Das "
                  "Prüfprogramm markiert mögliche persönliche Daten, entscheidet aber nichts. "
                  "Die Warteschlange zeigt die ältesten zuerst.",
                  "New comments reach the planners' views only once released, redacted where "
                  "they were redacted here; hidden ones never. The checker marks possible "
                  "personal data but decides nothing. The queue shows the oldest first."))
    _flash()
    try:
        counts = comment_counts(engine(), actor=actor)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    _counts_table(counts)
    st.subheader(tr("Kommentare", "Comments"), anchor=False)
    campaign_id, status = _filters(counts)
    query = (campaign_id, status)
    if st.session_state.get("mod__query") != query:  # another filter starts at page 1
        st.session_state["mod__query"] = query
        st.session_state["mod_page"] = 1
    page_no = max(1, int(st.session_state.get("mod_page", 1)))
    try:
        page = moderation_queue(engine(), actor=actor, campaign_id=campaign_id, status=status,
                                limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
        pages = max(1, math.ceil(page.total / PAGE_SIZE))
        if page_no > pages:  # the last page emptied (all of it moderated): show the new last
            page_no = pages
            page = moderation_queue(engine(), actor=actor, campaign_id=campaign_id,
                                    status=status, limit=PAGE_SIZE,
                                    offset=(page_no - 1) * PAGE_SIZE)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    if page.total == 0:
        st.info(tr("Keine Kommentare in dieser Auswahl.", "No comments in this selection."))
        return
    st.session_state["mod_page"] = page_no
    st.number_input(tr(f"Seite (1 bis {pages})", f"Page (1 to {pages})"), min_value=1,
                    max_value=pages, step=1, key="mod_page")
    st.text(tr(f"{page.total} Kommentare, Seite {page_no} von {pages}",
               f"{page.total} comments, page {page_no} of {pages}"))
    for item in page.items:
        card(item, actor)
