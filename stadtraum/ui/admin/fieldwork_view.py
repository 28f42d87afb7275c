"""The field-work dashboard "Feldarbeit" (admins, moderators; also for a projector).

One open campaign at a time (a picker when several are open, the newest first); the figures
sit in a fragment that reruns every 30 seconds. Each run asks
:func:`stadtraum.admin.fieldwork.dashboard`, which recounts only when the change counter,
the campaign or the day moved. Names (areas, campaigns, helpers) are user text: shown in
``st.dataframe``, select options, map tooltips escaped by the map builder, or literally.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.fieldwork import Dashboard, OpenCampaign, dashboard, open_campaigns
from stadtraum.admin.fieldwork_counts import Cell, progress_text, target_share
from stadtraum.admin.fieldwork_map import target_features, target_legend
from stadtraum.config import CITY_TZ
from stadtraum.maps.choropleth import choropleth_map
from stadtraum.ui.admin.campaign_texts import mode_label, tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.maps.map_view import show_legend, show_map
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import cube_provider, engine, settings
from stadtraum.vocab import SURVEY_MODES

__all__ = ["PAGE", "REFRESH_SECONDS", "show"]

PAGE = "feldarbeit"
PICK = "fw_pick"
MAP_KEY = "fw_map"
REFRESH_SECONDS = 30
# Our own class names only, no user text: the four figures and the map beside the tables
# wrap into rows where the page is narrow (1024 px with the sidebar) instead of cutting
# their text; on a wide screen (a projector at 1920x1080) the figures grow.
_CSS = """<style>
.st-key-fw_figures [data-testid="stHorizontalBlock"],
.st-key-fw_main [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
.st-key-fw_figures [data-testid="stColumn"] { flex: 1 1 12rem !important; min-width: 12rem; }
.st-key-fw_main [data-testid="stColumn"]:first-child { flex: 3 1 26rem !important; }
.st-key-fw_main [data-testid="stColumn"]:last-child { flex: 2 1 20rem !important; }
@media (min-width: 1600px) {
  .st-key-fw_figures [data-testid="stMetricValue"] { font-size: 3.2rem; }
  .st-key-fw_figures [data-testid="stMetricLabel"] p { font-size: 1.25rem; }
}
</style>"""


def _rule(min_n: int) -> str:
    return tr(
        f"Gezählt werden gültige Antworten. Je Gebiet steht die genaue Zahl nur dort, wo auch "
        f"die Planungsansichten (Übersicht, Karte) sie zeigen; sonst wie dort „unter {min_n}“ "
        "(auch zum Schutz einer kleinen Nachbarzelle). Die Zielzahl steht immer da. „Heute“ "
        "und „letzte 60 Minuten“ gibt es nur für die ganze Befragung; die Erhebungsarten von "
        f"heute erscheinen nur alle zusammen, wenn jede 0 oder mindestens {min_n} ist. Die "
        "Summe zählt Straße, Papier und Online; Fokusgruppen stehen getrennt daneben. Keine "
        "Zahl auf dieser Seite stammt aus Bewertungen.",
        "Valid responses are counted. Per area the exact number appears only where the "
        "planners' views (overview, map) show it; otherwise, as there, "
        f"“under {min_n}” (also to protect a small neighbouring cell). The target is always "
        "shown. “Today” and “last 60 minutes” exist for the whole campaign only; today's "
        f"modes appear only all together, when each is 0 or at least {min_n}. The sum counts "
        "street, paper and online; focus groups are listed separately. No figure on this "
        "page comes from ratings.")


def _pick(actor: Actor) -> OpenCampaign | None:
    rows = open_campaigns(engine(), actor=actor)
    if not rows:
        st.info(tr("Zurzeit ist keine Befragung offen. Öffnen lässt sich eine auf der Seite "
                   "Befragungen.", "No campaign is open at the moment. Open one on the "
                   "Campaigns page."))
        return None
    if len(rows) == 1:
        st.subheader(md_literal(rows[0].name), anchor=False)
        return rows[0]
    by_id = {r.id: r for r in rows}
    if st.session_state.get(PICK) not in by_id:
        st.session_state[PICK] = rows[0].id
    chosen = st.selectbox(tr("Offene Befragung", "Open campaign"), list(by_id),
                          format_func=lambda i: by_id[i].name, key=PICK)
    return by_id[int(chosen)]


def _metrics(d: Dashboard) -> None:
    targets = [a.target for a in d.areas if a.target is not None]
    total = progress_text(d.total, sum(targets) if targets else None, lang())
    # one row that wraps: each figure as wide as its text, so "unter 5 von 1200" is never cut
    row = st.container(horizontal=True, gap="large")
    row.metric(tr("Antworten insgesamt", "Responses in total"), total, width="content")
    row.metric(tr("Heute", "Today"), d.today.text(lang()), width="content")
    row.metric(tr("Letzte 60 Minuten", "Last 60 minutes"), d.last_hour.text(lang()),
               width="content")
    row.metric(tr("Entwürfe nicht gesendet", "Drafts not sent"), str(d.drafts.open),
               width="content",
               help=tr(f"davon {d.drafts.waiting} gesendet, aber nicht gespeichert "
                       "(erneut senden)", f"{d.drafts.waiting} of them sent but not "
                       "stored (send again)"))


def _text(c: Cell) -> str:
    return c.text(lang())


def _area_table(d: Dashboard) -> None:
    rows = d.areas
    share = [target_share(a.total, a.target) for a in rows]
    frame = pd.DataFrame({
        tr("Gebiet", "Area"): [a.name for a in rows],
        tr("Code", "Code"): [a.code for a in rows],
        tr("Stand", "Progress"): [progress_text(a.total, a.target, lang()) for a in rows],
        tr("Antworten", "Responses"): pd.array([a.total.value for a in rows], dtype="Int64"),
        tr("Ziel", "Target"): pd.array([a.target for a in rows], dtype="Int64"),
        tr("Anteil (%)", "Share (%)"): [None if s is None else round(s) for s in share],
        **{mode_label(m): [_text(a.modes[m]) for a in rows] for m in SURVEY_MODES},
        mode_label("focus_group"): [_text(a.focus) for a in rows],
    })
    st.dataframe(frame, hide_index=True, width="stretch", key="fw_areas", placeholder="–")


def _mode_table(d: Dashboard) -> None:
    label = tr("Erhebungsart", "Mode")
    modes = [*SURVEY_MODES, "focus_group"]
    today = {**d.today_modes, "focus_group": d.today_focus}
    total = {**d.modes, "focus_group": d.focus}
    st.dataframe(pd.DataFrame({
        label: [*(mode_label(m) for m in modes), tr("Summe ohne Fokusgruppen",
                                                   "Sum without focus groups")],
        tr("Heute", "Today"): [*(_text(today[m]) for m in modes), _text(d.today)],
        tr("Insgesamt", "In total"): [*(_text(total[m]) for m in modes), _text(d.total)],
    }), hide_index=True, width="stretch", key="fw_modes")


def _hours(d: Dashboard) -> None:
    busy = [h for h, c in d.hours if c.value != 0]  # from the first hour with responses
    shown = [(h, c) for h, c in d.hours if busy and h >= busy[0]]
    if not shown:
        st.caption(tr("Heute noch keine Antworten.", "No responses yet today."))
        return
    st.dataframe(pd.DataFrame({
        tr("Stunde", "Hour"): [f"{h:02d}–{h + 1:02d} {tr('Uhr', 'h')}" for h, _ in shown],
        tr("Antworten", "Responses"): [_text(c) for _, c in shown],
    }), hide_index=True, width="stretch", key="fw_hours")


def _helpers(d: Dashboard) -> None:
    if d.helpers is None:
        return
    st.subheader(tr("Erfasser*innen heute", "Helpers today"), anchor=False)
    if not d.helpers:
        st.caption(tr("Heute noch niemand.", "Nobody yet today."))
        return
    hidden = tr("ausgeblendet", "hidden")
    st.dataframe(pd.DataFrame({
        tr("Name", "Name"): [h.name for h in d.helpers],
        tr("Heute (Straße, Papier)", "Today (street, paper)"): [
            hidden if h.today is None else str(h.today) for h in d.helpers],
        tr("Entwürfe nicht gesendet", "Drafts not sent"): [h.drafts for h in d.helpers],
    }), hide_index=True, width="stretch", key="fw_helpers")


@st.fragment(run_every=REFRESH_SECONDS)
def _figures(campaign_id: int, actor: Actor) -> None:
    d = dashboard(engine(), cube_provider(), campaign_id, actor=actor)
    with st.container(key="fw_figures"):
        _metrics(d)
    st.caption(md_literal(tr(  # the level's name is user text
        f"Stand {d.at.astimezone(CITY_TZ):%H:%M:%S} Uhr · aktualisiert sich alle "
        f"{REFRESH_SECONDS} Sekunden · Ebene „{d.level}“",
        f"As of {d.at.astimezone(CITY_TZ):%H:%M:%S} · refreshes every {REFRESH_SECONDS} "
        f"seconds · level “{d.level}”")))
    left, right = st.container(key="fw_main").columns([3, 2])
    with left:
        features = target_features(engine(), campaign_id, d.areas, lang())
        show_map(choropleth_map(features, basemap_key=settings().basemap), key=MAP_KEY,
                 height=420)
        show_legend(target_legend(d.min_n, lang()))
    with right:
        st.subheader(tr("Nach Erhebungsart", "By mode"), anchor=False)
        _mode_table(d)
        st.subheader(tr("Heute je Stunde", "Today per hour"), anchor=False)
        _hours(d)
        _helpers(d)
    st.subheader(tr("Je Gebiet", "Per area"), anchor=False)
    _area_table(d)


def show(actor: Actor) -> None:
    st.html(_CSS)
    campaign = _pick(actor)
    if campaign is None:
        return
    st.caption(md_literal(_rule(campaign.min_n)))
    _figures(campaign.id, actor)
