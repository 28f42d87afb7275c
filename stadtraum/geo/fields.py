"""Attribute fields: find the code and name columns, normalise and check their values."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from stadtraum.geo.model import Note, feature_de, feature_en, reject

# Detection tiers, best first. Matching is case-insensitive.
NAME_EXACT = ("name", "bezeichnung", "bezeichnun", "bez_name", "bezname", "gen", "namen",
              "label", "titel")
NAME_SUFFIXES = ("_name", "_nam", "_na", "name", "_bezeich")
CODE_EXACT = ("code", "id", "nr", "nummer", "schluessel", "schlüssel", "schl", "ags", "ars",
              "key", "kennziffer", "gkz", "bez_nr", "ortsteil_nr")
CODE_SUFFIXES = ("_nr", "_code", "_schl", "_key", "_ags", "_ars", "_kz", "nr", "_id")
TECHNICAL_IDS = ("fid", "ogc_fid", "objectid", "object_id", "cartodb_id", "gid", "ogr_fid")

_MOJIBAKE = re.compile(r"[\u00c2-\u00df].|[\u00e0-\u00ef]..|[\u00f0-\u00f4]...", re.DOTALL)
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")
_C1 = re.compile(r"[\u0080-\u009f]")


def _tiers(columns: Sequence[str], exact: Sequence[str], suffixes: Sequence[str],
           lowest: Sequence[str] = ()) -> list[list[str]]:
    first = [c for c in columns if c.casefold() in exact and c.casefold() not in lowest]
    second = [c for c in columns if c not in first and c.casefold() not in lowest
              and c.casefold().endswith(tuple(suffixes))]
    third = [c for c in columns if c.casefold() in lowest]
    return [t for t in (first, second, third) if t]


def _unique_and_full(values: pd.Series) -> bool:
    text = values.map(lambda v: "" if _is_missing(v) else str(v).strip())
    return bool((text != "").all() and text.is_unique)


def _pick(kind_de: str, kind_en: str, tiers: list[list[str]], attrs: pd.DataFrame,
          available: str, exclude: str | None) -> str:
    tiers = [[c for c in t if c != exclude] for t in tiers]
    tiers = [t for t in tiers if t]
    if not tiers:
        raise reject(
            f"Das Feld für den {kind_de} wurde nicht erkannt. Bitte eines auswählen; "
            f"vorhandene Felder: {available}.",
            f"could not detect the {kind_en} field; available fields: {available}")
    for tier in tiers:
        good = [c for c in tier if _unique_and_full(attrs[c])]
        if len(good) == 1:
            return good[0]
        if len(good) > 1:
            raise reject(
                f"Mehrere Felder kommen als {kind_de} in Frage: {', '.join(good)}. Bitte eines "
                "auswählen.",
                f"several candidate {kind_en} fields: {', '.join(good)}; choose one")
    best = tiers[0]
    if len(best) == 1:
        return best[0]
    raise reject(
        f"Mehrere Felder kommen als {kind_de} in Frage: {', '.join(best)}. Bitte eines auswählen.",
        f"several candidate {kind_en} fields: {', '.join(best)}; choose one")


def _named(field: str, columns: Sequence[str], what_de: str, what_en: str,
           available: str) -> str:
    if field in columns:
        return field
    folded = [c for c in columns if c.casefold() == field.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise reject(
        f"Das Feld {field!r} ({what_de}) gibt es in der Datei nicht. Vorhandene Felder: "
        f"{available}.",
        f"field {field!r} ({what_en}) does not exist; available fields: {available}")


def resolve_fields(attrs: pd.DataFrame, code_field: str | None, name_field: str | None,
                   parent_field: str | None) -> tuple[str, str, str | None, list[Note]]:
    """Return ``(code_field, name_field, parent_field, notes)``; detect the ones not given."""
    columns = [str(c) for c in attrs.columns]
    available = ", ".join(columns) or "(keine)"
    notes: list[Note] = []
    if code_field is not None:
        code_field = _named(code_field, columns, "Schlüssel", "code", available)
    if name_field is not None:
        name_field = _named(name_field, columns, "Name", "name", available)
    if parent_field is not None:
        parent_field = _named(parent_field, columns, "übergeordneter Schlüssel", "parent code",
                              available)
    if name_field is None:
        name_field = _pick("Namen", "name", _tiers(columns, NAME_EXACT, NAME_SUFFIXES), attrs,
                           available, exclude=code_field)
        notes.append(Note("name_field_detected",
                          f"Als Name wurde das Feld {name_field!r} erkannt.",
                          f"detected name field {name_field!r}"))
    if code_field is None:
        code_field = _pick("Schlüssel", "code",
                           _tiers(columns, CODE_EXACT, CODE_SUFFIXES, TECHNICAL_IDS), attrs,
                           available, exclude=name_field)
        notes.append(Note("code_field_detected",
                          f"Als Schlüssel wurde das Feld {code_field!r} erkannt.",
                          f"detected code field {code_field!r}"))
    return code_field, name_field, parent_field, notes


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def text_problem(text: str) -> tuple[str, str] | None:
    """Why ``text`` is not clean UTF-8 text (German, English), or ``None``."""
    if "\ufffd" in text:
        return ("enthält das Ersatzzeichen '\ufffd' (Zeichen ging bei falscher Kodierung "
                "verloren)", "contains U+FFFD replacement characters")
    for match in _MOJIBAKE.finditer(text):
        for encoding in ("cp1252", "latin-1"):
            try:
                match.group().encode(encoding).decode("utf-8")
            except UnicodeError:
                continue
            return (f"sieht nach falsch dekodiertem UTF-8 aus ({match.group()!r}, z. B. 'Ã¼' "
                    "statt 'ü'); die Zeichenkodierung der Datei stimmt nicht (bei Shapefiles "
                    ".cpg-Datei mit 'UTF-8' beilegen)", "looks like mis-decoded UTF-8 (mojibake)")
    if _C1.search(text):
        return ("enthält Steuerzeichen aus U+0080–U+009F: vermutlich Text in Windows-1252, "
                "der als Latin-1 gelesen wurde (bei Shapefiles .cpg-Datei mit „1252“ "
                "beilegen, sonst die Datei als UTF-8 speichern)",
                "contains C1 control characters (Windows-1252 read as Latin-1?)")
    if _CONTROL.search(text):
        return "enthält Steuerzeichen", "contains control characters"
    return None


def normalise_text(value: Any, *, row: int, field: str, what_de: str, what_en: str,
                   required: bool = True) -> str | None:
    """Code/name values as clean strings: 3.0 → "3", bytes must be UTF-8, no mojibake."""
    if isinstance(value, bytes | bytearray):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise reject(
                f"{feature_de(row)}, Feld {field!r}: Der {what_de} ist kein gültiges UTF-8.",
                f"{feature_en(row)}, field {field!r}: {what_en} is not valid UTF-8",
                row=row) from exc
    if _is_missing(value):
        text = ""
    elif isinstance(value, float | np.floating) and float(value).is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    if not text:
        if not required:
            return None
        raise reject(f"{feature_de(row)}, Feld {field!r}: Der {what_de} ist leer.",
                     f"{feature_en(row)}, field {field!r}: empty {what_en}", row=row)
    problem = text_problem(text)
    if problem is not None:
        raise reject(f"{feature_de(row)}, Feld {field!r}: Der {what_de} {text!r} {problem[0]}.",
                     f"{feature_en(row)}, field {field!r}: {what_en} {problem[1]}", row=row)
    return text


def guess_parent_field(attrs: pd.DataFrame, code_field: str, name_field: str) -> str | None:
    """A column that looks like the code of a parent area, or ``None``: a code-like name
    (``stadtbezirk_nr``, ``bez_code`` …, no technical id), filled in every row, and shared
    by several rows (each parent has several children; a unique column is another key)."""
    columns = [str(c) for c in attrs.columns if str(c) not in (code_field, name_field)]
    for tier in _tiers(columns, CODE_EXACT, CODE_SUFFIXES):
        for column in tier:
            if column.casefold() in TECHNICAL_IDS:
                continue
            text = attrs[column].map(lambda v: "" if _is_missing(v) else str(v).strip())
            if bool((text != "").all()) and 1 < text.nunique() < len(text):
                return column
    return None
