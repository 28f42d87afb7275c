"""The printable questionnaire: complete (every criterion with question, prompts, 7 boxes and
"keine Angabe", comment lines, priorities, demographics, Bogen-Nr.), A4 print CSS, and every
text escaped — also hostile catalogue texts, campaign and area names."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from stadtraum.criteria import get_catalogue, parse_catalogue
from stadtraum.paper.form import HIGH, LOW, MAX_LISTED_AREAS, questionnaire_html
from stadtraum.vocab import AGE_BANDS, GENDERS, RELATIONS

EVIL = '<script>alert("x")</script>'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def _classes(p: _Tags, name: str) -> int:
    return sum(1 for _, a in p.tags if name in (a.get("class") or "").split())


def test_every_criterion_has_its_block_with_scale_and_comment_lines() -> None:
    cat = get_catalogue()
    html = questionnaire_html(cat, "Befragung 2025", {"Q1": "Quartier Q1"})
    p = parse(html)
    text = " ".join(p.text)
    for pos, crit in enumerate(cat.criteria, start=1):
        assert f"{pos}. {crit.label_de}" in text
        assert crit.question_de in text
        assert all(prompt in text for prompt in crit.prompts_de)
    blocks = [a for t, a in p.tags if t == "section" and a.get("id", "").startswith("thema-")]
    assert [b["id"] for b in blocks] == [f"thema-{c}" for c in cat.ids]
    n = len(cat.ids)
    demo_boxes = len(AGE_BANDS.codes) + len(GENDERS.codes) + len(RELATIONS.codes)
    assert _classes(p, "box") == n * 8 + demo_boxes  # 1..7 + keine Angabe per criterion
    assert _classes(p, "line") == n * 4  # two lines for each of the two comments
    assert text.count("keine Angabe") >= n
    assert f"1 = {LOW}" in text and f"7 = {HIGH}" in text
    assert "Was ist hier gut?" in text and "Was könnte besser werden?" in text


def test_priorities_demographics_form_number_and_print_css() -> None:
    html = questionnaire_html(get_catalogue(), "Welle 1")
    text = " ".join(parse(html).text)
    assert "Bogen-Nr." in text and "Was ist Ihnen am wichtigsten?" in text
    assert "14 Mitgestaltung und Einfluss" in text  # numbers to write down as priorities
    for label in (*AGE_BANDS.labels_de, *GENDERS.labels_de, *RELATIONS.labels_de):
        assert label in text
    assert "@page { size: A4" in html and "page-break-inside: avoid" in html
    assert html.startswith("<!DOCTYPE html>") and '<html lang="de">' in html


def test_hostile_texts_are_escaped_everywhere() -> None:
    crit: dict[str, Any] = {
        "id": "evil", "label_de": EVIL, "label_en": "x", "cluster_de": "<b>C</b>",
        "cluster_en": "c", "question_de": "Frage & <i>Antwort</i>?", "question_en": "q",
        "plain_de": "p", "prompts_de": [EVIL, "<img src=x onerror=alert(1)>", "b"],
        "prompts_en": ["a", "b", "c"]}
    cat = parse_catalogue({"id": "evil_cat", "name_de": EVIL, "name_en": "x",
                           "criteria": [crit]})
    html = questionnaire_html(cat, EVIL, {"<q1>": '"><script>x()</script>'})
    p = parse(html)
    assert "script" not in {t for t, _ in p.tags} and "img" not in {t for t, _ in p.tags}
    assert "<i>" not in html and "<b>C" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    text = "".join(p.text)
    assert EVIL in text and "Frage & <i>Antwort</i>?" in text  # shown literally


def test_area_list_only_for_small_campaigns() -> None:
    cat = get_catalogue()
    few = {f"{i:03d}": f"Gebiet {i}" for i in range(3)}
    many = {f"{i:03d}": f"Gebiet {i}" for i in range(MAX_LISTED_AREAS + 1)}
    assert "001 – Gebiet 1" in questionnaire_html(cat, "B", few)
    assert "Gebiet 1<" not in questionnaire_html(cat, "B", many)
