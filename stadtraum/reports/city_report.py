"""Use case: the city-wide summary report of a campaign, as HTML or PDF.

Sections: the city's profile (radar) and its figures per criterion; a small map per criterion
and one of the overall index (suppressed areas hatched); the overall table of every area
(index and mean per criterion, "·" where hidden); the method and confidentiality note.
``progress(done, total, what)`` is called while it builds (for the app's progress bar).
Needs ``results.export``; audited as ``build_report``.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.charts.radar_svg import radar_svg
from stadtraum.reports.area_report import check_format, record_report, stats_table
from stadtraum.reports.city_data import Progress, city_report_data
from stadtraum.reports.html_layout import document, suppressed_legend
from stadtraum.reports.map_svg import legend_svg, small_map_svg
from stadtraum.reports.pdf import html_to_pdf
from stadtraum.reports.report_data import CityReport, check_source, make_header
from stadtraum.reports.typography import de_int, de_number, esc
from stadtraum.store.campaigns import find_campaign

__all__ = ["build_city_report", "city_report_html"]

STEPS = 5  # numbers, maps, HTML, PDF, done


def _num(value: float | None) -> str:
    if value is None:
        return '<td class="num hidden">·</td>'
    return f'<td class="num">{de_number(value)}</td>'


def _overall(report: CityReport) -> str:
    h = report.header
    heads = "".join(f'<th class="num" title="{esc(label)}">{i}</th>'
                    for i, label in enumerate(report.labels, 1))
    n_head = '<th class="num">n</th>' if h.internal else ""
    rows = []
    for r in report.areas:
        n = ""
        if h.internal:
            n = ('<td class="num hidden">·</td>' if r.respondents is None else
                 f'<td class="num">{de_int(r.respondents)}</td>')
        rows.append(f"<tr><td>{esc(r.name)}</td>{n}{_num(r.index)}"
                    f"{''.join(_num(v) for v in r.means)}</tr>")
    key = "; ".join(f"{i} = {esc(label)}" for i, label in enumerate(report.labels, 1))
    return ('<section class="page-break"><h2>Übersicht aller Gebiete</h2>'
            f'<table class="overall"><thead><tr><th>{esc(report.level_name)}</th>{n_head}'
            f'<th class="num">Index</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody>'
            f'</table><p class="legend">Spalten: {key}. Index: Mittel der gezeigten '
            f"Kriterien. {esc(suppressed_legend(h.min_n))}</p></section>")


def city_report_html(report: CityReport, progress: Progress | None = None) -> str:
    """The report as one HTML document (pure)."""
    h = report.header
    body = ["<h2>Profil der Gesamtstadt</h2><figure>"
            + radar_svg(report.labels, [report.city_series], title="Gesamtstadt",
                        min_n=h.min_n) + "</figure>",
            '<section class="page-break"><h2>Werte der Gesamtstadt je Kriterium</h2>'
            + stats_table(report.city_table, h.internal, h.min_n) + "</section>"]
    maps = [small_map_svg(report.index_map, title="Gesamtindex", key="index")]
    for i, (label, layer) in enumerate(zip(report.labels, report.maps, strict=True)):
        maps.append(small_map_svg(layer, title=label, key=str(i)))
    if progress is not None:
        progress(3, STEPS, "Karten gezeichnet")
    body.append('<section class="page-break"><h2>Karten je Kriterium</h2>'
                f"<p>Mittelwert je {esc(report.level_name)} (1 bis 7).</p>"
                + legend_svg(f"zu wenige Antworten (n < {h.min_n})")
                + '<div class="small-maps">'
                + "".join(f"<figure>{m}</figure>" for m in maps) + "</div></section>")
    body.append(_overall(report))
    if report.notes:
        body.append('<h2>Hinweise</h2><ul class="note">'
                    + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>")
    return document(h, f"Stadtbericht {h.city_name or ''}".strip(), "Zusammenfassung", body)


def build_city_report(engine: Engine, provider: CubeProvider, campaign_id: int, *,
                      actor: Actor, source: str = "published", fmt: str = "pdf",
                      progress: Progress | None = None) -> bytes:
    """The city report of campaign ``campaign_id`` (HTML as UTF-8 or PDF bytes). Needs
    ``results.export``; audited as ``build_report``."""
    require(actor, "results.export")
    check_source(source)
    check_format(fmt)
    with Session(engine) as session:
        min_n = int(find_campaign(session, campaign_id).min_n)

    def step(done: int, total: int, what: str) -> None:
        if progress is not None:
            progress(done, STEPS, what)

    report = city_report_data(engine, provider,
                              make_header(engine, campaign_id, source, min_n), step)
    html = city_report_html(report, step)
    step(4, STEPS, "PDF wird gesetzt" if fmt == "pdf" else "HTML fertig")
    data = html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    record_report(engine, actor, campaign_id, report="city", source=source, format=fmt)
    step(STEPS, STEPS, "fertig")
    return data
