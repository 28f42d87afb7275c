"""Zipped Shapefiles: safety checks on the archive's directory, before anything is extracted."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from stadtraum.geo.model import human_size, reject

MAX_RATIO = 100  # uncompressed / compressed; more is treated as a zip bomb
RATIO_FLOOR = 1024 * 1024  # below 1 MiB uncompressed nothing can be a bomb
MAX_ENTRIES = 1000
SHAPE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ShapefileMembers:
    """The archive entries that belong to the one Shapefile, keyed by lower-case suffix."""

    members: dict[str, zipfile.ZipInfo]

    @property
    def has_prj(self) -> bool:
        return ".prj" in self.members


def _is_unsafe(name: str) -> bool:
    norm = name.replace("\\", "/")
    return (norm.startswith("/") or bool(re.match(r"^[A-Za-z]:", norm))
            or ".." in PurePosixPath(norm).parts)


def _is_junk(name: str) -> bool:
    """Entries added by macOS Finder (``__MACOSX/``, ``._x.shp``) are ignored."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return bool(parts) and (parts[0] == "__MACOSX" or parts[-1].startswith("._"))


def check_sizes(infos: list[zipfile.ZipInfo], *, max_bytes: int) -> None:
    """Refuse archives that would unpack to too much data (zip bombs), from the directory only."""
    if len(infos) > MAX_ENTRIES:
        raise reject(f"Die ZIP-Datei enthält {len(infos)} Einträge (erlaubt: {MAX_ENTRIES}).",
                     f"zip has {len(infos)} entries (limit {MAX_ENTRIES})")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > 10 * max_bytes:
        raise reject(
            f"Die ZIP-Datei würde entpackt {human_size(total)} ergeben (erlaubt: "
            f"{human_size(10 * max_bytes)}); sie wird nicht entpackt.",
            f"zip would unpack to {total} bytes (limit {10 * max_bytes}); refused")
    worst = [i for i in infos
             if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1)]
    if worst or (total > RATIO_FLOOR and total > MAX_RATIO * max(packed, 1)):
        entry = worst[0].filename if worst else "(gesamt)"
        raise reject(
            f"Die ZIP-Datei ist verdächtig stark komprimiert (mehr als {MAX_RATIO}:1, Eintrag "
            f"{entry!r}) und wird als mögliche ZIP-Bombe nicht entpackt.",
            f"zip compression ratio above {MAX_RATIO}:1 (entry {entry!r}): possible zip bomb")


def inspect_zip(path: Path, *, max_bytes: int) -> tuple[zipfile.ZipFile, ShapefileMembers]:
    """Open ``path`` and check it; returns the open archive and the Shapefile's entries."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise reject("Die Datei ist keine gültige ZIP-Datei (beschädigt oder anderes Format).",
                     f"not a valid zip file: {exc}") from exc
    try:
        return zf, _find_members(zf, max_bytes=max_bytes)
    except BaseException:
        zf.close()
        raise


def _find_members(zf: zipfile.ZipFile, *, max_bytes: int) -> ShapefileMembers:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    for info in infos:
        if _is_unsafe(info.filename):
            raise reject(
                f"Die ZIP-Datei enthält einen unzulässigen Pfad {info.filename!r} (absolut oder "
                "mit '..'); sie wird nicht entpackt.",
                f"zip entry with absolute path or '..': {info.filename!r}")
        if info.flag_bits & 0x1:
            raise reject(f"Die ZIP-Datei ist verschlüsselt ({info.filename!r}).",
                         f"encrypted zip entry {info.filename!r}")
    check_sizes(infos, max_bytes=max_bytes)
    useful = [i for i in infos if not _is_junk(i.filename)]
    shps = [i for i in useful if i.filename.lower().endswith(".shp")]
    if not shps:
        listing = ", ".join(i.filename for i in useful[:10]) or "(leer)"
        raise reject(
            f"Die ZIP-Datei enthält keine Shapefile-Datei (.shp). Inhalt: {listing}",
            f"zip contains no .shp file; entries: {listing}")
    if len(shps) > 1:
        listing = ", ".join(i.filename for i in shps)
        raise reject(
            f"Die ZIP-Datei enthält mehrere Shapefiles ({listing}); bitte genau eines je "
            "ZIP-Datei.",
            f"zip contains several .shp files: {listing}")
    stem = shps[0].filename[:-4].casefold()
    members: dict[str, zipfile.ZipInfo] = {}
    for info in useful:
        name = info.filename
        suffix = name[name.rfind("."):].lower() if "." in name else ""
        if suffix in SHAPE_PARTS and name[: -len(suffix)].casefold() == stem:
            members[suffix] = info
    shp_name = shps[0].filename
    if ".dbf" not in members:
        raise reject(
            f"Zum Shapefile {shp_name!r} fehlt die .dbf-Datei mit den Sachdaten (Schlüssel, "
            "Namen). Bitte alle Teile (.shp, .shx, .dbf, .prj) gemeinsam zippen.",
            f"{shp_name!r}: the .dbf (attribute table) is missing from the zip")
    if ".shx" not in members:
        raise reject(
            f"Zum Shapefile {shp_name!r} fehlt die .shx-Datei (Index). Bitte alle Teile "
            "(.shp, .shx, .dbf, .prj) gemeinsam zippen.",
            f"{shp_name!r}: the .shx (index) is missing from the zip")
    return ShapefileMembers(members)


def extract_shapefile(zf: zipfile.ZipFile, found: ShapefileMembers, dest: Path) -> Path:
    """Copy the Shapefile's parts to ``dest`` as ``layer.*``; never more than declared."""
    for suffix, info in found.members.items():
        try:
            _copy_entry(zf, info, dest / f"layer{suffix}")
        except (zipfile.BadZipFile, NotImplementedError, EOFError, zlib.error) as exc:
            raise reject(
                f"Der ZIP-Eintrag {info.filename!r} ist beschädigt oder mit einem nicht "
                "unterstützten Verfahren komprimiert. Bitte die ZIP-Datei neu erstellen.",
                f"cannot extract zip entry {info.filename!r}: {exc}") from exc
    return dest / "layer.shp"


def _copy_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    written = 0
    with zf.open(info) as src, target.open("wb") as out:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size:
                raise reject(
                    f"Der ZIP-Eintrag {info.filename!r} ist größer als angegeben; "
                    "die Datei wird nicht verarbeitet.",
                    f"zip entry {info.filename!r} larger than declared")
            out.write(chunk)


def check_shapefile_parts(shp: Path) -> bool:
    """For a plain ``.shp``: the .dbf and .shx must lie beside it. Returns whether a .prj does."""
    siblings = {p.name.casefold(): p for p in shp.parent.iterdir()}
    stem = shp.stem.casefold()

    def has(suffix: str) -> bool:
        return f"{stem}{suffix}" in siblings

    for suffix, what_de, what_en in ((".dbf", "die Sachdaten (Schlüssel, Namen)", "attributes"),
                                     (".shx", "den Index", "index")):
        if not has(suffix):
            raise reject(
                f"Neben {shp.name!r} fehlt die {suffix}-Datei mit {what_de}.",
                f"{shp.name!r}: the {suffix} file ({what_en}) is missing")
    return has(".prj")
