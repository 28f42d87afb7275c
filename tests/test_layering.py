"""The house rules of DESIGN §4, checked by reading the code."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = sorted((ROOT / "stadtraum").rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))

# DESIGN §4.1: the shared base, then the packages of stadtraum from the bottom up. A module may
# import from its own package and from the layers below it, never from one above.
BASE = ("criteria", "vocab", "config", "errors")
LAYERS = ("base", "files", "store", "accounts", "geo", "charts", "analysis", "maps", "collect",
          "exports", "publish", "paper", "privacy", "focus", "citizen", "admin", "reports",
          "demo", "bench", "cli", "web", "ui")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def module_name(library: Path, path: Path) -> str:
    parts = path.relative_to(library.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """``stadtraum.analysis.cube`` -> ``analysis``; the top-level modules are the base."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in BASE:
        return "base"
    return parts[1]


def imported_modules(library: Path, path: Path) -> set[str]:
    """The stadtraum modules ``path`` imports (also inside functions); ``from pkg import mod``
    counts as importing ``pkg.mod``."""
    found: set[str] = set()
    for name in imports(path):
        if name.startswith("stadtraum"):
            found.add(name)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stadtraum"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if (library.parent / (candidate.replace(".", "/") + ".py")).exists():
                    found.add(candidate)
    return found


def upward_imports(library: Path) -> list[str]:
    """Every import of a module from a layer above its own (or from an unknown layer)."""
    bad = []
    for path in sorted(library.rglob("*.py")):
        me = module_name(library, path)
        if me == "stadtraum":
            continue
        mine = layer_of(me)
        for target in sorted(imported_modules(library, path)):
            theirs = layer_of(target)
            if theirs == mine:
                continue
            if mine not in LAYERS or theirs not in LAYERS or \
                    LAYERS.index(theirs) > LAYERS.index(mine):
                bad.append(f"{me} ({mine}) imports {target} ({theirs})")
    return bad


def import_cycles(library: Path) -> list[list[str]]:
    """Groups of modules that import each other in a circle (Tarjan's strongly connected
    components over every import, lazy ones included)."""
    graph = {module_name(library, p): imported_modules(library, p)
             for p in sorted(library.rglob("*.py"))}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        order[v] = low[v] = len(order)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph or w == v:
                continue
            if w not in order:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], order[w])
        if low[v] == order[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in graph:
        if v not in order:
            visit(v)
    return cycles


def test_packages_import_only_downward() -> None:
    assert upward_imports(ROOT / "stadtraum") == []


def test_no_import_cycles() -> None:
    assert import_cycles(ROOT / "stadtraum") == []


def test_every_module_lives_in_a_known_layer() -> None:
    library = ROOT / "stadtraum"
    flat = sorted(p.stem for p in library.glob("*.py") if p.stem != "__init__")
    assert flat == sorted(BASE), "new code goes into the package of its capability"
    packages = sorted(p.parent.name for p in library.glob("*/__init__.py"))
    assert packages == sorted(LAYERS[1:])


def test_every_package_says_what_it_is() -> None:
    for init in sorted((ROOT / "stadtraum").glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{init.parent.name}/__init__.py has no docstring"


@pytest.mark.parametrize(("module", "line", "expected"), [
    ("store/db.py", "from stadtraum.ui.state import engine",
     "stadtraum.store.db (store) imports stadtraum.ui.state (ui)"),
    ("config.py", "from stadtraum.geo import crs",
     "stadtraum.config (base) imports stadtraum.geo (geo); "
     "stadtraum.config (base) imports stadtraum.geo.crs (geo)"),
    ("analysis/results.py", "    from stadtraum.collect.submit import submit_response",
     "stadtraum.analysis.results (analysis) imports stadtraum.collect.submit (collect)"),
])
def test_the_layer_check_finds_a_planted_upward_import(tmp_path: Path, module: str, line: str,
                                                        expected: str) -> None:
    library = tmp_path / "stadtraum"
    shutil.copytree(ROOT / "stadtraum", library, ignore=shutil.ignore_patterns("__pycache__"))
    target = library / module
    text = target.read_text(encoding="utf-8")
    if line.startswith(" "):  # a lazy import inside a function counts too
        text += f"\n\ndef _planted() -> None:\n{line}\n"
    else:
        text += f"\n{line}\n"
    target.write_text(text, encoding="utf-8")
    assert upward_imports(library) == expected.split("; ")


def test_the_cycle_check_finds_a_planted_cycle(tmp_path: Path) -> None:
    library = tmp_path / "stadtraum"
    shutil.copytree(ROOT / "stadtraum", library, ignore=shutil.ignore_patterns("__pycache__"))
    with (library / "analysis" / "stats.py").open("a", encoding="utf-8") as fh:
        fh.write("\n\ndef _planted() -> None:\n    from stadtraum.analysis import results\n")
    cycles = import_cycles(library)
    assert len(cycles) == 1
    assert {"stadtraum.analysis.stats", "stadtraum.analysis.results"} <= set(cycles[0])


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
