"""Running the app and the CLI leaves nothing for git to pick up (issue 9, item 11): the
generated session secret ``data/session.key``, the SQLite files and exports stay ignored, so
``git add -A`` in a checkout that has run the app never commits the key that signs every
session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.slow
def test_app_demo_and_exports_leave_git_status_empty(tmp_path: Path) -> None:
    copy = tmp_path / "checkout"
    copy.mkdir()
    for name in _git(ROOT, "ls-files", "-co", "--exclude-standard").splitlines():
        src = ROOT / name
        if src.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "copy")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STADTRAUM_")}
    env["PYTHONPATH"] = str(copy)
    cli = [sys.executable, "-m", "stadtraum.cli.main"]
    steps = [
        [*cli, "init"],
        [*cli, "demo", "--responses", "400"],
        [*cli, "results", "--campaign", "1", "--level", "Quartier", "--format", "csv"],
        [*cli, "responses", "export", "--campaign", "1"],
        # what the app does on its first page view and at the first sign-in
        [sys.executable, "-c",
         "from streamlit.testing.v1 import AppTest\n"
         "at = AppTest.from_file('streamlit_app.py', default_timeout=180).run()\n"
         "assert not at.exception, at.exception\n"
         "from stadtraum.config import load_settings, project_root, session_secret\n"
         "session_secret(load_settings(), project_root() / 'data')\n"],
    ]
    for step in steps:
        result = subprocess.run(step, cwd=copy, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, (step, result.stderr[-2000:])
    assert (copy / "data" / "session.key").exists()
    assert (copy / "data" / "stadtraum.db").exists()
    assert _git(copy, "status", "--porcelain", "--untracked-files=all") == ""
