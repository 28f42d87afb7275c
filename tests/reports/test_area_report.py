"""The area report: self-contained HTML, figures from the one engine (live) or only from the
published snapshot (public), released comments literally and inert, the PDF and its
first page as a PNG artefact."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.profile import profile_table
from stadtraum.analysis.results import compute_results
from stadtraum.config import project_root
from stadtraum.errors import (
    NotFoundError,
    PermissionDeniedError,
    StadtraumError,
    ValidationError,
)
from stadtraum.privacy.purge import purge_campaign
from stadtraum.publish.service import published_area
from stadtraum.reports.area_report import build_area_report
from stadtraum.reports.pdf import PdfUnavailableError, html_to_pdf
from stadtraum.reports.typography import de_number
from tests.helpers import count_rows
from tests.reports.html_check import Parsed, assert_self_contained
from tests.reports.report_city import (
    CITY_NAME,
    HIDDEN_COMMENT,
    NEW_COMMENT,
    PAYLOAD_NAME,
    REDACTED_ORIGINAL,
    REDACTED_SHOWN,
    XSS_COMMENT,
    ReportCity,
    build_report_city,
)

PLANNER = Actor("planerin", "planner")
INTERNAL = "Interner Bericht – Live-Zahlen, nicht veröffentlicht"
WALK, HOUSING = "Zu Fuß und mit dem Rad", "Wohnen"


def _html(city_db: tuple[Engine, ReportCity], provider: CubeProvider, code: str,
          source: str) -> str:
    engine, built = city_db
    return build_area_report(engine, provider, built.later, code, actor=PLANNER,
                             source=source, fmt="html").decode("utf-8")


def test_live_report_is_self_contained_and_matches_the_engine(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider) -> None:
    engine, built = city_db
    parsed = Parsed(_html(city_db, provider, "Q2", "live"))
    assert_self_contained(parsed)
    logos = parsed.tags("img")
    assert len(logos) == 1 and logos[0]["src"].startswith("data:image/png;base64,")
    assert len(parsed.tags("svg")) == 2  # the map excerpt and the radar
    text = parsed.all_text
    assert INTERNAL in text and CITY_NAME in text and "Befragung 2026" in text
    rows = parsed.table_with("95-%-KI")
    assert rows[0] == ["Kriterium", "n", "Mittelwert", "95-%-KI", "Median"]
    engine_rows = profile_table(compute_results(engine, provider,
                                                CubeFilter((built.later,))), "Q2")
    assert len(rows) - 1 == len(engine_rows) == 14
    for row, expected in zip(rows[1:], engine_rows.to_dict("records"), strict=True):
        assert row[0] == expected["criterion"]
        if expected["note"]:  # suppressed: "·" in every cell, never a number
            assert row[1:] == ["·"] * 4
        else:
            assert row[1:] == [str(expected["n"]), de_number(expected["mean"]),
                               f"{de_number(expected['ci_low'])} – "
                               f"{de_number(expected['ci_high'])}",
                               de_number(expected["median"])]
    walk = next(r for r in rows if r[0] == WALK)
    assert walk[1:3] == ["5", "6,2"] and walk[4] == "6,0"  # by hand: 6, 7, 6, 5, 7
    assert next(r for r in rows if r[0] == HOUSING)[1:] == ["·"] * 4  # n = 2 < 3
    assert "„" in text and "“" in text
    waves = parsed.table_with("Veränderung")
    assert waves[0][1:3] == ["Befragung 2024", "Befragung 2026"]
    assert next(r for r in waves if r[0] == WALK)[1:4] == ["3,0", "6,2", "+3,2"]
    prio = parsed.table_with("Anteil")
    assert prio[1] == [WALK, "100,0 %"]


def test_secondary_suppression_reaches_the_report_table(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider) -> None:
    """Q2's housing (n = 2) is hidden; Q1's (n = 4) must go too, or it would follow from
    district D1 minus Q1 — so Q1's row shows "·" although four people rated it."""
    for source in ("live", "published"):
        parsed = Parsed(_html(city_db, provider, "Q1", source))
        header = "95-%-KI" if source == "live" else "Mittelwert (gerundet)"
        row = next(r for r in parsed.table_with(header) if r[0] == HOUSING)
        assert set(row[1:]) == {"·"}
    district = Parsed(_html(city_db, provider, "D1", "live")).table_with("95-%-KI")
    assert next(r for r in district if r[0] == HOUSING)[1:3] == ["6", "2,8"]  # 3,3,3,3,2,3


