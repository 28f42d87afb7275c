"""The campaigns page's "Schutz vor Massenantworten": the burst detector of the citizens' form
for one campaign (switch, floor, factor), the rule in plain words with its numbers, each area's
count in the last hour against its current threshold, and the campaign's flagged online
responses, reviewed right here (the same list as on the Verwaltung page).

The form carries the campaign's row version: a change someone else made meanwhile is refused
as a conflict (:func:`~stadtraum.admin.campaign_burst.set_burst_controls`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.campaign_burst import (
    MAX_FACTOR,
    MAX_FLOOR,
    BurstControls,
    BurstStatus,
    burst_status,
    set_burst_controls,
)
from stadtraum.admin.campaigns import CampaignRow
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin import flagged as admin_flagged
from stadtraum.ui.admin.campaign_texts import do, error_text, flash_here, tr
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["burst_section", "rule_text"]

EXAMPLE_MEDIAN = 4  # the steady area of the explanation: 4 online responses an hour


def rule_text(c: BurstControls) -> str:
    """The rule with the campaign's numbers, in plain words."""
    if not c.enabled:
        return tr("Ausgeschaltet: Online-Antworten dieser Befragung werden nicht auf Häufungen "
                  "geprüft. Die anderen Prüfungen (sehr schnell oder ganz gleichförmig "
                  "ausgefüllt) bleiben.", "Switched off: online responses of this survey are "
                  "not checked for bursts. The other checks (filled in very fast or all "
                  "alike) stay.")
    steady = max(c.floor, c.factor * EXAMPLE_MEDIAN)
    return tr(
        f"Kommen für ein Gebiet innerhalb einer Stunde mehr als {c.floor} Online-Antworten, "
        f"wird die {c.floor + 1}. und jede weitere markiert: sie wird gespeichert, zählt aber "
        "erst mit, wenn sie jemand geprüft und angenommen hat. Hat ein Gebiet in der Woche "
        "davor in den meisten Stunden Antworten bekommen, liegt die Grenze höher: beim "
        f"{c.factor}-Fachen des Medians der stündlichen Antworten (Stunden ohne Antwort "
        f"zählen als 0). Beispiel: bei gleichmäßig {EXAMPLE_MEDIAN} Antworten je Stunde "
        f"liegt sie bei {steady}.",
        f"When more than {c.floor} online responses come in for one area within an hour, "
        f"response no. {c.floor + 1} and every further one is flagged: it is stored, but "
        "counts only once someone has reviewed and accepted it. When an area had responses "
        f"in most hours of the week before, the limit is higher: {c.factor} times the median "
        "of the hourly responses (hours without any count as 0). Example: at a steady "
        f"{EXAMPLE_MEDIAN} responses an hour it is {steady}.")


def _keys(row: CampaignRow) -> tuple[str, str, str]:
    prefix = f"camp_burst_{row.id}_{row.version}"
    return f"{prefix}_on", f"{prefix}_floor", f"{prefix}_factor"


def _whole(value: object) -> int:
    """A number input's value; anything else becomes 0, which the use case refuses."""
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _save(row: CampaignRow, actor: Actor) -> None:
    on, floor, factor = (st.session_state.get(k) for k in _keys(row))
    controls = BurstControls(bool(on), _whole(floor), _whole(factor))
    do(lambda: set_burst_controls(engine(), row.id, controls,
                                  actor=actor, expected_version=row.version),
       "Schutz vor Massenantworten gespeichert; er gilt ab der nächsten Online-Antwort.",
       "Protection against mass responses saved; it applies from the next online response.",
       where="burst")


def _form(row: CampaignRow, status: BurstStatus, actor: Actor) -> None:
    c = status.controls
    on, floor, factor = _keys(row)
    with st.form(f"camp_burst_form_{row.id}", border=False):
        st.toggle(tr("Häufungserkennung eingeschaltet", "Burst detector on"), value=c.enabled,
                  key=on)
        left, right = st.columns(2)
        left.number_input(tr("Untergrenze (Online-Antworten je Gebiet und Stunde)",
                             "Floor (online responses per area and hour)"), min_value=1,
                          max_value=MAX_FLOOR, value=c.floor, step=1, key=floor,
                          help=tr("So viele Online-Antworten eines Gebiets in einer Stunde "
                                  "werden nie markiert; üblich 10.", "That many online "
                                  "responses of an area within an hour are never flagged; "
                                  "usually 10."))
        right.number_input(tr("Faktor (× Median der Vorwoche)",
                              "Factor (× median of the week before)"), min_value=1,
                           max_value=MAX_FACTOR, value=c.factor, step=1, key=factor,
                           help=tr("Für Gebiete mit regelmäßigen Antworten: so viel mal der "
                                   "Median ihrer stündlichen Antworten; üblich 5.",
                                   "For areas with regular responses: this many times the "
                                   "median of their hourly responses; usually 5."))
        st.form_submit_button(tr("Schutz speichern", "Save protection"),
                              key=f"camp_burst_save_{row.id}", on_click=_save,
                              args=(row, actor))


def _areas(status: BurstStatus) -> None:
    areas = status.areas or ()
    if not areas or not status.controls.enabled:
        return
    above = sum(1 for a in areas if a.threshold > status.controls.floor)
    with st.expander(tr(f"Aktuelle Schwelle je Gebiet ({above} über der Untergrenze)",
                        f"Current threshold per area ({above} above the floor)")):
        st.dataframe(pd.DataFrame({
            tr("Code", "Code"): [a.code for a in areas],
            tr("Gebiet", "Area"): [a.name for a in areas],
            tr("Online in der letzten Stunde", "Online in the last hour"):
                [a.last_hour for a in areas],
            tr("Median je Stunde (Vorwoche)", "Median per hour (week before)"):
                [a.median for a in areas],
            tr("Schwelle", "Threshold"): [a.threshold for a in areas]}),
            hide_index=True, width="stretch", height=min(38 + 35 * len(areas), 250),
            key=f"camp_burst_areas_{status.campaign_id}")


def burst_section(row: CampaignRow, actor: Actor, flash: object) -> None:
    """The section for campaign ``row``."""
    try:
        status = burst_status(engine(), row.id, actor=actor, with_areas=True)
    except StadtraumError as exc:
        st.error(md_literal(error_text(exc)))
        return
    if "online" not in row.allowed_modes:
        st.caption(tr("Die Befragung erlaubt keine Online-Antworten; die Häufungserkennung "
                      "greift erst, wenn „Online“ erlaubt ist.", "The survey allows no online "
                      "responses; the burst detector only matters once “online” is "
                      "allowed."))
    st.caption(md_literal(rule_text(status.controls)))
    _form(row, status, actor)
    flash_here("burst", flash)
    _areas(status)
    waiting = status.flagged
    st.markdown(md_literal(tr(
        f"{waiting} markierte Online-Antworten warten auf Prüfung (davon {status.flagged_burst}"
        " wegen einer Häufung). Prüfen lassen sie sich hier darunter und auf der Seite "
        "„Verwaltung“ unter „Markierte Online-Antworten“.",
        f"{waiting} flagged online responses await review ({status.flagged_burst} of them for "
        "a burst). They can be reviewed right below and on the “Verwaltung” page under "
        "“Markierte Online-Antworten”.")))
    if waiting:
        with st.expander(tr(f"Markierte Antworten prüfen ({waiting})",
                            f"Review flagged responses ({waiting})")):
            admin_flagged.flagged_list(actor, row.id, waiting)
