"""Download of the printable reports from the area profile: the area report (PDF) of the
shown area and campaign, and the city report with a progress bar while it builds.

Shown only to whoever may build reports (``results.export``: planners, admins); the use
cases check the permission again and write the audit line. The source is chosen here: the
public report (published snapshot) or the internal one (live figures, marked on every page).
The reports cover the whole campaign (the default survey view), not the page's filter.
"""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.permissions import may
from stadtraum.accounts.users import AuthUser
from stadtraum.analysis.area_compare import locate_area
from stadtraum.analysis.results import Results
from stadtraum.errors import StadtraumError
from stadtraum.reports.area_report import build_area_report
from stadtraum.reports.city_report import build_city_report
from stadtraum.ui.analysis.profile_charts import file_stem, tr
from stadtraum.ui.state import cube_provider, engine

__all__ = ["report_downloads"]

_STORE = "report_download_files"  # (kind, campaign, code, source) -> (file name, PDF bytes)


def _source_label(source: str) -> str:
    return {"published": tr("Öffentlich: veröffentlichter Stand",
                            "Public: published snapshot"),
            "live": tr("Intern: Live-Zahlen (auf jeder Seite gekennzeichnet)",
                       "Internal: live figures (marked on every page)")}[source]


def _offer(key: tuple[str, int, str, str]) -> None:
    stored = st.session_state.get(_STORE, {}).get(key)
    if stored is not None:
        name, data = stored
        st.download_button(tr(f"{name} herunterladen", f"Download {name}"), data,
                           file_name=name, mime="application/pdf",
                           key=f"report_dl_{'_'.join(map(str, key))}")


def _keep(key: tuple[str, int, str, str], name: str, data: bytes) -> None:
    files = dict(st.session_state.get(_STORE, {}))
    files[key] = (name, data)
    st.session_state[_STORE] = files


def _area(user: AuthUser, results: Results, code: str, campaign_id: int, source: str) -> None:
    key = ("area", campaign_id, code, source)
    if st.button(tr("Gebietsbericht (PDF) erstellen", "Build area report (PDF)"),
                 key="report_area_build"):
        k, _ = locate_area(results, code)
        try:
            with st.spinner(tr("Gebietsbericht wird erstellt …", "Building the area report …")):
                data = build_area_report(engine(), cube_provider(), campaign_id, code,
                                         actor=user.actor, source=source,
                                         level=results.levels[k].name, fmt="pdf")
        except StadtraumError as exc:
            st.error(exc.message_de)
            return
        _keep(key, file_stem("gebietsbericht", code, source) + ".pdf", data)
    _offer(key)


def _city(user: AuthUser, campaign_id: int, source: str) -> None:
    key = ("city", campaign_id, "", source)
    if st.button(tr("Stadtbericht (PDF) erstellen", "Build city report (PDF)"),
                 key="report_city_build"):
        bar = st.progress(0.0, text=tr("Stadtbericht wird erstellt …",
                                       "Building the city report …"))

        def step(done: int, total: int, what: str) -> None:
            bar.progress(min(done / total, 1.0), text=f"{tr('Stadtbericht', 'City report')}: "
                         f"{what} ({done}/{total})")
        try:
            data = build_city_report(engine(), cube_provider(), campaign_id, actor=user.actor,
                                     source=source, fmt="pdf", progress=step)
        except StadtraumError as exc:
            bar.empty()
            st.error(exc.message_de)
            return
        _keep(key, file_stem("stadtbericht", str(campaign_id), source) + ".pdf", data)
    _offer(key)


def report_downloads(user: AuthUser, results: Results, code: str, *,
                     purged: bool = False) -> None:
    """The report section under the profile (nothing for roles that may not build reports);
    of a ``purged`` campaign only the public version is left."""
    if not may(user.actor, "results.export"):
        return
    campaign_id = int(results.flt.campaign_ids[0])
    with st.expander(tr("Bericht zum Ausdrucken (PDF)", "Printable report (PDF)")):
        source = st.radio(tr("Fassung", "Version"), ("published",) if purged else
                          ("published", "live"),
                          format_func=_source_label, key="report_source", horizontal=True)
        st.caption(tr("Der Bericht zeigt die ganze Befragung ohne die Filter dieser Seite. "
                      "Die öffentliche Fassung enthält nur veröffentlichte, gerundete Werte; "
                      "Fallzahlen, Prioritäten und Kommentare stehen nur in der internen.",
                      "The report covers the whole survey without this page's filters. The "
                      "public version holds only published, rounded values; counts, "
                      "priorities and comments are in the internal one only."))
        left, right = st.columns(2)
        with left:
            _area(user, results, code, campaign_id, str(source))
        with right:
            _city(user, campaign_id, str(source))
