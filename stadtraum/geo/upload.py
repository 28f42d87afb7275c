"""An uploaded boundary file (bytes and the name the browser sent) as a file on disk.

The browser's file name is never used as a path: only its last part, with anything but
letters, digits, spaces and ``._-()`` replaced, names the file inside a fresh temporary
folder (so messages still say ``'bochum.geojson'``). Size, emptiness and the file type are
checked before anything is written; a zip archive's directory is checked by the reader
before anything is extracted (:mod:`stadtraum.geo.archive`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stadtraum.geo.model import human_size, reject

__all__ = ["UPLOAD_SUFFIXES", "safe_name", "staged_upload"]

# a plain .shp cannot come alone (its .dbf, .shx and .prj lie beside it): zip them
UPLOAD_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
_UNSAFE = re.compile(r"[^\w .()\-]", re.UNICODE)
_MAX_NAME = 120


def safe_name(filename: str) -> str:
    """The last part of ``filename`` with unsafe characters replaced (never empty)."""
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    last = _UNSAFE.sub("_", last).strip(" .") or "datei"
    if len(last) > _MAX_NAME:
        dot = last.rfind(".")
        suffix = last[dot:] if dot > 0 and len(last) - dot <= 10 else ""
        last = last[: _MAX_NAME - len(suffix)] + suffix
    return last


def check_upload(data: bytes, filename: str, *, max_bytes: int,
                 suffixes: tuple[str, ...] = UPLOAD_SUFFIXES) -> str:
    """The safe name of an acceptable upload; refuses a wrong type, an empty or a too large
    file with a German message naming it."""
    shown = safe_name(filename)
    suffix = Path(shown).suffix.lower()
    if suffix == ".shp":
        raise reject(
            f"{shown!r}: Ein Shapefile besteht aus mehreren Dateien (.shp, .shx, .dbf, .prj). "
            "Bitte alle gemeinsam als ZIP-Datei hochladen.",
            f"{shown!r}: a plain .shp upload lacks its .dbf/.shx/.prj; upload a zip")
    if suffix not in suffixes:
        allowed = ", ".join(suffixes)
        raise reject(
            f"{shown!r}: Das Dateiformat {suffix or '(ohne Endung)'!r} wird nicht unterstützt. "
            f"Möglich sind: {allowed} (Shapefile als ZIP).",
            f"{shown!r}: unsupported file type {suffix!r}; allowed: {allowed}")
    if len(data) > max_bytes:
        raise reject(
            f"Die Datei {shown!r} ist zu groß ({human_size(len(data))}, erlaubt sind "
            f"{human_size(max_bytes)}); sie wird nicht verarbeitet.",
            f"{shown!r} is {len(data)} bytes, limit {max_bytes}")
    if not data:
        raise reject(f"Die Datei {shown!r} ist leer.", f"{shown!r} is empty")
    return shown


@contextmanager
def staged_upload(data: bytes, filename: str, *, max_bytes: int) -> Iterator[Path]:
    """The checked upload as a file in a temporary folder, removed when the block ends."""
    shown = check_upload(data, filename, max_bytes=max_bytes)
    with tempfile.TemporaryDirectory(prefix="stadtraum-upload-") as tmp:
        path = Path(tmp) / shown
        path.write_bytes(data)
        yield path