def test_only_released_comments_as_moderated_literally(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider) -> None:
    html = _html(city_db, provider, "Q2", "live")
    quotes = [q.strip() for q in Parsed(html).text if q.strip().startswith("„")]
    assert f"„{XSS_COMMENT}“" in quotes and f"„{REDACTED_SHOWN}“" in quotes
    for secret in (REDACTED_ORIGINAL, HIDDEN_COMMENT, NEW_COMMENT):
        assert secret not in html


def test_payloads_in_names_and_comments_stay_inert(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider, tmp_path: Path) -> None:
    for source in ("live", "published"):
        html = _html(city_db, provider, "Q2", source)
        parsed = Parsed(html)
        assert_self_contained(parsed)
        names = [tag for tag, _ in parsed.elements]
        assert names.count("style") == 1 and names.count("img") == 1
        assert names.count("svg") == 2 and "script" not in names
        lowered = html.lower()  # the payloads appear only as escaped text
        assert "<script" not in lowered and "<svg onload" not in lowered
        assert "<img src=x" not in lowered and "</style><" not in lowered
        assert PAYLOAD_NAME in parsed.all_text  # shown, as text
    assert XSS_COMMENT in Parsed(_html(city_db, provider, "Q2", "live")).all_text
    engine, built = city_db
    pdf = build_area_report(engine, provider, built.later, "Q2", actor=PLANNER,
                            source="live", fmt="pdf")
    target = tmp_path / "q2.pdf"
    target.write_bytes(pdf)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(target).pages)
    assert "<img src=x onerror=alert(3)>" in text and "<script>alert(4)</script>" in text
    assert "<script>alert(1)</script>" in text  # the area's name, printed as text


def test_public_report_shows_only_the_published_snapshot(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider) -> None:
    engine, built = city_db
    html = _html(city_db, provider, "Q2", "published")
    parsed = Parsed(html)
    assert INTERNAL not in parsed.all_text and "veröffentlichter Stand" in parsed.all_text
    rows = parsed.table_with("Mittelwert (gerundet)")
    assert rows[0] == ["Kriterium", "Mittelwert (gerundet)"]  # no n, CI or median
    snap = published_area(engine, built.later, "Quartier", "Q2")
    assert snap is not None
    results = compute_results(engine, provider, CubeFilter((built.later,)))
    for row, crit in zip(rows[1:], results.criteria, strict=True):
        value = snap.values.get(crit.id)
        assert row == [crit.label("de"), "·" if value is None else de_number(value)]
    assert next(r for r in rows if r[0] == WALK)[1] == "6,2"
    for internal_only in (XSS_COMMENT, REDACTED_SHOWN, "Top-Prioritäten", "95-%-KI",
                          "Ausgewählte Kommentare"):
        assert internal_only not in parsed.all_text
    assert "<h2>Stärken und Schwächen</h2>" not in html
    waves = parsed.table_with("Veränderung")
    assert next(r for r in waves if r[0] == WALK)[1:4] == ["3,0", "6,2", "+3,2"]


def test_unknown_area_level_source_and_format_are_refused(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider) -> None:
    engine, built = city_db
    refused: list[tuple[type[StadtraumError], str, dict[str, str]]] = [
        (NotFoundError, "Gebiet „Q9“", dict(code="Q9")),
        (NotFoundError, "auf der Ebene „Stadtbezirk“ nicht", dict(level="Stadtbezirk")),
        (ValidationError, "Die Ebene „Bezirk“ gibt es", dict(level="Bezirk")),
        (ValidationError, "Unbekannte Quelle „x“", dict(source="x")),
        (ValidationError, "Unbekanntes Format „docx“", dict(fmt="docx")),
    ]
    for error, german, change in refused:
        kwargs: dict[str, str] = {"code": "Q1", "source": "live", "fmt": "html", **change}
        code = kwargs.pop("code")
        with pytest.raises(error) as caught:
            build_area_report(engine, provider, built.later, code, actor=PLANNER,
                              **kwargs)
        assert german in caught.value.message_de
    # a district's report: its own level, the city as reference
    html = build_area_report(engine, provider, built.later, "D1", actor=PLANNER,
                             level="Stadtbezirk", source="live", fmt="html").decode()
    assert "Gebietsbericht Bezirk D1" in html


