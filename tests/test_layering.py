"""The house rules of DESIGN §4, checked by reading the code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = sorted((ROOT / "stadtraum").rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_ui_imports_streamlit(path: Path) -> None:
    if "ui" in path.relative_to(ROOT / "stadtraum").parts[:-1]:
        return
    bad = {m for m in imports(path) if m == "streamlit" or m.startswith("streamlit")}
    assert not bad, f"{path.name} imports {bad}; only stadtraum/ui/ may import streamlit"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_are_thin(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150, f"{path.name} is longer than 150 lines"
    for forbidden in ("sqlalchemy", "select(", ".groupby(", "EPSG:", "text(\"SELECT"):
        assert forbidden not in text, f"{path.name} contains {forbidden!r}"
    assert not {m for m in imports(path) if m.startswith(("sqlalchemy", "geopandas"))}


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_no_utils_module() -> None:
    assert not (ROOT / "stadtraum" / "utils.py").exists()


def test_importing_the_library_does_nothing() -> None:
    """No engine, settings or Streamlit at import: importing every module in a fresh
    interpreter must not create the default database nor import streamlit."""
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in LIBRARY
               if "ui" not in p.parts and p.name != "__main__.py"]
    code = ("import sys, importlib\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "assert 'streamlit' not in sys.modules, 'streamlit imported'\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "tests",
                            capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "STADTRAUM_DATABASE_URL":
                                 "sqlite:////nonexistent/dir/x.db"})
    assert result.returncode == 0, result.stderr
