"""Starting an app process on loopback for tests: a free port, and waiting until Streamlit's
health endpoint answers (shared by the browser tests and the ASGI route tests)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path,
                 timeout_s: float = 120) -> None:
    """Return once ``url``/_stcore/health answers 200; else stop ``proc`` and fail with its log."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    pytest.fail("the app did not become healthy:\n" + log.read_text(errors="replace"))
