"""QR codes for the public link: a real PNG and a valid SVG that encode exactly the URL."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from PIL import Image

from stadtraum.citizen.qr import BORDER, ERROR_LEVEL, qr_file_name, qr_matrix, qr_png, qr_svg

URL = "https://stadtraum.example.de/mitmachen?t=Zq3kP0xY-_8aB1cD2eF3gH4iJ5kL6mN7"
SVG = "{http://www.w3.org/2000/svg}"


def _reference(url: str) -> list[list[int]]:
    return [[int(bool(v)) for v in row]
            for row in segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False).matrix]


def _png_modules(png: bytes, scale: int) -> list[list[int]]:
    """Read the PNG back: sample each module's centre (dark = 1), quiet zone removed."""
    img = Image.open(io.BytesIO(png)).convert("L")
    size = img.width // scale - 2 * BORDER
    return [[int(img.getpixel(((BORDER + x) * scale + scale // 2,
                               (BORDER + y) * scale + scale // 2)) < 128)  # type: ignore[operator]
             for x in range(size)] for y in range(size)]


def test_png_is_a_png_of_the_urls_matrix() -> None:
    png = qr_png(URL, scale=6)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(png))
    assert img.width == img.height
    modules = _png_modules(png, 6)
    assert modules == _reference(URL)
    assert modules != _reference(URL + "x")  # the check can fail
    # white quiet zone around the code
    grey = img.convert("L")
    assert all(grey.getpixel((x, 0)) == 255 for x in range(img.width))


def test_svg_is_valid_xml_with_title_and_the_urls_matrix() -> None:
    svg = qr_svg(URL, title="Mitmachen: Befragung <Süd> & Co")
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}title").text == "Mitmachen: Befragung <Süd> & Co"  # type: ignore[union-attr]
    assert [list(r) for r in qr_matrix(URL)] == _reference(URL)
    dark = next(p for p in root.iter(f"{SVG}path") if p.get("stroke") == "#000")
    assert _svg_modules(dark.get("d") or "", len(_reference(URL))) == _reference(URL)
    assert _svg_modules(dark.get("d") or "", len(_reference(URL))) != _reference(URL + "x")


def _svg_modules(path: str, size: int) -> list[list[int]]:
    """Rebuild the module matrix from segno's stroke path ("M x y", "m dx dy", "h n")."""
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for cmd, args in re.findall(r"([MmHh])([-\d.\s]+)", path):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if cmd == "M":
            x, y = nums
        elif cmd == "m":
            x, y = x + nums[0], y + nums[1]
        else:
            for dx in range(int(nums[0])):
                grid[int(y) - BORDER][int(x) + dx - BORDER] = 1
            x += nums[0]
    return grid


def test_empty_url_is_refused() -> None:
    with pytest.raises(ValueError):
        qr_png("")


@pytest.mark.parametrize("name, ext, expected", [
    ("Befragung 2025", "png", "qr_befragung-2025.png"),
    ("Bürgerbefragung Süd/Ost", "svg", "qr_buergerbefragung-sued-ost.svg"),
    ("../../etc/passwd", "png", "qr_etc-passwd.png"),
    ("", "svg", "qr_befragung.svg"),
])
def test_file_names_carry_the_campaign_name_safely(name: str, ext: str, expected: str) -> None:
    assert qr_file_name(name, ext) == expected
