"""The character set of a Shapefile's .dbf when no .cpg names it.

Without a .cpg (and without a code page byte in the .dbf) GDAL reads the text as Latin-1.
Most such files from German offices are Windows-1252, which differs from Latin-1 exactly in
0x80–0x9F: „ “ – € and friends. Read as Latin-1 they become C1 control characters
(U+0080–U+009F), which is the signature this module looks for. Latin-1 maps every byte to
one character, so the bytes are recovered exactly and decoded again as Windows-1252.
Text whose bytes are valid UTF-8 is left alone: that is a UTF-8 file without .cpg, which the
field checks report as mis-decoded UTF-8.
"""

from __future__ import annotations

import re

import pandas as pd

from stadtraum.geo.model import GeoDataFrame, Note, feature_de, feature_en, reject

_C1 = re.compile(r"[\u0080-\u009f]")

ASSUMED_CP1252 = Note("encoding_assumed",
                      "Zeichensatz Windows-1252 angenommen (keine .cpg-Datei).",
                      "no .cpg: the .dbf was read as Windows-1252")


def _text_columns(frame: GeoDataFrame) -> list[str]:
    geom = frame.geometry.name
    return [c for c in frame.columns if c != geom and (
        frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype))]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def fix_missing_cpg(frame: GeoDataFrame, shown: str) -> tuple[GeoDataFrame, list[Note]]:
    """``frame`` as read without a .cpg; re-decoded as Windows-1252 if its text shows the
    signature (with a Note), else unchanged. Refuses text that is neither."""
    columns = _text_columns(frame)
    suspects = [(column, row, value) for column in columns
                for row, value in enumerate(frame[column].tolist())
                if isinstance(value, str) and _C1.search(value)]
    if not suspects:
        return frame, []
    try:
        raws = [value.encode("latin-1") for _, _, value in suspects]
    except UnicodeEncodeError:  # GDAL did not read Latin-1 (code page byte): not our case
        return frame, []
    if all(_is_utf8(raw) for raw in raws):
        return frame, []
    for (column, row, _), raw in zip(suspects, raws, strict=True):
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            byte = raw[exc.start]
            raise reject(
                f"{feature_de(row)}, Feld {column!r}: Der Text enthält das Byte 0x{byte:02X}, "
                "das weder UTF-8 noch Windows-1252 ist; die Zeichenkodierung der .dbf-Datei "
                f"in {shown!r} ist daher unbekannt. Bitte eine .cpg-Datei beilegen, die die "
                "Kodierung nennt (eine Zeile, z. B. „UTF-8“ oder „1252“), oder die Datei als "
                "UTF-8 speichern.",
                f"{feature_en(row)}, field {column!r}: byte 0x{byte:02X} is neither UTF-8 nor "
                "Windows-1252 (no .cpg)", row=row) from None
    out = frame.copy()
    for column in columns:
        out[column] = pd.Series(
            [v.encode("latin-1").decode("cp1252") if isinstance(v, str) and _C1.search(v)
             else v for v in frame[column].tolist()], index=frame.index,
            dtype=frame[column].dtype)
    return out, [ASSUMED_CP1252]
