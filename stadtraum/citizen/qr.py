"""QR codes for the citizens' form link (posters, flyers), as PNG bytes and SVG text.

Error correction level Q (25 %) so a poster with a scratch or a sticker still scans; a quiet
zone of four modules as the standard asks for.
"""

from __future__ import annotations

import io
import re
import unicodedata

import segno

ERROR_LEVEL = "q"
BORDER = 4


def _code(url: str) -> segno.QRCode:
    if not url:
        raise ValueError("a QR code needs a non-empty URL")
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)


def qr_png(url: str, scale: int = 12) -> bytes:
    """A black-on-white PNG; ``scale`` pixels per module (12 → about 5 cm at 300 dpi)."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="png", scale=scale, border=BORDER, dark="black",
                    light="white")
    return buffer.getvalue()


def qr_svg(url: str, title: str | None = None) -> str:
    """A scalable SVG (for print shops), with an optional ``<title>`` for accessibility."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="svg", scale=10, border=BORDER, xmldecl=True,
                    title=title, encoding="utf-8", dark="black", light="white")
    return buffer.getvalue().decode("utf-8")


def qr_matrix(url: str) -> tuple[tuple[int, ...], ...]:
    """The module matrix (1 = dark) without the quiet zone, for checks and tests."""
    return tuple(tuple(int(bool(v)) for v in row) for row in _code(url).matrix)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                          "ß": "ss"})


def qr_file_name(campaign_name: str, ext: str) -> str:
    """A safe download name with the campaign's name, e.g. ``qr_befragung-2025.png``."""
    text = unicodedata.normalize("NFKD", campaign_name.translate(_UMLAUTS))
    slug = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().lower())
    return f"qr_{slug.strip('-')[:60] or 'befragung'}.{ext}"
