"""The sections of the area profile: radar against parent and city, the table per
criterion, strengths and weaknesses, top priorities. While presenting, one section per
screen (chosen with a large control), the radar large."""

from __future__ import annotations

import streamlit as st

from stadtraum.analysis.area_compare import locate_area
from stadtraum.analysis.priorities import priority_shares
from stadtraum.analysis.profile import assessment, profile_series, profile_table, table_labels
from stadtraum.analysis.results import Results
from stadtraum.ui.analysis.profile_charts import file_stem, show_radar, show_table, tr
from stadtraum.ui.analysis.profile_comments import show_comments
from stadtraum.ui.i18n import lang
from stadtraum.ui.presentation import is_presenting
from stadtraum.ui.state import engine

__all__ = ["SECTIONS", "area_name", "show_profile"]

SECTIONS = ("radar", "table", "words", "priorities", "comments")


def _section_label(key: str) -> str:
    return {"radar": tr("Netzdiagramm", "Radar"), "table": tr("Tabelle", "Table"),
            "words": tr("Stärken und Schwächen", "Strengths and weaknesses"),
            "priorities": tr("Prioritäten", "Priorities"),
            "comments": tr("Kommentare", "Comments")}[key]


def area_name(results: Results, code: str) -> str:
    k, row = locate_area(results, code)
    return str(results.levels[k].areas["name"].iloc[row])


def _radar(results: Results, code: str, name: str) -> None:
    labels = [c.label(lang()) for c in results.criteria]
    show_radar(labels, profile_series(results, code),
               title=tr(f"Gebietsprofil: {name}", f"Area profile: {name}"),
               file_name=file_stem("stadtraum_gebietsprofil", name), key="profile_radar")
    st.caption(tr("Mitte = 1 (großer Verbesserungsbedarf), Rand = 7 (kaum "
                  "Verbesserungsbedarf). Verborgene Werte (zu wenige Antworten) sind Lücken.",
                  "Centre = 1 (a lot needs improving), edge = 7 (hardly anything needs "
                  "improving). Hidden values (too few responses) are gaps."))


def _table(results: Results, code: str, name: str) -> None:
    frame = profile_table(results, code, lang())
    show_table(frame, table_labels(lang()), file_name=f"stadtraum_gebietsprofil_{name}",
               key="profile_table")
    st.caption(tr("% 1 … % 7: Anteil der Bewertungen je Stufe. KI: 95-%-Konfidenzintervall "
                  "des Mittelwerts.", "% 1 … % 7: share of the ratings per score. CI: 95 % "
                  "confidence interval of the mean."))


def _words(results: Results, code: str) -> None:
    found = assessment(results, code, lang())
    if not found.strengths and not found.weaknesses:
        st.info(tr("Kein Thema unterscheidet sich deutlich (über dem Zufallsrauschen) vom "
                   "Rest der Stadt.", "No topic differs clearly (beyond random noise) from "
                   "the rest of the city."))
        return
    left, right = st.columns(2)
    for column, title, lines, sign, none in (
            (left, tr("Stärken", "Strengths"), found.strengths, "+ ",
             tr("keine deutliche Stärke", "no clear strength")),
            (right, tr("Schwächen", "Weaknesses"), found.weaknesses, "− ",
             tr("keine deutliche Schwäche", "no clear weakness"))):
        column.subheader(title)
        for line in lines:
            column.text(sign + line)
        if not lines:
            column.text(none)
    st.caption(tr("Nur Themen, die sich deutlich vom Rest der Stadt unterscheiden (Rangtest, "
                  "5-%-Niveau).", "Only topics that differ clearly from the rest of the city "
                  "(rank test, 5 % level)."))


def _priorities(results: Results, code: str, name: str) -> None:
    table = priority_shares(engine(), results, code, lang())
    if table.suppressed:
        st.info(tr(f"Prioritäten: zu wenige Antworten (n < {results.min_n}).",
                   f"Priorities: too few responses (n < {results.min_n})."))
        return
    st.text(tr(f"Anteil der {table.respondents} Befragten, die das Kriterium als eine ihrer "
               "(bis zu drei) Prioritäten nennen", f"Share of the {table.respondents} "
               "respondents naming the criterion as one of their (up to three) priorities"))
    show_table(table.frame, {"criterion": tr("Kriterium", "Criterion"),
                             "share": tr("Anteil in %", "Share in %")},
               file_name=f"stadtraum_prioritaeten_{name}", key="profile_priorities")


def show_profile(results: Results, code: str) -> None:
    name = area_name(results, code)
    sections = list(SECTIONS)
    if is_presenting():
        chosen = st.segmented_control(tr("Ansicht", "View"), SECTIONS, key="profile_section",
                                      format_func=_section_label, default="radar")
        sections = [chosen or "radar"]
    for section in sections:
        if section == "radar":
            _radar(results, code, name)
        elif section == "table":
            st.subheader(tr("Werte je Kriterium", "Figures per criterion"))
            _table(results, code, name)
        elif section == "words":
            _words(results, code)
        elif section == "priorities":
            st.subheader(tr("Top-Prioritäten", "Top priorities"))
            _priorities(results, code, name)
        else:
            show_comments(results, code, name)
