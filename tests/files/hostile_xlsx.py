"""Builders of hostile XLSX files, made with zipfile: a member whose real size is larger than
the zip directory says, and XML entity bombs ("billion laughs") in a workbook part."""

from __future__ import annotations

import io
import struct
import zipfile

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

SHARED_STRINGS = "xl/sharedStrings.xml"
SHEET = "xl/worksheets/sheet1.xml"

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
              for i in range(1, 10))
    + ']>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    'uniqueCount="1"><si><t>&lol9;</t></si></sst>')


_SST = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
        b'schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>Q1</t></si></sst>")


def workbook(rows: list[list[object]] | None = None) -> bytes:
    """A small, honest workbook with text cells (so that it has shared strings)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bögen"
    for row in rows or [["bogen_nr", "gebiet", "moving_around"], [1, "Q1", 4]]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl writes its strings inline; Excel keeps them in a shared-strings part, which
    # is read while the workbook opens: add one (the reader must parse it)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        types = zf.read("[Content_Types].xml").replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>')
    with_types = replace_member(buf.getvalue(), "[Content_Types].xml", types)
    return replace_member(with_types, SHARED_STRINGS, _SST)


def replace_member(data: bytes, name: str, content: bytes | None = None, *,
                   chunks: tuple[bytes, int] | None = None) -> bytes:
    """``data`` with member ``name`` replaced by ``content`` (or ``chunks[0]`` written
    ``chunks[1]`` times, streamed, for very large members)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info))
        new = zipfile.ZipInfo(name)  # written last; added if it was not there
        new.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(new, "w") as fh:
            if chunks is not None:
                piece, times = chunks
                for _ in range(times):
                    fh.write(piece)
            else:
                assert content is not None
                fh.write(content)
    return out.getvalue()


def lie_about_size(data: bytes, name: str, declared: int) -> bytes:
    """Patch the local header and the central directory so that ``name`` claims to unpack to
    ``declared`` bytes (the compressed data and the CRC stay those of the real content)."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    encoded = name.encode()
    local = info.header_offset
    assert buf[local:local + 4] == b"PK\x03\x04"
    _patch_size(buf, local + 22, local + 30 + struct.unpack_from("<H", buf, local + 26)[0],
                struct.unpack_from("<H", buf, local + 28)[0], declared, extra_slot=0)
    pos = buf.find(b"PK\x01\x02")
    while pos >= 0:
        name_len, extra_len = struct.unpack_from("<HH", buf, pos + 28)
        if bytes(buf[pos + 46:pos + 46 + name_len]) == encoded:
            _patch_size(buf, pos + 24, pos + 46 + name_len, extra_len, declared, extra_slot=0)
            return bytes(buf)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{name} not in the central directory")


def _patch_size(buf: bytearray, size_at: int, extra_at: int, extra_len: int, declared: int,
                extra_slot: int) -> None:
    """Write ``declared`` as the uncompressed size, in the zip64 extra field if there is one
    (where it comes first; the 32-bit field then holds 0xFFFFFFFF)."""
    if struct.unpack_from("<I", buf, size_at)[0] == 0xFFFFFFFF:
        end = extra_at + extra_len
        while extra_at + 4 <= end:
            tag, size = struct.unpack_from("<HH", buf, extra_at)
            if tag == 0x0001:
                struct.pack_into("<Q", buf, extra_at + 4 + 8 * extra_slot, declared)
                return
            extra_at += 4 + size
        raise AssertionError("zip64 size without a zip64 extra field")
    struct.pack_into("<I", buf, size_at, declared)