def test_pdf_has_pages_numbers_city_and_the_notice_on_every_page(
        city_db: tuple[Engine, ReportCity], provider: CubeProvider,
        tmp_path: Path) -> None:
    engine, built = city_db
    pdf = build_area_report(engine, provider, built.later, "D2", actor=PLANNER,
                            source="live", level="Stadtbezirk", fmt="pdf")
    target = tmp_path / "area.pdf"
    target.write_bytes(pdf)
    reader = pypdf.PdfReader(target)
    pages = [p.extract_text() for p in reader.pages]
    assert 3 <= len(pages) <= 6
    for i, page in enumerate(pages, 1):
        assert f"Seite {i} von {len(pages)}" in page
        assert INTERNAL in page
        assert CITY_NAME in " ".join(page.split())
    text = " ".join(pages)
    assert "Gebietsbericht Bezirk D2" in text and "Seite 1 von" in pages[0]
    assert "Bezirk D1" in pages[0]  # the neighbour, labelled on the map
    assert "Wohnen 3 5,0 5,0 – 5,0 5,0" in " ".join(text.split())  # D2 = Q3: 5, 5, 5
    png = tmp_path / "page1"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(target), str(png)], check=True)
    image = png.with_suffix(".png")
    assert image.read_bytes().startswith(b"\x89PNG") and image.stat().st_size > 5000
    if os.environ.get("STADTRAUM_WRITE_ARTEFACTS") == "1":
        out = project_root() / "docs" / "screenshots" / "report-area-page1.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(image, out)


def test_a_missing_weasyprint_is_a_clear_german_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what an uninstalled module does
    with pytest.raises(PdfUnavailableError) as caught:
        html_to_pdf("<p>x</p>")
    assert "PDF-Berichte brauchen WeasyPrint" in caught.value.message_de


def test_only_planners_and_admins_build_reports_and_each_is_audited(engine: Engine) -> None:
    built = build_report_city(engine, publish=False)
    provider = CubeProvider(engine)
    before = count_rows(engine, "audit_log", "action = 'build_report'")
    for role in ("moderator", "helper"):
        with pytest.raises(PermissionDeniedError):
            build_area_report(engine, provider, built.later, "Q1", actor=Actor("m", role),
                              source="live", fmt="html")
    assert count_rows(engine, "audit_log", "action = 'build_report'") == before
    with pytest.raises(ValidationError) as caught:
        build_area_report(engine, provider, built.later, "Q1", actor=PLANNER, fmt="html")
    assert "noch keine veröffentlichten Ergebnisse" in caught.value.message_de
    assert count_rows(engine, "audit_log", "action = 'build_report'") == before
    for actor in (PLANNER, Actor("chefin", "admin"), SYSTEM):
        build_area_report(engine, provider, built.later, "Q1", actor=actor, source="live",
                          fmt="html")
    assert count_rows(engine, "audit_log", "action = 'build_report'") == before + 3
    assert count_rows(engine, "audit_log", "action = 'build_report' AND actor = 'planerin' "
                      f"AND object_type = 'campaign' AND object_id = '{built.later}' "
                      "AND detail LIKE '%Q1%' AND detail LIKE '%live%'") == 1


def test_after_purge_the_public_reports_still_show_the_published_figures(
        engine: Engine) -> None:
    """Retention or purge leaves the published snapshot: the earlier wave's public report and
    the later wave's comparison with it show the same figures as before, with no raw row."""
    built = build_report_city(engine)
    provider = CubeProvider(engine)

    def public(cid: int) -> str:
        return build_area_report(engine, provider, cid, "Q1", actor=PLANNER,
                                 source="published", fmt="html").decode()

    def tables(html: str) -> list[list[list[str]]]:
        parsed = Parsed(html)
        return [parsed.table_with("Mittelwert (gerundet)")] + (
            [parsed.table_with("Veränderung")] if "Veränderung" in html else [])

    before_earlier, before_later = tables(public(built.earlier)), tables(public(built.later))
    assert next(r for r in before_earlier[0] if r[0] == WALK)[1] == "3,0"
    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET status = 'closed' WHERE id = :c"),
                     {"c": built.earlier})
    purge_campaign(engine, built.earlier, actor=SYSTEM)
    assert count_rows(engine, "responses", f"campaign_id = {built.earlier}") == 0
    assert tables(public(built.earlier)) == before_earlier
    assert tables(public(built.later)) == before_later
