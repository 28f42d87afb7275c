"""German typography for the printable reports: decimal comma, „Anführungszeichen“, dates,
and HTML escaping of every text that goes into a report (area names, comments and city
settings are user text and stay inert)."""

from __future__ import annotations

import datetime as dt
import html
import math
from zoneinfo import ZoneInfo

__all__ = ["BERLIN", "SUPPRESSED_MARK", "de_date", "de_datetime", "de_int", "de_number",
           "esc", "quoted", "signed"]

BERLIN = ZoneInfo("Europe/Berlin")
SUPPRESSED_MARK = "·"  # a suppressed cell: never a number


def esc(text: object) -> str:
    """``text`` as HTML text or attribute value: ``<``, ``>``, ``&``, quotes as entities."""
    return html.escape("" if text is None else str(text), quote=True)


def de_number(value: float | None, digits: int = 1) -> str:
    """``3.45`` -> ``"3,5"`` (one decimal by default); None or NaN -> the suppressed mark."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return SUPPRESSED_MARK
    return f"{float(value):.{digits}f}".replace(".", ",")


def signed(value: float | None, digits: int = 1) -> str:
    """A change with its sign (typographic minus): ``+0,4``, ``−1,2``, ``±0,0``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return SUPPRESSED_MARK
    text = de_number(abs(value), digits)
    if text.strip("0,") == "":
        return "±" + text
    return ("+" if value > 0 else "−") + text


def de_int(value: int | None) -> str:
    """``12345`` -> ``"12.345"``; None -> the suppressed mark."""
    return SUPPRESSED_MARK if value is None else f"{int(value):,}".replace(",", ".")


def quoted(text: object) -> str:
    """German quotation marks around ``text`` (not escaped: escape the result)."""
    return f"„{text}“"


def de_date(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def de_datetime(moment: dt.datetime) -> str:
    """In Europe/Berlin: ``3.12.2026, 12:05 Uhr``."""
    local = moment.astimezone(BERLIN) if moment.tzinfo else moment.replace(
        tzinfo=dt.UTC).astimezone(BERLIN)
    return f"{de_date(local.date())}, {local:%H:%M} Uhr"
