"""A throw-away PostgreSQL server for the test suite.

Uses ``STADTRAUM_TEST_POSTGRES_URL`` when set (CI may provide its own server); otherwise starts
a private cluster with Debian's ``initdb``/``pg_ctl`` on a free 127.0.0.1 port, as the
``postgres`` user when running as root. Returns ``None`` when no PostgreSQL is installed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port


@dataclass
class PgServer:
    admin_url: str  # postgresql+psycopg://user@127.0.0.1:port/postgres
    datadir: Path | None = None
    bindir: Path | None = None

    def url(self, database: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + database

    def stop(self) -> None:
        if self.datadir is not None and self.bindir is not None:
            _run_as_pg([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate",
                        "stop"], check=False)
            # a whole test run leaves a database per PostgreSQL test (hundreds of thousands
            # of files): removed in the background instead of at the end of the run
            subprocess.Popen(["rm", "-rf", str(self.datadir.parent)], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _run_as_pg(cmd: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)


def find_bindir() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if candidates:
        return candidates[0].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def start_server(*, durable: bool = False) -> PgServer | None:
    """``durable=False`` (tests) turns fsync off for speed; benchmarks pass True."""
    env_url = os.environ.get("STADTRAUM_TEST_POSTGRES_URL")
    if env_url:
        return PgServer(admin_url=env_url)
    bindir = find_bindir()
    if bindir is None:
        return None
    base = Path(tempfile.mkdtemp(prefix="stadtraum-pg-"))
    datadir = base / "data"
    datadir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(datadir, "postgres")
    base.chmod(0o755)
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    _run_as_pg([str(bindir / "initdb"), "-D", str(datadir), "-U", user, "-A", "trust",
                "-E", "UTF8", "--no-sync"])
    port = free_port()
    opts = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base} "
            "-c max_connections=100" + ("" if durable else " -c fsync=off"))
    _run_as_pg([str(bindir / "pg_ctl"), "-D", str(datadir), "-o", opts, "-l",
                str(base / "log"), "-w", "start"])
    server = PgServer(f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres", datadir, bindir)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError("PostgreSQL did not start")
