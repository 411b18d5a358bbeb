"""A throwaway PostgreSQL cluster the tests start themselves, and a fresh database per test.

``initdb`` into a temp dir, ``pg_ctl start`` on a free 127.0.0.1 port, a password for TCP
logins (so a wrong one can be tested), fsync off (a crash loses nothing a test needs).
As root, where initdb refuses to run, every server command runs as the ``postgres``
user through ``runuser``. Without PostgreSQL's binaries the tests that need it skip with
a line saying how to install it; in CI (``CI=true``) they fail instead, so a CI machine
that lost its PostgreSQL cannot pass by skipping.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

USER = "writersroom"
PASSWORD = "test-password"
INSTALL = (
    "PostgreSQL is not installed: install it (Debian/Ubuntu: apt-get install -y postgresql) "
    "to run the PostgreSQL tests; they start a throwaway cluster of their own."
)
TEMPLATE = "wr_template"


def pg_bin() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(versions[-1]).parent if versions else None


class PostgresMissing(RuntimeError):
    """PostgreSQL's server binaries are not on this machine."""


def require_postgres() -> None:
    """Skip the test (fail it in CI) when PostgreSQL is not installed."""
    if pg_bin() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(INSTALL + " (CI=true: PostgreSQL is required here)")
        pytest.skip(INSTALL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A running cluster; ``database()`` makes a fresh, migrated database."""

    def __init__(self, root: Path, bin_dir: Path, port: int, as_postgres: list[str]) -> None:
        self.root = root
        self.data = root / "data"
        self.bin = bin_dir
        self.port = port
        self._as = as_postgres
        self._names = itertools.count(1)
        self.log = root / "server.log"

    @classmethod
    def start(cls, *, durable: bool = False) -> Cluster:
        """``durable``: PostgreSQL's own defaults (fsync, synchronous commit), for
        benchmarks; tests run without, since a crash of a test cluster loses nothing."""
        bin_dir = pg_bin()
        if bin_dir is None:
            raise PostgresMissing(INSTALL)
        root = Path(tempfile.mkdtemp(prefix="wr-pg-"))
        as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(root, "postgres", "postgres")
            as_postgres = ["runuser", "-u", "postgres", "--"]
        pwfile = root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if as_postgres:
            shutil.chown(pwfile, "postgres", "postgres")
        cluster = cls(root, bin_dir, free_port(), as_postgres)
        cluster._run(
            "initdb",
            "-D",
            str(cluster.data),
            "-U",
            USER,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            *(() if durable else ("--no-sync",)),
        )
        options = " ".join(
            [
                f"-p {cluster.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={root}",
                *(
                    ()
                    if durable
                    else ("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
                ),
                "-c max_connections=300",
                "-c shared_buffers=64MB",
            ]
        )
        cluster._run(
            "pg_ctl", "-D", str(cluster.data), "-l", str(cluster.log), "-o", options, "-w", "start"
        )
        cluster._admin(f"CREATE DATABASE {TEMPLATE}")
        cluster._migrate(TEMPLATE)
        return cluster

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def url(self, dbname: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{dbname}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def _migrate(self, dbname: str) -> None:
        """Migrate with the bot's own code, on a loop of its own (callers may be inside one)."""
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        from storage.postgres_db import PostgresDatabase

        async def migrate() -> None:
            db = await PostgresDatabase.open(self.url(dbname), min_size=1, max_size=1)
            await db.close()

        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, migrate()).result()

    def database(self) -> str:
        """A new database, copied from a migrated template; returns its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(Exception):
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def files(self, dbname: str) -> list[Path]:
        """Every file of one database's folder under base/ (for forget checks)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            row = conn.execute(
                "SELECT oid FROM pg_database WHERE datname = %s", (dbname,)
            ).fetchone()
        assert row is not None
        return [p for p in (self.data / "base" / str(row[0])).iterdir() if p.is_file()]

    def restart(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart"
        )

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def running_cluster(*, durable: bool = False) -> Iterator[Cluster]:
    cluster = Cluster.start(durable=durable)
    try:
        yield cluster
    finally:
        cluster.stop()
