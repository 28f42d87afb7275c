"""Reading single cells of a paper-form row: each converter returns the value or raises
:class:`BadCellError` with a German reason. Pure."""

from __future__ import annotations

import datetime as dt
import math
import re

from stadtraum.collect.payload import MAX_COMMENT_CHARS
from stadtraum.criteria import SCORE_MAX, SCORE_MIN, Catalogue
from stadtraum.files.tables import Cell
from stadtraum.paper.template import PaperCampaign
from stadtraum.vocab import Vocabulary

NO_ANSWER = frozenset({"", "-", "–", "k.a.", "k. a.", "ka", "keine angabe"})
_EXTRA_ALIASES = {"gender": {"w": "female", "m": "male", "d": "diverse", "k.a.": "no_answer"},
                  "age_band": {"65+": "65plus", "<18": "u18"}}


class BadCellError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def text_of(v: Cell) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def score(v: Cell) -> int | None:
    if isinstance(v, bool | dt.date):
        raise BadCellError(f"„{text_of(v)}“ ist keine Bewertung (ganze Zahl von 1 bis 7).")
    if isinstance(v, float):
        if not (math.isfinite(v) and v.is_integer()):
            shown = f"{v:g}".replace(".", ",")
            raise BadCellError(f"„{shown}“ ist keine ganze Zahl – erlaubt sind 1, 2, … 7.")
        v = int(v)
    if isinstance(v, str):
        s = v.strip()
        if s.casefold() in NO_ANSWER:
            return None
        m = re.fullmatch(r"([+-]?\d+)(?:[.,]0*)?", s)
        if m is None:
            if re.fullmatch(r"[+-]?\d*[.,]\d+", s):
                raise BadCellError(f"„{s}“ ist keine ganze Zahl – erlaubt sind 1, 2, … 7.")
            raise BadCellError(f"„{s}“ ist keine Zahl von 1 bis 7 (leer oder „k.A.“ = keine "
                               "Angabe).")
        v = int(m.group(1))
    if v is None:
        return None
    if not SCORE_MIN <= v <= SCORE_MAX:
        raise BadCellError(f"{v} liegt außerhalb von 1 bis 7.")
    return int(v)


def form_no(v: Cell) -> str:
    s = text_of(v)
    if not s:
        raise BadCellError("Bogen-Nr. fehlt (Pflichtfeld).")
    if re.fullmatch(r"\d+", s, re.ASCII):
        s = str(int(s))  # "007" and 7 are the same form (spreadsheets drop leading zeros)
    if len(s) > 40:
        raise BadCellError("Bogen-Nr. ist länger als 40 Zeichen.")
    return s


def area_code(v: Cell, campaign: PaperCampaign) -> str:
    s = text_of(v)
    if not s:
        raise BadCellError("Gebiet fehlt (Pflichtfeld).")
    if s in campaign.areas:
        return s
    codes = [c for c in campaign.areas if c.casefold() == s.casefold()]
    codes = codes or [c for c, n in campaign.areas.items() if n.casefold() == s.casefold()]
    if len(codes) == 1:
        return codes[0]
    if len(codes) > 1:
        raise BadCellError(f"Gebietsname „{s}“ ist mehrdeutig – bitte den Code angeben.")
    raise BadCellError(f"Gebiet „{s}“ gibt es in dieser Befragung nicht (Code oder Name laut Blatt "
               "„Gebiete“ der Vorlage).")


def survey_date(v: Cell, today: dt.date) -> dt.date | None:
    if isinstance(v, dt.datetime):
        d: dt.date | None = v.date()
    elif isinstance(v, dt.date):
        d = v
    else:
        s = text_of(v) if isinstance(v, str) else ("?" if v is not None else "")
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", s)
        try:
            d = (None if not s else dt.date(int(m[3]), int(m[2]), int(m[1])) if m
                 else dt.date.fromisoformat(s))
        except ValueError:
            raise BadCellError(f"„{text_of(v)}“ ist kein Datum (TT.MM.JJJJ oder "
                               "JJJJ-MM-TT).") from None
    if d is not None and d > today:
        raise BadCellError(f"Datum {d:%d.%m.%Y} liegt in der Zukunft.")
    return d


def comment(v: Cell) -> str:
    s = text_of(v)
    if len(s) > MAX_COMMENT_CHARS:
        raise BadCellError(f"Kommentar ist länger als {MAX_COMMENT_CHARS} Zeichen ({len(s)}).")
    return s  # stored as plain text, also when it looks like a formula


def priority(v: Cell, catalogue: Catalogue) -> str | None:
    s, n = text_of(v), len(catalogue.ids)
    if not s:
        return None
    if re.fullmatch(r"\d+", s, re.ASCII):
        if 1 <= int(s) <= n:
            return catalogue.ids[int(s) - 1]
        raise BadCellError(f"Thema Nr. {int(s)} gibt es nicht (1–{n}).")
    for c in catalogue.criteria:
        if s.casefold() in (c.id.casefold(), c.label_de.casefold()):
            return c.id
    raise BadCellError(f"„{s}“ ist kein Thema (Nummer 1–{n} oder Id).")


def choice(v: Cell, vocab: Vocabulary) -> str | None:
    s = text_of(v)
    if not s:
        return None
    def norm(x: str) -> str:
        return re.sub(r"[\s]+", "", re.sub(r"[–—‐-]", "-", x.casefold()))
    aliases = {norm(k): code for k, code in _EXTRA_ALIASES.get(vocab.name, {}).items()}
    for code, de, en in zip(vocab.codes, vocab.labels_de, vocab.labels_en, strict=True):
        aliases.update({norm(code): code, norm(de): code, norm(en): code})
    if norm(s) in aliases:
        return aliases[norm(s)]
    raise BadCellError(f"„{s}“ ist nicht erlaubt (einer von: {', '.join(vocab.labels_de)}).")
