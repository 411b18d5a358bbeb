"""Real bot processes on one database, for the tests and benchmarks of several processes.

``BotProcess`` starts ``python -m bot slack --http`` as a child process (its own event
loop, pool and lease) pointed at a database, the fake Slack Web API and, optionally, the
fake model server, all on 127.0.0.1. It speaks to it the way Slack does: signed HTTP
requests (``client``, the same helper the Slack tests use). ``kill()`` is SIGKILL: no
shutdown, no lease release, as when a machine goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, cast

import aiohttp

from tests.adapters.slack.conftest import SECRET, Slack
from tests.adapters.slack.fake_slack import TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    def __init__(
        self,
        name: str,
        database: str,
        fake: FakeSlack,
        data_dir: Path,
        *,
        model_url: str | None = None,
        lease: int = 2,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.port = free_port()
        self.log = data_dir / f"{name}.log"
        self.fake = fake
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "WRITERSROOM_DB": database,
            "WRITERSROOM_DATA_DIR": str(data_dir),
            "WRITERSROOM_JOB_LEASE": str(lease),
            "WRITERSROOM_LOG_LEVEL": "INFO",
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            **({"OPENAI_BASE_URL": model_url, "OPENAI_MODEL": "fake-model"} if model_url else {}),
            **(env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.session: aiohttp.ClientSession | None = None
        self.client: Slack | None = None

    def _spawn(self) -> subprocess.Popen[bytes]:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "bot", "slack", "--http", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    async def start(self, within: float = 30.0) -> BotProcess:
        self.proc = self._spawn()
        self.session = aiohttp.ClientSession()
        url = f"http://127.0.0.1:{self.port}/slack/events"
        # The Slack test client; it never touches an in-process app here. Its trigger and
        # event ids start where no other process's client's do, as Slack's are unique.
        self.client = Slack(cast(Any, None), self.fake, self.session, url, cast(Any, None))
        self.client._n = itertools.count(self.port * 10_000)
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log.read_text()}")
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                await writer.wait_closed()
                return self
            await asyncio.sleep(0.05)
        raise RuntimeError(f"{self.name} did not listen within {within} s:\n{self.log.read_text()}")

    @property
    def slack(self) -> Slack:
        assert self.client is not None, "start() first"
        return self.client

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to shut down or release its lease."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    async def stop(self) -> None:
        """SIGTERM and wait: the clean shutdown (jobs get their grace, the lease is released)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            await asyncio.to_thread(self.proc.wait, 30)
        if self.session is not None:
            await self.session.close()
            self.session = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextlib.asynccontextmanager
async def bots(
    n: int, database: str, fake: FakeSlack, data_dir: Path, **options: Any
) -> AsyncIterator[list[BotProcess]]:
    """``n`` bot processes on one database, started together; all stopped afterwards."""
    started = [BotProcess(f"bot{i}", database, fake, data_dir, **options) for i in range(n)]
    try:
        await asyncio.gather(*(b.start() for b in started))
        yield started
    finally:
        await asyncio.gather(*(bot.stop() for bot in started))
