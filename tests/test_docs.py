"""Docs cannot drift: every setting and page is documented; README keeps its two commands."""

from __future__ import annotations

import re
from pathlib import Path

from stadtraum.config import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_the_operations_guide() -> None:
    text = (ROOT / "docs" / "betrieb.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert setting.env in text, f"{setting.env} missing from docs/betrieb.md"


def test_every_page_is_in_the_user_guide() -> None:
    text = (ROOT / "docs" / "benutzerhandbuch.md").read_text(encoding="utf-8")
    for page in (ROOT / "pages").glob("*.py"):
        assert f"pages/{page.name}" in text, f"pages/{page.name} missing from the user guide"


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- (run|test)-command -->\n```(?:bash|sh)?\n(.+?)\n```", readme)
    assert [b[0] for b in blocks] == ["run", "test"]
    for _, cmd in blocks:
        assert "\n" not in cmd.strip()
    assert "pytest" in blocks[1][1] and "streamlit run" in blocks[0][1]
    assert "test-command" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_benchmarks_are_recorded() -> None:
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "1.000.000" in text and "warm" in text and "naiv" in text


def test_every_package_is_described_in_the_readme_and_the_layout_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = (ROOT / "docs" / "aufbau.md").read_text(encoding="utf-8")
    for init in sorted((ROOT / "stadtraum").glob("*/__init__.py")):
        name = init.parent.name
        assert f"| `stadtraum/{name}/` |" in readme, f"stadtraum/{name}/ missing from README"
        assert f"`{name}`" in layout, f"{name} missing from docs/aufbau.md"
