"""Fixtures for the geodata tests: the plausibility region and the shared real files."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from stadtraum.config import GERMANY_BBOX, Region

# /work/main/tests/geo/conftest.py → /work/shared/geodata (next to the checkout, never in it)
GEODATA = Path(__file__).resolve().parents[2].parent / "shared" / "geodata"


def require_folder(folder: Path, environ: Mapping[str, str]) -> Path:
    """``folder`` if it exists; otherwise skip the test, or fail it in CI (``CI=true``)."""
    if not folder.is_dir():
        if environ.get("CI") == "true":
            pytest.fail(f"real boundary files are required in CI but {folder} is missing")
        pytest.skip(f"real boundary files not available ({folder})")
    return folder


@pytest.fixture(scope="session")
def shared_geodata() -> Path:
    """The folder with the real boundary files; skip when absent, fail when absent in CI."""
    return require_folder(GEODATA, os.environ)


@pytest.fixture
def region() -> Region:
    return Region(*GERMANY_BBOX)
