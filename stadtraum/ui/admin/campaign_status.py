"""Open, close and reopen a campaign on the campaigns page. Closing asks first: it shows what
closing changes (the citizens' link, helpers' unsent interviews, paper imports, focus groups,
invitation codes, the responses kept) and needs a tick before the button works."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaigns import (
    CampaignRow,
    ClosingSummary,
    close_campaign,
    closing_summary,
    open_campaign,
    reopen_campaign,
)
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin.campaign_texts import do, error_text, flash_here, mode_label, tr
from stadtraum.ui.i18n import plural
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine
from stadtraum.vocab import MODES

__all__ = ["status_section", "summary_lines"]

CONFIRM = "camp_close_ask_{}"  # the campaign id whose closing is being confirmed


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".") if tr("de", "en") == "de" else f"{value:,}"


def summary_lines(s: ClosingSummary) -> list[str]:
    """What closing changes, one sentence per line (our own text: safe as markdown apart from
    the numbers)."""
    lines = [tr("Erfasser*innen können keine Befragungen mehr senden; Papierbögen lassen sich "
                "nicht mehr importieren.", "Helpers can no longer send interviews; paper forms "
                "can no longer be imported.")]
    if s.drafts:
        lines.append(tr(
            plural(s.drafts, "begonnene, noch nicht gesendete Befragung auf Tablets kann",
                   "begonnene, noch nicht gesendete Befragungen auf Tablets können",
                   _n(s.drafts)) + " danach nicht mehr gesendet werden.",
            plural(s.drafts, "interview begun on a tablet and not yet sent", "interviews begun "
                   "on tablets and not yet sent", _n(s.drafts)) + " can no longer be sent "
            "afterwards."))
    if s.focus_groups:
        lines.append(tr(
            "Die Bewertungen von " + plural(s.focus_groups, "Fokusgruppe", "Fokusgruppen",
                                            _n(s.focus_groups)) + " lassen sich nicht mehr "
            "ändern.", "The ratings of " + plural(s.focus_groups, "focus group", "focus groups",
                                                  _n(s.focus_groups)) + " can no longer be "
            "changed."))
    if s.public_link_on:
        lines.append(tr("Der Bürger-Link ist eingeschaltet: er zeigt danach „Diese Befragung ist "
                        "beendet“ statt des Fragebogens.", "The citizens' link is on: it then "
                        "shows “This survey has ended” instead of the form."))
    else:
        lines.append(tr("Der Bürger-Link ist ausgeschaltet; daran ändert sich nichts.",
                        "The citizens' link is off; that does not change."))
    if s.unused_codes:
        lines.append(tr(f"{_n(s.unused_codes)} unbenutzte Einladungscodes gelten nicht mehr, "
                        "solange die Befragung abgeschlossen ist.", f"{_n(s.unused_codes)} "
                        "unused invitation codes stop working while the survey is closed."))
    modes = ", ".join(f"{mode_label(m)} {_n(s.responses[m])}" for m in MODES.codes
                      if s.responses.get(m))
    if s.total:
        lines.append(tr(f"Die {_n(s.total)} gespeicherten Antworten bleiben ({modes}); "
                        "Planer*innen sehen die Ergebnisse weiter.", f"The {_n(s.total)} "
                        f"stored responses stay ({modes}); planners still see the results."))
    else:
        lines.append(tr("Es gibt noch keine Antworten.", "There are no responses yet."))
    lines.append(tr("Die Befragung lässt sich später wieder öffnen.",
                    "The survey can be reopened later."))
    return lines


def _open(row: CampaignRow, actor: Actor) -> None:
    do(lambda: open_campaign(engine(), row.id, actor=actor, expected_version=row.version),
       "Befragung geöffnet: ab jetzt können Antworten gesendet werden.",
       "Survey opened: responses can be sent from now on.", where="status")


def _reopen(row: CampaignRow, actor: Actor) -> None:
    do(lambda: reopen_campaign(engine(), row.id, actor=actor, expected_version=row.version),
       "Befragung wieder geöffnet.", "Survey reopened.", where="status")


def _close(summary: ClosingSummary, actor: Actor) -> None:
    st.session_state.pop(CONFIRM.format(summary.campaign_id), None)
    do(lambda: close_campaign(engine(), summary.campaign_id, actor=actor,
                              expected_version=summary.version),
       "Befragung abgeschlossen.", "Survey closed.", where="status")


def _ask(row: CampaignRow) -> None:
    st.session_state[CONFIRM.format(row.id)] = True


def _cancel(row: CampaignRow) -> None:
    st.session_state.pop(CONFIRM.format(row.id), None)


def _confirm_close(row: CampaignRow, actor: Actor) -> None:
    try:
        summary = closing_summary(engine(), row.id, actor=actor)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    with st.container(border=True):
        st.markdown(tr(f"**„{md_literal(row.name)}“ abschließen?** Das ändert sich:",
                       f"**Close “{md_literal(row.name)}”?** This is what changes:"))
        st.markdown("\n".join(f"- {md_literal(line)}" for line in summary_lines(summary)))
        sure = st.checkbox(tr("Ich habe gelesen, was sich ändert.",
                              "I have read what changes."), key=f"camp_close_ok_{row.id}")
        buttons = st.container(horizontal=True)
        buttons.button(tr("Jetzt abschließen", "Close now"), type="primary",
                       disabled=not sure, key=f"camp_close_{row.id}", on_click=_close,
                       args=(summary, actor))
        buttons.button(tr("Abbrechen", "Cancel"), key=f"camp_close_cancel_{row.id}",
                       on_click=_cancel, args=(row,))


def status_section(row: CampaignRow, actor: Actor, flash: object) -> None:
    """The campaign's status and the one step it can take from there."""
    flash_here("status", flash)
    if row.status == "draft":
        st.caption(md_literal(tr(
            "Entwurf: noch kann niemand antworten. Nach dem Öffnen senden Erfasser*innen, "
            "Fokusgruppen, Papierbögen und (mit Bürger-Link) Bürger*innen Antworten in den "
            "erlaubten Erhebungsarten.", "Draft: nobody can respond yet. Once open, helpers, "
            "focus groups, paper forms and (with the citizens' link) citizens send responses "
            "in the allowed modes.")))
        st.button(tr("Befragung öffnen", "Open survey"), type="primary",
                  key=f"camp_open_{row.id}", on_click=_open, args=(row, actor))
    elif row.status == "open":
        if st.session_state.get(CONFIRM.format(row.id)):
            _confirm_close(row, actor)
        else:
            st.button(tr("Befragung abschließen …", "Close survey …"),
                      key=f"camp_close_ask_{row.id}", on_click=_ask, args=(row,))
    else:
        st.caption(tr("Abgeschlossen: es können keine Antworten mehr gesendet werden; die "
                      "Ergebnisse bleiben sichtbar.", "Closed: no more responses can be sent; "
                      "the results stay visible."))
        st.button(tr("Wieder öffnen", "Reopen"), key=f"camp_reopen_{row.id}",
                  on_click=_reopen, args=(row, actor))
