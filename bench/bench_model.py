"""The bot's own overhead around a model, and how it scales across channels.

A local fake OpenAI-compatible server, in its own process as a real one would be, answers
every request after a fixed delay and streams it in chunks at a steady rate, with usage.
Each command runs through the terminal adapter, the dispatcher,
the job runner, the prompt builder and the SQLite bible, exactly as in production; a thin
wrapper times the engine call, so overhead = the command's time minus the model call's.

Targets: overhead p50 < 15 ms, p99 < 50 ms; 200 concurrent commands across 50 channels
finish within 1.3x one command's time (median of three bursts, each on new connections).
Both processes run on the event loop production uses (bot/runtime.py: uvloop where
installed); ``WRITERSROOM_EVENT_LOOP=asyncio python -m bench model`` for the standard loop.
Run: python -m bench model
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing as mp
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from bench.common import event_loop, median, percentile, run_loop, table
from bot.app import App, open_app
from bot.engines import make_openai_engine
from bot.settings import load_settings
from generation.base import Draft, OnText, TextEngine, WritingTask
from tests.bot.helpers import Session
from tests.fakes import FakeOpenAIServer, FakeReply

DELAY = 0.5  # before the first token
CHUNK_DELAY = 0.1  # between streamed chunks, about 60 tokens a second
ITERATIONS = 60
CHANNELS = 50
CONCURRENT = 200
BURSTS = 3
REPLY = "Mara races the storm to pay her debt, and the harbour master knows it. " * 6


class Timed:
    """Wraps an engine and keeps how long each write took."""

    def __init__(self, inner: TextEngine) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds: list[float] = []

    async def aclose(self) -> None:
        closer = getattr(self.inner, "aclose", None)
        if closer is not None:
            await closer()

    async def renew(self, inner: TextEngine) -> None:
        """Swap in a fresh engine (new connections), closing the old one."""
        await self.aclose()
        self.inner = inner

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        start = time.perf_counter()
        try:
            return await self.inner.write(task, on_text)
        finally:
            self.seconds.append(time.perf_counter() - start)


async def prepare(app: App, channel: str) -> Session:
    s = Session(app, channel)
    await s.say("/story set logline A salvage pilot races a storm to pay her debt")
    await s.say("/story set genre thriller")
    return s


def _reply(body: object) -> FakeReply:
    return FakeReply.say(REPLY, chunk_chars=48, chunk_delay=CHUNK_DELAY)


def serve(delay: float, conn: Connection) -> None:
    """The fake model server in its own process, as a real one would be."""

    async def main() -> None:
        async with FakeOpenAIServer(default=_reply, delay=delay) as server:
            conn.send(server.base_url)
            await asyncio.to_thread(conn.recv)  # until the bench is done

    run_loop(main())


async def run() -> list[dict[str, object]]:
    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=serve, args=(DELAY, child), daemon=True)
    proc.start()
    try:
        base_url = parent.recv()
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(
                {
                    "WRITERSROOM_DATA_DIR": str(Path(tmp)),
                    "OPENAI_BASE_URL": base_url,
                    "OPENAI_MODEL": "fake-model",
                },
                dotenv=None,
            )
            engine = Timed(make_openai_engine(settings))
            async with open_app(dataclasses.replace(settings), engine=engine) as app:
                return await measure(app, engine, lambda: make_openai_engine(settings))
    finally:
        parent.send("stop")
        proc.join(5)


async def measure(
    app: App, engine: Timed, fresh: Callable[[], TextEngine]
) -> list[dict[str, object]]:
    one = await prepare(app, "solo")
    for _ in range(5):  # warm-up: connections, SQLite pages
        await one.say("/synopsis logline")
    engine.seconds.clear()
    totals: list[float] = []
    for _ in range(ITERATIONS):
        start = time.perf_counter()
        out = await one.say("/synopsis short")
        totals.append(time.perf_counter() - start)
        assert "Mara races" in out, out[:200]
    overhead_ms = [(t - m) * 1000 for t, m in zip(totals, engine.seconds, strict=True)]
    single = median(totals)

    sessions = [await prepare(app, f"room-{i % CHANNELS}") for i in range(CONCURRENT)]
    bursts: list[float] = []
    for _ in range(BURSTS):
        # A new client each time, so every burst opens its connections as a first burst
        # after a quiet spell would; one warm connection, as the single commands had.
        await engine.renew(fresh())
        await one.say("/synopsis logline")
        start = time.perf_counter()
        outs = await asyncio.gather(*(s.say("/synopsis short") for s in sessions))
        bursts.append(time.perf_counter() - start)
        assert all("Mara races" in o for o in outs)
    burst = median(bursts)
    return [
        {
            "measure": "overhead per command, p50 (ms)",
            "value": f"{median(overhead_ms):.2f}",
            "target": "< 15",
            "ok": _ok(median(overhead_ms) < 15),
        },
        {
            "measure": "overhead per command, p99 (ms)",
            "value": f"{percentile(overhead_ms, 99):.2f}",
            "target": "< 50",
            "ok": _ok(percentile(overhead_ms, 99) < 50),
        },
        {"measure": "one command, median (s)", "value": f"{single:.3f}", "target": "", "ok": ""},
        {
            "measure": f"{CONCURRENT} commands over {CHANNELS} channels, median (s)",
            "value": f"{burst:.3f}",
            "target": "",
            "ok": "",
        },
        {
            "measure": f"ratio to one command, each of {BURSTS} bursts",
            "value": " ".join(f"{b / single:.2f}" for b in bursts),
            "target": "",
            "ok": "",
        },
        {
            "measure": "ratio to one command, median",
            "value": f"{burst / single:.2f}",
            "target": "<= 1.3",
            "ok": _ok(burst / single <= 1.3),
        },
    ]


def _ok(good: bool) -> str:
    return "yes" if good else "NO"


def main() -> None:
    rows = run_loop(run())
    print(
        f"Model overhead (fake server in its own process: first token after {DELAY * 1000:.0f} ms, "
        f"a chunk every {CHUNK_DELAY * 1000:.0f} ms; "
        f"{ITERATIONS} sequential commands; {event_loop()} event loop)"
    )
    print(table(rows, ["measure", "value", "target", "ok"]))


if __name__ == "__main__":
    main()
