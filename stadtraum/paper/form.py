"""The printable questionnaire (HTML, A4) generated from a campaign's catalogue.

One block per criterion: number, label, question, prompts, boxes 1..7 with the scale ends in
words, "keine Angabe", and lines for the two comments; then priorities and the optional
demographics. A "Bogen-Nr." field ties the sheet to its row in the typing template
(:mod:`stadtraum.paper.template`). Every text is HTML-escaped. PDF: the browser's "Drucken →
Als PDF speichern" (no PDF library is bundled; the print CSS sets A4 and page breaks).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from stadtraum.criteria import Catalogue, Criterion
from stadtraum.vocab import AGE_BANDS, COMMENT_KINDS, GENDERS, MAX_PRIORITIES, RELATIONS

LOW, HIGH = "großer Verbesserungsbedarf", "kaum Verbesserungsbedarf"
MAX_LISTED_AREAS = 60

CSS = """
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #000;
       max-width: 182mm; margin: 0 auto; line-height: 1.3; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 0 0 1mm; }
.head { display: flex; justify-content: space-between; gap: 6mm; align-items: flex-start; }
.field { border: 1.2pt solid #000; padding: 1.5mm 2mm; min-width: 45mm; min-height: 11mm;
         font-size: 9pt; }
.fields { display: flex; gap: 4mm; margin: 3mm 0; }
.fields .field { flex: 1; }
.intro { border: 0.6pt solid #555; padding: 2mm 3mm; margin: 2mm 0 4mm; font-size: 9.5pt; }
.block { break-inside: avoid; page-break-inside: avoid; border-top: 1pt solid #000;
         padding: 2.5mm 0 3mm; }
.cluster { font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.04em; color: #333; }
.question { font-weight: bold; margin: 1mm 0; }
ul.prompts { margin: 0 0 1.5mm 5mm; padding: 0; font-size: 9pt; color: #222; }
table.scale { border-collapse: collapse; margin: 1mm 0 2mm; }
table.scale td { text-align: center; padding: 0 1.6mm; font-size: 8.5pt; vertical-align: bottom; }
table.scale td.end { width: 30mm; font-size: 8pt; line-height: 1.1; }
.box { display: inline-block; width: 6mm; height: 6mm; border: 1.2pt solid #000;
       vertical-align: middle; margin-right: 1mm; }
.num { display: block; font-weight: bold; font-size: 10pt; }
.line { border-bottom: 0.6pt solid #777; height: 7mm; }
.comment { font-size: 9pt; margin-top: 1mm; }
.choices span { display: inline-block; margin: 1mm 5mm 1mm 0; white-space: nowrap; }
.prio .field { display: inline-block; min-width: 16mm; margin-right: 3mm; }
.areas { columns: 3; font-size: 8pt; margin-top: 2mm; }
.small { font-size: 8.5pt; color: #333; }
@media screen { body { margin: 8mm auto; } }
@media print { .noprint { display: none; } }
"""


def _boxes(labels: list[str]) -> str:
    return "".join(f'<span><span class="box"></span>{escape(t)}</span>' for t in labels)


def _scale() -> str:
    cells = "".join(f'<td><span class="num">{i}</span><span class="box"></span></td>'
                    for i in range(1, 8))
    return ('<table class="scale"><tr>'
            f'<td class="end">1 = {escape(LOW)}</td>{cells}<td class="end">7 = {escape(HIGH)}'
            '</td><td><span class="num">&nbsp;</span><span class="box"></span>keine Angabe</td>'
            "</tr></table>")


def _criterion(pos: int, crit: Criterion) -> str:
    prompts = "".join(f"<li>{escape(p)}</li>" for p in crit.prompts_de)
    comments = "".join(f'<div class="comment">{escape(label)}</div><div class="line"></div>'
                       '<div class="line"></div>' for label in COMMENT_KINDS.labels_de)
    return (f'<section class="block" id="thema-{escape(crit.id)}">'
            f'<div class="cluster">{escape(crit.cluster_de)}</div>'
            f"<h2>{pos}. {escape(crit.label_de)}</h2>"
            f'<p class="question">{escape(crit.question_de)}</p>'
            f'<ul class="prompts">{prompts}</ul>{_scale()}{comments}</section>')


def _areas(areas: Mapping[str, str]) -> str:
    if not areas or len(areas) > MAX_LISTED_AREAS:
        return ""
    items = "".join(f"<div>{escape(code)} – {escape(name)}</div>" for code, name in areas.items())
    return f'<div class="small">Gebiete dieser Befragung:</div><div class="areas">{items}</div>'


def questionnaire_html(catalogue: Catalogue, campaign_name: str,
                       areas: Mapping[str, str] | None = None) -> str:
    """A complete HTML document, ready to print on A4 (or to save as PDF from the browser)."""
    title = escape(campaign_name)
    blocks = "".join(_criterion(i, c) for i, c in enumerate(catalogue.criteria, start=1))
    numbers = "".join(f"<span>{i} {escape(c.label_de)}</span>"
                      for i, c in enumerate(catalogue.criteria, start=1))
    prio_fields = "".join(f'<span class="field">{i}.</span>'
                          for i in range(1, MAX_PRIORITIES + 1))
    demo = "".join(f'<p><b>{escape(label)}</b></p><div class="choices">{_boxes(list(v.labels_de))}'
                   "</div>" for label, v in (("Alter", AGE_BANDS), ("Geschlecht", GENDERS),
                                             ("Bezug zum Ort", RELATIONS)))
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Fragebogen – {title}</title><style>{CSS}</style></head>
<body>
<div class="head"><div><h1>Wie lebenswert ist Ihr Quartier?</h1>
<div>{title} · {escape(catalogue.name_de)}</div></div>
<div class="field">Bogen-Nr. (wird vom Team eingetragen)</div></div>
<div class="fields"><div class="field">Gebiet, das Sie bewerten (Name oder Nummer)</div>
<div class="field">Datum</div></div>
{_areas(areas or {})}
<div class="intro">Bitte kreuzen Sie bei jedem Thema <b>eine</b> Zahl an:
<b>1 = {escape(LOW)}</b>, <b>7 = {escape(HIGH)}</b>. Wenn Sie zu einem Thema nichts sagen
möchten, kreuzen Sie „keine Angabe“ an. Die Kommentare sind freiwillig. Bitte schreiben Sie
keine Namen, Adressen oder Telefonnummern auf den Bogen. Die Ergebnisse werden nur
zusammengefasst veröffentlicht.</div>
{blocks}
<section class="block prio"><h2>Was ist Ihnen am wichtigsten?</h2>
<p>Bis zu {MAX_PRIORITIES} Themen, die zuerst verbessert werden sollten – bitte die Nummern
eintragen (freiwillig):</p><p>{prio_fields}</p>
<div class="choices small">{numbers}</div></section>
<section class="block"><h2>Angaben zu Ihrer Person (freiwillig)</h2>{demo}</section>
<section class="block small">Vielen Dank! Bogen-Nr. (wird vom Team eingetragen):
<span class="field">&nbsp;</span></section>
</body></html>
"""
