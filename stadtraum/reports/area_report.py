"""Use case: the printable report of one area and campaign, as HTML (self-contained, offline)
or PDF (:mod:`stadtraum.reports.pdf`).

Sections: title with city name and logo, area and campaign; the map excerpt (the area
highlighted, its neighbours labelled); the radar against parent and city; the table per
criterion (n, mean, CI, median; the public report only the published mean); strengths and
weaknesses; top priorities; a few released comments per kind, literally; the comparison with
the previous wave; the method and confidentiality note. Every text is escaped, so names and
comments stay inert. Needs ``results.export``; every report built is audited.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.charts.radar_svg import radar_svg
from stadtraum.reports.area_data import area_report_data
from stadtraum.reports.html_layout import document, suppressed_legend
from stadtraum.reports.map_svg import excerpt_svg
from stadtraum.reports.pdf import html_to_pdf
from stadtraum.reports.report_data import (
    AreaReport,
    StatRow,
    WaveRow,
    check_source,
    make_header,
)
from stadtraum.reports.typography import de_int, de_number, esc, quoted, signed
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.engine import write_engine

__all__ = ["FORMATS", "area_report_html", "build_area_report", "record_report",
           "stats_table"]

FORMATS = ("html", "pdf")
_HIDDEN = '<td class="num hidden">·</td>'


def _cell(value: float | None, hidden: bool, digits: int = 1) -> str:
    if hidden or value is None:
        return _HIDDEN
    return f'<td class="num">{de_number(value, digits)}</td>'


def stats_table(rows: Sequence[StatRow], internal: bool, min_n: int) -> str:
    """The table per criterion; a suppressed cell is "·", never a number."""
    if internal:
        head = ("<tr><th>Kriterium</th><th class=\"num\">n</th><th class=\"num\">Mittelwert"
                "</th><th class=\"num\">95-%-KI</th><th class=\"num\">Median</th></tr>")
    else:
        head = "<tr><th>Kriterium</th><th class=\"num\">Mittelwert (gerundet)</th></tr>"
    body = []
    for r in rows:
        if not internal:
            body.append(f"<tr><td>{esc(r.criterion)}</td>{_cell(r.mean, r.suppressed)}</tr>")
            continue
        ci = (_HIDDEN if r.suppressed or r.ci_low is None or r.ci_high is None else
              f'<td class="num">{de_number(r.ci_low)} – {de_number(r.ci_high)}</td>')
        n = _HIDDEN if r.suppressed or r.n is None else f'<td class="num">{de_int(r.n)}</td>'
        body.append(f"<tr><td>{esc(r.criterion)}</td>{n}{_cell(r.mean, r.suppressed)}{ci}"
                    f"{_cell(r.median, r.suppressed)}</tr>")
    return (f'<table class="stats"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'
            f'<p class="legend">{esc(suppressed_legend(min_n))}</p>')


def _words(report: AreaReport) -> str:
    if report.strengths is None or report.weaknesses is None:
        return ""
    if not report.strengths and not report.weaknesses:
        return ("<h2>Stärken und Schwächen</h2><p>Kein Thema unterscheidet sich deutlich "
                "(über dem Zufallsrauschen) vom Rest der Stadt.</p>")

    def items(lines: Sequence[str], none: str) -> str:
        return "".join(f"<li>{esc(line)}</li>" for line in lines) if lines else \
            f"<li>{none}</li>"
    return ("<h2>Stärken und Schwächen</h2><p class=\"note\">Nur Themen, die sich deutlich "
            "vom Rest der Stadt unterscheiden (Rangtest, 5-%-Niveau).</p>"
            f"<h3>Stärken</h3><ul>{items(report.strengths, 'keine deutliche Stärke')}</ul>"
            f"<h3>Schwächen</h3><ul>{items(report.weaknesses, 'keine deutliche Schwäche')}"
            "</ul>")


def _priorities(report: AreaReport) -> str:
    if report.priorities is None:
        return ""
    if not report.priorities:
        return "<h2>Top-Prioritäten</h2><p>Niemand hat eine Priorität genannt.</p>"
    rows = "".join(f'<tr><td>{esc(c)}</td><td class="num">{de_number(s)} %</td></tr>'
                   for c, s in report.priorities)
    return ("<h2>Top-Prioritäten</h2><p class=\"note\">Anteil der "
            f"{de_int(report.priority_base)} Befragten, die das Kriterium als eine ihrer (bis "
            "zu drei) Prioritäten nennen.</p><table><thead><tr><th>Kriterium</th><th "
            f'class="num">Anteil</th></tr></thead><tbody>{rows}</tbody></table>')


def _comments(report: AreaReport) -> str:
    if report.comments is None:
        return ""
    if not report.comments:
        return "<h2>Ausgewählte Kommentare</h2><p>Keine freigegebenen Kommentare.</p>"
    items = "".join(f"<h3>{esc(kind)} – {esc(crit)}</h3><blockquote>{esc(quoted(text))}"
                    "</blockquote>" for kind, crit, text in report.comments)
    return ("<h2>Ausgewählte Kommentare</h2><p class=\"note\">Die neuesten freigegebenen "
            "Kommentare je Art, im Wortlaut (nach der Moderation).</p>" + items)


def _wave_row(r: WaveRow) -> str:
    hidden = r.before is None or r.after is None
    diff = _HIDDEN if hidden else f'<td class="num">{signed(r.diff)}</td>'
    return (f"<tr><td>{esc(r.criterion)}</td>{_cell(r.before, hidden)}"
            f"{_cell(r.after, hidden)}{diff}<td>{esc(r.hint)}</td></tr>")


def _waves(report: AreaReport) -> str:
    w = report.waves
    if w is None:
        return ""
    return ("<h2>Vergleich mit der vorigen Befragung</h2>"
            f"<table><thead><tr><th>Kriterium</th><th class=\"num\">{esc(w.name_before)}</th>"
            f"<th class=\"num\">{esc(w.name_after)}</th><th class=\"num\">Veränderung</th>"
            f"<th>Einschätzung</th></tr></thead><tbody>"
            f"{''.join(_wave_row(r) for r in w.rows)}</tbody></table>"
            f'<p class="legend">{esc(w.note)} {esc(suppressed_legend(report.header.min_n))}</p>')


def area_report_html(report: AreaReport) -> str:
    """The report as one HTML document (pure)."""
    h = report.header
    body = []
    if report.map_areas:
        body.append("<h2>Lage</h2><figure>" + excerpt_svg(report.map_areas, colour=h.colour)
                    + "<figcaption>Das Gebiet (hervorgehoben) und seine Nachbargebiete."
                    "</figcaption></figure>")
    body.append("<h2>Profil</h2><figure>" + radar_svg(
        report.labels, report.series, title=f"Gebietsprofil: {report.name}", min_n=h.min_n)
        + "</figure>")
    index = ("" if report.index is None else
             f"<p>Gesamtindex (Mittel der gezeigten Kriterien): <strong>"
             f"{de_number(report.index)}</strong></p>")
    body.append('<section class="page-break"><h2>Werte je Kriterium</h2>' + index
                + stats_table(report.table, h.internal, h.min_n) + "</section>")
    body += [_words(report), _priorities(report), _comments(report), _waves(report)]
    if report.notes:
        body.append('<h2>Hinweise</h2><ul class="note">'
                    + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>")
    return document(h, f"Gebietsbericht {report.name}",
                    f"{report.level_name} {report.code}", [b for b in body if b])


def record_report(engine: Engine, actor: Actor, campaign_id: int, **detail: object) -> None:
    """A report left the system: who, which campaign, what (audit log)."""
    require(actor, "results.export")
    with Session(write_engine(engine)) as session, session.begin():
        audit(session, actor.name, "build_report", "campaign", campaign_id, **detail)


def check_format(fmt: str) -> None:
    from stadtraum.errors import ValidationError

    if fmt not in FORMATS:
        raise ValidationError(f"Unbekanntes Format „{fmt}“ (erlaubt: html, pdf).",
                              f"unknown report format {fmt!r}", field="format")


def build_area_report(engine: Engine, provider: CubeProvider, campaign_id: int, code: str, *,
                      actor: Actor, source: str = "published", level: str | None = None,
                      fmt: str = "pdf") -> bytes:
    """The area report of ``code`` in campaign ``campaign_id`` (HTML as UTF-8 or PDF bytes).
    Needs ``results.export``; audited as ``build_report``."""
    require(actor, "results.export")
    check_source(source)
    check_format(fmt)
    with Session(engine) as session:
        min_n = int(find_campaign(session, campaign_id).min_n)
    report = area_report_data(engine, provider, make_header(engine, campaign_id, source, min_n),
                              code, level)
    html = area_report_html(report)
    data = html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    record_report(engine, actor, campaign_id, report="area", area=code,
                  level=report.level_name, source=source, format=fmt)
    return data
