"""Real processes for the worker tests: ``python -m bot worker`` and JSON-driven bot
processes (botproc.py), on one PostgreSQL database and one shared data directory."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
WORKER_TIMEOUT = 2


def worker_env(url: str, data_dir: Path, model: Path, steps: int) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("WRITERSROOM_", "OPENAI_"))},
        "PYTHONPATH": str(ROOT),
        "WRITERSROOM_DB": url,
        "WRITERSROOM_DATA_DIR": str(data_dir),
        "WRITERSROOM_IMAGE_BACKEND": "diffusers",
        "WRITERSROOM_DIFFUSERS_MODEL": str(model),
        "WRITERSROOM_IMAGE_STEPS": str(steps),
        "WRITERSROOM_WORKER_DEVICES": "cpu",
        "WRITERSROOM_WORKER_TIMEOUT": str(WORKER_TIMEOUT),
        "WRITERSROOM_LOG_LEVEL": "INFO",
    }


@dataclass
class Proc:
    """A child process whose stdout lines are collected (JSON ones parsed)."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _readers: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def start_reading(self) -> None:
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                self._readers.append(asyncio.create_task(self._read(stream)))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while raw := await stream.readline():
            text = raw.decode(errors="replace").rstrip("\n")
            self.lines.append(text)
            if text.startswith("{"):
                with contextlib.suppress(ValueError):
                    self.events.append(json.loads(text))
            self._changed.set()

    async def wait_for(self, test: Callable[[], Any], within: float = 60.0) -> Any:
        async with asyncio.timeout(within):
            while not (found := test()):
                if self.process.returncode is not None:
                    raise AssertionError(
                        f"process {self.pid} exited {self.process.returncode}:\n"
                        + "\n".join(self.lines[-40:])
                    )
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), 0.5)
            return found

    def of(self, ev: str, ref: str | None = None) -> list[dict[str, Any]]:
        return [
            e for e in self.events if e.get("ev") == ev and (ref is None or e.get("ref") == ref)
        ]

    async def send(self, **msg: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(msg) + "\n").encode())
        await self.process.stdin.drain()

    async def stop(self, sig: int = signal.SIGTERM, within: float = 30.0) -> int:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(sig)
        try:
            async with asyncio.timeout(within):
                code = await self.process.wait()
        except TimeoutError:
            self.process.kill()
            code = await self.process.wait()
        for reader in self._readers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(reader, 5)
        return code


async def spawn(args: list[str], env: dict[str, str], stdin: bool = False) -> Proc:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.PIPE if stdin else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    proc = Proc(process)
    proc.start_reading()
    return proc


async def start_worker(url: str, data_dir: Path, model: Path, steps: int) -> Proc:
    return await spawn(["-m", "bot", "worker"], worker_env(url, data_dir, model, steps))


async def start_bot(url: str, data_dir: Path, model: Path) -> Proc:
    env = worker_env(url, data_dir, model, 0)
    proc = await spawn(
        ["-m", "tests.workers.botproc", url, str(data_dir), str(model)], env, stdin=True
    )
    await proc.wait_for(lambda: proc.of("ready"), within=60)
    return proc


def query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]


async def live_workers(url: str) -> int:
    rows = await asyncio.to_thread(
        query,
        url,
        "SELECT count(*) FROM procrastinate_workers "
        "WHERE last_heartbeat >= now() - make_interval(secs => %s)",
        (WORKER_TIMEOUT,),
    )
    return int(rows[0][0])


async def until(test: Callable[[], Any], within: float = 60.0, every: float = 0.1) -> Any:
    """Poll a (sync or async) check until it is true."""
    deadline = time.monotonic() + within
    while True:
        found = test()
        if asyncio.iscoroutine(found):
            found = await found
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def workers(
    url: str, data_dir: Path, model: Path, steps: int, count: int = 2
) -> AsyncIterator[list[Proc]]:
    procs = [await start_worker(url, data_dir, model, steps) for _ in range(count)]
    try:
        await until(lambda: live_workers(url), within=90)
        await until(lambda: _count_at_least(url, count), within=90)
        yield procs
    finally:
        for p in procs:
            await p.stop()


async def _count_at_least(url: str, n: int) -> bool:
    return await live_workers(url) >= n
