"""A real PostgreSQL server for the tests, started from Debian's packages (../shared/RECIPES.md).

``start()`` runs ``initdb`` and ``pg_ctl start`` in temporary folders on a free 127.0.0.1 port
(as the ``postgres`` user where the tests run as root: initdb refuses root) and returns the
server; ``new_database()`` gives each test a database of its own. Where PostgreSQL is not
installed the tests skip saying why, unless ``PROPSCOPE_REQUIRE_SYSTEM=1`` (CI), where they
fail. ``PROPSCOPE_TEST_PG_URL`` points the tests at a server that is already running instead.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_ENV = "PROPSCOPE_REQUIRE_SYSTEM"
URL_ENV = "PROPSCOPE_TEST_PG_URL"
INSTALL = "apt-get install -y postgresql"
_counter = itertools.count()


def unavailable(reason: str) -> None:
    """Skip (fail where PROPSCOPE_REQUIRE_SYSTEM=1) saying why."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
    print(f"\nskipping PostgreSQL test: {reason}")
    pytest.skip(reason)


def pg_bin() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2].split(".")[0])
    )
    return Path(found[-1]) if found and (Path(found[-1]) / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    base_url: str  # without the database name
    data: Path | None = None
    socket_dir: Path | None = None
    bin: Path | None = None
    as_postgres: bool = False

    def new_database(self) -> str:
        from sqlalchemy import create_engine, text

        name = f"propscope_t{os.getpid()}_{next(_counter)}"
        engine = create_engine(f"{self.base_url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return f"{self.base_url}/{name}"

    def stop(self) -> None:
        if self.data is None or self.bin is None:
            return
        _run(self, [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(self.data, ignore_errors=True)
        if self.socket_dir is not None:
            shutil.rmtree(self.socket_dir, ignore_errors=True)


def _run(server: PgServer, cmd: list[str]) -> None:
    if server.as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)


def start() -> PgServer:
    given = os.environ.get(URL_ENV)
    if given:
        return PgServer(given.rstrip("/").rsplit("/", 1)[0])
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed: pip install 'propscope[postgres]'")
    pgbin = pg_bin()
    if pgbin is None:
        unavailable(f"PostgreSQL is not installed: {INSTALL}")
        raise AssertionError  # unreachable
    as_postgres = os.geteuid() == 0
    data = Path(tempfile.mkdtemp(prefix="pgdata"))
    sock = Path(tempfile.mkdtemp(prefix="pgsock"))
    if as_postgres:
        shutil.chown(data, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
    data.chmod(0o700)
    port = _free_port()
    server = PgServer(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}", data, sock, pgbin, as_postgres
    )
    try:
        _run(
            server,
            [str(pgbin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--no-sync"],
        )  # fmt: skip
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run(
            server,
            [str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "-t",
             "30", "-o", opts, "start"],
        )  # fmt: skip
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(data, ignore_errors=True)
        err = getattr(exc, "stderr", b"") or b""
        unavailable(f"PostgreSQL did not start: {exc} {err.decode(errors='replace')[:300]}")
    return server
