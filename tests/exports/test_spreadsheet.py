"""Exports are safe against formula injection (DESIGN §7): risky cells get a prefix."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from stadtraum.exports.spreadsheet import neutralise, safe_frame

RISKY = ["=1+1", "+49 234 123", "-5", "@SUM(A1:A2)", "\t=cmd", "\r=cmd",
         '=HYPERLINK("http://x.example","klick")', "==", "-"]
HARMLESS = ["Mieten zu hoch", "", " =1+1", "1+1", "a=b", "'=already", "Straße, Ecke",
            "<img src=x onerror=alert(1)>", "${7*7}", "![x](http://x.example/a.png)", "5-3"]


@pytest.mark.parametrize("text", RISKY, ids=repr)
def test_risky_text_is_prefixed(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS, ids=repr)
def test_other_text_is_untouched(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [None, -5, 3.5, -0.25, True, 0], ids=repr)
def test_non_text_is_untouched(value: object) -> None:
    assert neutralise(value) is value or neutralise(value) == value


def test_safe_frame_neutralises_cells_and_column_names() -> None:
    frame = pd.DataFrame({
        "text": RISKY[:4] + HARMLESS[:2],
        "=evil": [1, -2, 3, 4, 5, 6],
        "mean": [4.5, -1.0, None, 2.0, 3.0, 7.0],
    })
    out = safe_frame(frame)
    assert list(out.columns) == ["text", "'=evil", "mean"]
    assert list(out["text"]) == ["'" + t for t in RISKY[:4]] + HARMLESS[:2]
    assert list(out["'=evil"]) == [1, -2, 3, 4, 5, 6]  # numbers stay numbers
    assert out["mean"].iloc[1] == -1.0
    # the input frame is not modified
    assert list(frame["text"]) == RISKY[:4] + HARMLESS[:2]
    assert list(frame.columns) == ["text", "=evil", "mean"]


def test_safe_frame_handles_string_and_category_dtypes() -> None:
    frame = pd.DataFrame({
        "s": pd.Series(["=1", "ok", None], dtype="string"),
        "c": pd.Series(["@x", "ok", "@x"], dtype="category"),
    })
    out = safe_frame(frame)
    assert list(out["s"].iloc[:2]) == ["'=1", "ok"]
    assert pd.isna(out["s"].iloc[2])
    assert list(out["c"]) == ["'@x", "ok", "'@x"]


def test_csv_written_from_a_safe_frame_has_no_formula_cell() -> None:
    frame = pd.DataFrame({"comment": RISKY + HARMLESS})
    csv = safe_frame(frame).to_csv(index=False)
    back = pd.read_csv(io.StringIO(csv), keep_default_na=False, dtype=str)
    for cell in back["comment"]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)


@pytest.mark.parametrize("text", ["Gut\r=HYPERLINK(\"http://x.example\")", "\r@x", "a\r\r-1"],
                         ids=repr)
def test_bare_carriage_return_cannot_start_a_row_with_a_formula(text: str) -> None:
    csv = safe_frame(pd.DataFrame({"comment": [text, "ok"]})).to_csv(index=False)
    back = pd.read_csv(io.StringIO(csv), keep_default_na=False, dtype=str)
    assert len(back) == 2  # still one record per row
    assert back["comment"].iloc[1] == "ok"
    assert "=" not in back["comment"].iloc[0][:1] and back["comment"].iloc[0][:1] not in "+-@"
