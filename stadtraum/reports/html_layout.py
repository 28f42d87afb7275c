"""The page shell of every report: one self-contained HTML document (inline CSS, inline SVG,
the logo as a data URI, no script, nothing fetched), laid out for A4 when printed.

The running header carries the city's logo and name (a running element, so no user text
goes into CSS), the footer "Seite X von Y" from CSS counters, and the internal report's
notice "Interner Bericht – Live-Zahlen, nicht veröffentlicht" on every page. In a browser the
header and notice show once at the top.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from stadtraum.reports.report_data import Header
from stadtraum.reports.typography import de_datetime, esc

__all__ = ["INTERNAL_NOTICE", "PUBLIC_NOTICE", "document", "logo_uri", "method_note",
           "suppressed_legend"]

INTERNAL_NOTICE = "Interner Bericht – Live-Zahlen, nicht veröffentlicht"
PUBLIC_NOTICE = "Öffentlicher Bericht – veröffentlichter Stand"

_CSS = """
@page { size: A4; margin: 24mm 16mm 20mm 16mm;
  @top-left { content: element(header); vertical-align: bottom; }
  @top-right { content: element(notice); vertical-align: bottom; }
  @bottom-left { content: string(city) " · " string(campaign); font-size: 8pt; color: #444; }
  @bottom-right { content: "Seite " counter(page) " von " counter(pages); font-size: 8pt;
                  color: #444; } }
html { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 9.5pt;
       color: #1a1a1a; }
body { margin: 0 auto; max-width: 190mm; }
.running-header { position: running(header); display: flex; align-items: center; gap: 3mm;
                  font-size: 9pt; }
.running-header img { height: 9mm; max-width: 40mm; object-fit: contain; }
.notice { position: running(notice); font-size: 8pt; font-weight: bold; }
.notice.internal { color: #b00020; }
.notice.public { color: #2e7d32; }
.city-name { string-set: city content(); }
.running-header span { font-weight: bold; }
.campaign-name { string-set: campaign content(); }
h1 { font-size: 18pt; margin: 2mm 0 1mm 0; color: var(--city); }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm 0; border-bottom: 0.6pt solid var(--city);
     break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm 0; break-after: avoid; }
p.sub { margin: 0 0 3mm 0; color: #333; }
section { break-inside: auto; }
figure { margin: 2mm 0; break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 8pt; color: #333; text-align: left; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; break-inside: auto; }
th, td { border-bottom: 0.4pt solid #bbb; padding: 1.2mm 1.6mm; text-align: left;
         vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.hidden { text-align: center; color: #555; }
ul { margin: 1mm 0 2mm 0; padding-left: 5mm; }
li { margin: 0.6mm 0; }
blockquote { margin: 1mm 0 2mm 0; padding: 1mm 3mm; border-left: 2pt solid #ccc;
             white-space: pre-wrap; }
.legend, .note { font-size: 8pt; color: #333; }
table.overall { font-size: 6.8pt; }
table.overall th, table.overall td { padding: 0.8mm 0.7mm; }
.small-maps { display: flex; flex-wrap: wrap; gap: 2mm; }
.small-maps figure { width: 58mm; margin: 0; }
.page-break { break-before: page; }
.banner { display: none; }
@media screen { .banner { display: block; padding: 2mm 3mm; margin: 2mm 0;
                          font-weight: bold; border: 1px solid currentColor; }
                .banner.internal { color: #b00020; } .banner.public { color: #2e7d32; }
                .notice { display: none; } }
"""


def logo_uri(logo: bytes | None) -> str | None:
    """The logo as a ``data:`` URI (PNG or JPEG by its first bytes), or None."""
    if not logo:
        return None
    kind = "png" if logo.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(logo).decode("ascii")


def _safe_colour(colour: str) -> str:
    text = colour.strip()
    ok = len(text) in (4, 7) and text.startswith("#") and all(
        c in "0123456789abcdefABCDEF" for c in text[1:])
    return text if ok else "#1f4e79"


def suppressed_legend(min_n: int) -> str:
    return (f"· = verborgen: zu wenige Antworten (n < {min_n}) oder verdeckt, damit sich ein "
            "verborgener Wert nicht aus anderen errechnen lässt. Dort steht nie eine Zahl.")


def method_note(header: Header) -> str:
    """The method and confidentiality section (HTML)."""
    source = (
        "<p>Dieser <strong>interne Bericht</strong> zeigt die Live-Zahlen der Auswertung zum "
        "Zeitpunkt der Erstellung. Sie sind nicht veröffentlicht und können sich mit jeder "
        "weiteren Antwort ändern; der Bericht ist nur für die Arbeit der Verwaltung und ihrer "
        "Gremien bestimmt.</p>" if header.internal else
        "<p>Dieser <strong>öffentliche Bericht</strong> zeigt den veröffentlichten Stand der "
        "Ergebnisse"
        + (f" vom {esc(de_datetime(header.published_at))}" if header.published_at else "")
        + ": Mittelwerte auf eine Stelle gerundet, ohne genaue Fallzahlen. Ein Wert ändert "
        "sich erst, wenn mindestens so viele neue Antworten hinzukamen, wie die "
        "Mindestzahl verlangt.</p>")
    return (
        '<section class="method"><h2>Methode und Vertraulichkeit</h2>'
        "<p>Bewertet wurde jedes Kriterium auf einer Skala von 1 (großer "
        "Verbesserungsbedarf) bis 7 (kaum Verbesserungsbedarf); „keine Angabe“ zählt nicht "
        "mit. n ist die Zahl der Personen, die ein Kriterium bewertet haben; das "
        "95-%-Konfidenzintervall (KI) beschreibt die Unsicherheit des Mittelwerts.</p>"
        f"<p>Vertraulichkeit: Ein Wert wird nur gezeigt, wenn mindestens {header.min_n} "
        "Personen ihn bewertet haben. Kleinere Gruppen sind mit „·“ verborgen – auch in "
        "Karten und Diagrammen (dort als Lücke oder schraffiert) – und einzelne weitere Werte "
        "sind mitverborgen, damit sich ein verborgener Wert nicht aus den übrigen errechnen "
        "lässt.</p>"
        "<p>Die Ergebnisse sind nicht repräsentativ: Wer teilnimmt, entscheidet selbst; "
        "Alter, Geschlecht und Wohnort der Befragten sind nicht gewichtet.</p>"
        f"{source}"
        f"<p class=\"note\">Erstellt am {esc(de_datetime(header.generated_at))} mit "
        "StadtRaumMonitor.</p></section>")


def document(header: Header, title: str, subtitle: str, body: Sequence[str]) -> str:
    """The whole HTML document; ``body`` are HTML fragments already escaped."""
    internal = header.internal
    notice = INTERNAL_NOTICE if internal else PUBLIC_NOTICE
    kind = "internal" if internal else "public"
    logo = logo_uri(header.logo)
    img = f'<img src="{logo}" alt="Logo">' if logo else ""
    colour = _safe_colour(header.colour)
    city = header.city_name or "StadtRaumMonitor"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="de">', "<head>", '<meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f"<style>:root {{ --city: {colour}; }}{_CSS}</style>", "</head>", "<body>",
        f'<div class="running-header">{img}<span>{esc(city)}</span></div>',
        f'<div class="notice {kind}">{esc(notice)}</div>',
        f'<div class="banner {kind}">{esc(notice)}</div>',
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub"><span class="city-name">{esc(city)}</span> · '
        f'<span class="campaign-name">{esc(header.campaign_name)}</span>'
        f"{' · ' + esc(subtitle) if subtitle else ''}</p>",
        *body,
        method_note(header),
        "</body>", "</html>"])
