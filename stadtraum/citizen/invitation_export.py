"""The one export of freshly generated invitation codes (pure): a formula-safe CSV for a mail
merge, and a printable HTML sheet of cards (code, link, QR code) to cut up or attach to
letters. The codes exist in clear text only here: the database keeps their hashes."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from html import escape

import pandas as pd

from stadtraum.citizen.qr import qr_svg
from stadtraum.exports.spreadsheet import safe_frame

LinkFor = Callable[[str], str]  # code -> the public link with the code in it


def codes_csv(codes: Sequence[str], link_for: LinkFor | None) -> bytes:
    """UTF-8 CSV with the columns Einladungscode, Link (empty without a public link)."""
    frame = pd.DataFrame({"Einladungscode": list(codes),
                          "Link": [link_for(c) if link_for else "" for c in codes]})
    return safe_frame(frame).to_csv(index=False).encode("utf-8")


_CSS = """
body { font-family: sans-serif; margin: 1cm; }
.grid { display: flex; flex-wrap: wrap; gap: 0.4cm; }
.card { border: 1px dashed #888; padding: 0.4cm; width: 8.4cm; box-sizing: border-box; }
.card h2 { font-size: 11pt; margin: 0 0 0.2cm; }
.code { font: bold 16pt monospace; letter-spacing: 0.05em; margin: 0.2cm 0; }
.link { font-size: 7pt; word-break: break-all; }
.card img { width: 3.2cm; height: 3.2cm; float: right; margin-left: 0.2cm; }
@media print { .card { break-inside: avoid; } .noprint { display: none; } }
"""


def _card(campaign: str, code: str, link_for: LinkFor | None, typed_url: str | None) -> str:
    qr, link = "", ""
    if link_for is not None:
        url = link_for(code)
        svg = base64.b64encode(qr_svg(url, title=f"Mitmachen: {campaign}").encode("utf-8"))
        qr = f'<img alt="QR-Code zum Fragebogen" src="data:image/svg+xml;base64,{svg.decode()}">'
        link = f'<div class="link">{escape(url)}</div>'
    typed = (f"<p>Oder öffnen Sie {escape(typed_url)} und geben Sie den Code ein.</p>"
             if typed_url else "<p>Geben Sie den Code im Online-Fragebogen ein.</p>")
    return (f'<div class="card">{qr}<h2>Einladung: {escape(campaign)}</h2>'
            f"<p>Ihr persönlicher Code (gilt einmal):</p>"
            f'<div class="code">{escape(code)}</div>{typed}{link}</div>')


def codes_sheet(campaign: str, codes: Sequence[str], link_for: LinkFor | None,
                typed_url: str | None) -> str:
    """A printable HTML page with one card per code; ``typed_url`` is the link without a
    code, for people who type the code in."""
    cards = "".join(_card(campaign, c, link_for, typed_url) for c in codes)
    return (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
            f"<title>Einladungscodes – {escape(campaign)}</title><style>{_CSS}</style></head>"
            f'<body><p class="noprint">{len(codes)} Einladungscodes. Drucken: Strg+P; die '
            f"Codes lassen sich später nicht noch einmal anzeigen.</p>"
            f'<div class="grid">{cards}</div></body></html>')
