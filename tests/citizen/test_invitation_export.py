"""Export of freshly generated invitation codes: a formula-safe CSV and a printable sheet with
one QR code per code (pure)."""

from __future__ import annotations

import base64
import io
import re

import pandas as pd

from stadtraum.citizen.invitation_export import codes_csv, codes_sheet
from stadtraum.citizen.invitations import invitation_url

CODES = ["ABCD-EFGH-JKMN", "2345-6789-WXYZ"]
BASE, TOKEN = "https://stadtraum.example.de", "tok-" + "x" * 20


def _link(code: str) -> str:
    return invitation_url(BASE, TOKEN, code)


def test_csv_has_one_row_per_code_with_its_link() -> None:
    frame = pd.read_csv(io.BytesIO(codes_csv(CODES, _link)), dtype=str)
    assert list(frame.columns) == ["Einladungscode", "Link"]
    assert frame["Einladungscode"].tolist() == CODES
    assert frame["Link"].tolist() == [f"{BASE}/?t={TOKEN}&c={c}" for c in CODES]


def test_csv_without_a_public_link_has_empty_links_and_is_formula_safe() -> None:
    assert codes_csv(CODES, None).decode("utf-8").splitlines()[1] == "ABCD-EFGH-JKMN,"
    hostile = codes_csv(CODES, lambda c: "=HYPERLINK(\"http://evil\")" + c)
    assert all(line.split(",", 1)[1].startswith(("'=", "\"'=")) for line in
               hostile.decode("utf-8").splitlines()[1:])


def test_sheet_has_each_code_its_qr_and_escapes_the_campaign_name() -> None:
    html = codes_sheet("<img src=x> Süd & Nord", CODES, _link, f"{BASE}/?t={TOKEN}")
    assert "<img src=x>" not in html and "&lt;img src=x&gt; Süd &amp; Nord" in html
    for code in CODES:
        assert html.count(code) >= 2  # printed, and in the printed link
    qrs = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(qrs) == len(CODES)
    svg = base64.b64decode(qrs[0]).decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "@media print" in html  # cards do not break across pages
    without = codes_sheet("Befragung", CODES, None, None)
    assert "data:image/svg" not in without and CODES[0] in without
