"""The shared_geodata fixture skips locally but fails in CI when the files are missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.geo.conftest import GEODATA, require_folder


def test_missing_folder_skips_locally(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception):
        require_folder(tmp_path / "nope", {})


def test_missing_folder_fails_in_ci(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception):
        require_folder(tmp_path / "nope", {"CI": "true"})


def test_present_folder_is_returned(tmp_path: Path) -> None:
    assert require_folder(tmp_path, {"CI": "true"}) == tmp_path


def test_folder_is_outside_the_repository() -> None:
    repo = Path(__file__).resolve().parents[2]
    assert not GEODATA.is_relative_to(repo)
    assert GEODATA.parts[-2:] == ("shared", "geodata")
