"""The detector of likely personal data in a comment, for the moderator (pure).

It pre-marks spans of the text, each with a kind: e-mail addresses (also written
``name (at) host.de``), German phone numbers (``+49 …``, ``0049 …``, ``0234 123456``,
``0171/1234567``, ``(0234) 12 34 56``, with spaces, dashes or slashes), a house number next to a
street name (one of the street directory's names, or a name ending in …straße, …str., …weg,
…platz, …allee, …gasse, …ring, …damm, …ufer, …pfad, …steig), and "Herr/Frau/Hr./Fr./Familie"
followed by a capitalised name. It never hides anything itself: the moderator decides.

It is tuned against false positives a planner's comment is full of: dates (``12.05.2025``),
prices (``12,50 €``), years, times (``20 Uhr``), ``Tempo 30``, ``Linie 308``, postcodes alone,
and counts after a street-like word (``Parkplatz 20 Minuten``). Offsets are Python string
indices (code points) into the text given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stadtraum.geo.streets import street_key
from stadtraum.vocab import Vocabulary

__all__ = ["MARK_KINDS", "Detector", "Mark", "find_personal_data"]

MARK_KINDS = Vocabulary(
    "personal_data",
    ("email", "phone", "address", "name"),
    ("E-Mail-Adresse", "Telefonnummer", "Anschrift", "Name"),
    ("e-mail address", "phone number", "address", "name"),
)


@dataclass(frozen=True)
class Mark:
    """A span ``text[start:end]`` that likely is personal data of ``kind`` (MARK_KINDS)."""

    start: int
    end: int
    kind: str

    def of(self, text: str) -> str:
        return text[self.start:self.end]


_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}(?:@|\s?[(\[]\s?at\s?[)\]]\s?)[\w-]{1,63}"
    r"(?:(?:\.|\s?[(\[]\s?(?:dot|punkt)\s?[)\]]\s?)[\w-]{1,63})*"
    r"(?:\.|\s?[(\[]\s?(?:dot|punkt)\s?[)\]]\s?)[A-Za-z]{2,24}\b", re.IGNORECASE)

# +49 / 0049 (optionally "(0)"), or a national number starting with 0 and a non-zero digit,
# or an area code in brackets; digit groups separated by at most one space, dash or slash
_PHONE = re.compile(
    r"(?<![\w+/])(?:(?:\+|00)49[ ]?(?:\(0\)[ ]?)?[1-9]|\(0[1-9]\d{1,4}\)[ ]?\d|0[1-9])"
    r"(?:[ /-]?\d){5,13}(?![\d])")

_UNITS = ("uhr|minuten|min|stunden|std|sekunden|jahre?n?|monate?n?|wochen?|tage?n?|meter|m|"
          "km|km/h|cm|mm|kg|euro|eur|cent|prozent|mal|stück|autos?|plätze|parkplätze|bänke|"
          "bäume|leute|personen|menschen|kinder|häuser|wohnungen|busse?|bahnen|linien?|"
          "stockwerke?|etagen?")
# a house number: 12, 12a, 12 a, 12-14, 12/14, "Nr. 12"; not a price, a date or a count
_HOUSE_NUMBER = re.compile(
    r"(?<![\w.,])(?:nr\.?\s?)?\d{1,4}(?:\s?[a-h](?!\w))?(?:\s?[-/]\s?\d{1,4}[a-h]?)?"
    r"(?!\d)(?![,.:]\d)(?!\s?(?:€|%|(?:" + _UNITS + r")\b))", re.IGNORECASE)
_SUFFIX = (r"(?:[sS]traße|[sS]trasse|[sS]tr\.|[wW]eg|[pP]latz|[aA]llee|[gG]asse|[rR]ing|"
           r"[dD]amm|[uU]fer|[pP]fad|[sS]teig|[cC]haussee)")
_LETTER = "A-Za-zÄÖÜäöüß"
_GENERIC_STREET = re.compile(
    rf"(?<![\w-])[{_LETTER}][\w-]+{_SUFFIX}"  # Hauptstraße, Hans-Böckler-Straße, ahornweg
    r"|(?<![\w-])[A-ZÄÖÜ][\w-]+[ \t](?:Straße|Strasse|Str\.|Allee|Gasse|Damm|Ufer|Chaussee)")
_WORD = re.compile(r"[\wäöüßÄÖÜ.-]+")
_NAME = re.compile(
    r"\b(?:Herrn?|Frau|Hr\.|Fr\.|Familie|Fam\.)\s+(?:(?:Dr|Prof)\.\s*)*"
    r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?(?:\s+[A-ZÄÖÜ][a-zäöüß]+(?=[\s,.;:!?)]|$))?",
    re.UNICODE)
_NOT_A_NAME = frozenset({"Bürgermeisterin", "Bürgermeister", "Doktor", "Nachbarin",
                         "Nachbar", "Lehrerin", "Lehrer", "Pfarrer", "Pfarrerin"})
_MAX_STREET_WORDS = 5
_PRIORITY = {kind: i for i, kind in enumerate(MARK_KINDS.codes)}


class Detector:
    """The detector with the street directory's names (loaded once by the caller)."""

    def __init__(self, street_names: Iterable[str] = ()) -> None:
        self._keys = frozenset(k for k in (street_key(n) for n in street_names) if len(k) > 2)
        self._max_words = _MAX_STREET_WORDS

    def find(self, text: str) -> tuple[Mark, ...]:
        """The marks of ``text``, sorted, never overlapping (an overlap keeps the mark that
        starts first, then the longer one, then e-mail before phone before address)."""
        found = [Mark(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
        found += [Mark(m.start(), m.end(), "phone") for m in _PHONE.finditer(text)]
        found += self._addresses(text)
        found += [m for m in (_name_mark(x) for x in _NAME.finditer(text)) if m is not None]
        return _disjoint(found)

    def _addresses(self, text: str) -> list[Mark]:
        out: list[Mark] = []
        for m in _HOUSE_NUMBER.finditer(text):
            start = self._street_before(text, m.start())
            if start is not None:
                out.append(Mark(start, m.end(), "address"))
        return out

    def _street_before(self, text: str, number_at: int) -> int | None:
        """Where a street name ending right before ``number_at`` starts, if there is one."""
        head = text[:number_at]
        if not head or (not head[-1].isspace() and head[-1] != "."):
            return None
        words = list(_WORD.finditer(head[-120:]))[-self._max_words:]
        offset = max(0, len(head) - 120)
        if words and head[offset + words[-1].end():].strip(" \t") != "":
            return None  # something other than blanks between the name and the number
        best: int | None = None
        for first in range(len(words)):
            begin = offset + words[first].start()
            name = head[begin:].rstrip()
            if self._keys and street_key(name) in self._keys:
                best = begin if best is None else min(best, begin)
        if best is not None:
            return best
        generic = None
        for g in _GENERIC_STREET.finditer(head[-120:]):
            if head[offset + g.end():].strip() == "":
                generic = offset + g.start()
        return generic


def _name_mark(m: re.Match[str]) -> Mark | None:
    words = m.group(0).split()[1:]
    if not [w for w in words if not w.endswith(".") and w not in _NOT_A_NAME]:
        return None
    return Mark(m.start(), m.end(), "name")


def _disjoint(marks: list[Mark]) -> tuple[Mark, ...]:
    ordered = sorted(set(marks), key=lambda k: (k.start, -(k.end - k.start), _PRIORITY[k.kind]))
    out: list[Mark] = []
    for mark in ordered:
        if out and mark.start < out[-1].end:
            continue
        out.append(mark)
    return tuple(out)


def find_personal_data(text: str, street_names: Iterable[str] = ()) -> tuple[Mark, ...]:
    """The marks of ``text`` (a :class:`Detector` built for this one call)."""
    return Detector(street_names).find(text)
