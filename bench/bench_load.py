"""Load with failures and a restart: python -m bench load

1,000 commands across 100 channels (each channel types its next command when the last is
answered, as a room does; all channels at once), through the dispatcher, the job runner and
the SQLite bible, against a fake OpenAI-compatible server in its own process that fails
10% of requests (429 with Retry-After, 500, or a hang past the client's timeout). Halfway,
the app is closed and opened again on the same database while commands are in flight:
running jobs get a short grace and are parked, queued ones stay queued; after the restart
bot/recovery.py runs the queued ones and reports the interrupted ones in their channel.

Checks: every command answered exactly once (a result or a clear error; never the
"something went wrong" apology, never silence), no revision that was committed before the
restart is missing after it, every write the bot confirmed has its revision, and
PRAGMA integrity_check is "ok".
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import multiprocessing as mp
import random
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.common import run_loop, table
from bot.app import App, open_app
from bot.jobs import Job
from bot.settings import Settings, load_settings
from core.types import Author, Capabilities, ChatMessage, MessageHandle, Place, Reply
from tests.fakes import FakeOpenAIServer, FakeReply, default_reply

CHANNELS = 100
PER_CHANNEL = 10
FAIL_RATE = 0.10
TIMEOUT = 1.0  # the client's; a hanging request holds 2 s
GRACE = 0.2  # shutdown grace at the restart, short so some jobs are parked
APOLOGY = "something went wrong on my side"
SCRIPT = [
    "/story set logline Channel {c} take one",
    "/character new Pilot{c} role:lead a salvage pilot",
    "/synopsis",
    "save",
    "/dialogue Pilot{c}: the dock at night",
    "/story set genre thriller",
    "/outline",
    "again",
    "/story history",
    "/synopsis logline",
]
WRITES = ("/story set", "/character new", "save")


def _serve(conn: Connection) -> None:
    rng = random.Random(7)
    counts: Counter[str] = Counter()

    def reply(body: Mapping[str, Any]) -> FakeReply:
        roll = rng.random()
        if roll < FAIL_RATE:
            kind = rng.choice(["429", "500", "hang"])
            counts[kind] += 1
            return {
                "429": FakeReply.rate_limited(0.05),
                "500": FakeReply.server_error(500),
                "hang": FakeReply.hanging(2 * TIMEOUT),
            }[kind]
        counts["ok"] += 1
        return default_reply(body)

    async def main() -> None:
        async with FakeOpenAIServer(default=reply, delay=0.05) as server:
            conn.send(server.base_url)
            await asyncio.to_thread(conn.recv)
            conn.send(dict(counts))

    run_loop(main())


@dataclasses.dataclass
class Answer:
    """Collects one command's replies (and, after a restart, its resumed job's)."""

    place: Place
    finals: list[Reply] = dataclasses.field(default_factory=list)
    last_thread: str | None = None
    ids: itertools.count[int] = dataclasses.field(default_factory=lambda: itertools.count(1))

    async def post(self, reply: Reply) -> MessageHandle:
        thread = self.place.thread or f"t{next(self.ids)}-{id(self)}"
        if not reply.partial:
            self.finals.append(reply)
        if reply.tone == "result" or reply.partial:
            self.last_thread = thread
        return MessageHandle(str(next(self.ids)), self.place, thread)

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        if not reply.partial:
            self.finals.append(reply)

    async def progress(self, text: str, fraction: float | None = None) -> None:
        pass

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        return []


class Load:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app: App | None = None
        self.ready = asyncio.Event()
        self.submitted = 0
        self.half = asyncio.Event()
        self.half_at = CHANNELS * PER_CHANNEL // 2
        self.answers: list[tuple[str, Answer]] = []
        self.inflight: dict[str, Answer] = {}
        self.resumed: list[Job] = []
        self.committed_before: set[int] = set()

    async def channel(self, c: int) -> None:
        place = Place("terminal", "bench", f"room-{c}")
        author = Author(f"u{c}", f"Writer {c}", manager=True)
        thread: str | None = None
        for line in (s.format(c=c) for s in SCRIPT):
            await self.ready.wait()
            here = place if line.startswith("/") else place.in_thread(thread)
            answer = Answer(here)
            self.inflight[place.channel] = answer
            self.answers.append((line, answer))
            self.submitted += 1
            if self.submitted >= self.half_at:
                self.half.set()
            assert self.app is not None
            job = await self.app.dispatcher.handle_text(
                line, here, author, answer, Capabilities(make_threads=True)
            )
            if job is not None:
                await job.wait()
            if not answer.finals:  # parked by the restart: answered after it
                await self.ready.wait()
                await asyncio.gather(*(j.wait() for j in self.resumed))
            thread = answer.last_thread or thread

    async def restart_when_half_done(self, total: int) -> float:
        self.half_at = total // 2
        await self.half.wait()
        self.ready.clear()
        start = time.perf_counter()
        assert self.app is not None
        await self._close()
        self.committed_before = _revision_ids(self.settings.db_path)
        await self._open()
        self.resumed = await self.app.resume("terminal", self._responder_for)
        self.ready.set()
        return time.perf_counter() - start

    def _responder_for(self, place: Place, answer_at: Place) -> Answer | None:
        answer = self.inflight.get(place.channel)
        return answer if answer is not None and not answer.finals else None

    async def _open(self) -> None:
        self._cm = open_app(self.settings, shutdown_grace=GRACE)
        self.app = await self._cm.__aenter__()

    async def _close(self) -> None:
        await self._cm.__aexit__(None, None, None)


def _revision_ids(db: Path) -> set[int]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM revisions")}
    finally:
        conn.close()


async def run() -> tuple[list[dict[str, object]], dict[str, int]]:
    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=_serve, args=(child,), daemon=True)
    proc.start()
    try:
        base_url = parent.recv()
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(
                {
                    "WRITERSROOM_DATA_DIR": tmp,
                    "OPENAI_BASE_URL": base_url,
                    "OPENAI_MODEL": "fake-model",
                    "OPENAI_TIMEOUT": str(TIMEOUT),
                    "WRITERSROOM_TEXT_CONCURRENCY": "32",
                },
                dotenv=None,
            )
            rows = await _measure(settings)
    finally:
        parent.send("stop")
        counts: dict[str, int] = parent.recv() if parent.poll(5) else {}
        proc.join(5)
    return rows, counts


async def _measure(settings: Settings) -> list[dict[str, object]]:
    load = Load(settings)
    await load._open()
    load.ready.set()
    total = CHANNELS * PER_CHANNEL
    start = time.perf_counter()
    restart = asyncio.create_task(load.restart_when_half_done(total))
    await asyncio.gather(*(load.channel(c) for c in range(CHANNELS)))
    restart_s = await restart
    wall = time.perf_counter() - start
    assert load.app is not None
    jobs = Counter(
        j.state
        for j in await load.app.store.jobs(
            ["queued", "running", "done", "failed", "cancelled", "interrupted"]
        )
    )
    await load._close()

    finals = Counter(len(a.finals) for _, a in load.answers)
    errors = [a.finals[-1] for _, a in load.answers if a.finals and a.finals[-1].tone == "error"]
    apologies = sum(APOLOGY in r.body for _, a in load.answers for r in a.finals)
    interrupted = sum(
        any("restart interrupted" in r.body for r in a.finals) for _, a in load.answers
    )
    confirmed = sum(
        1
        for line, a in load.answers
        if line.startswith(WRITES) and a.finals and a.finals[-1].tone != "error"
    )
    after = _revision_ids(settings.db_path)
    conn = sqlite3.connect(settings.db_path)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    lost = len(load.committed_before - after)

    def row(measure: str, value: object, target: object = "", ok: object = "") -> dict[str, object]:
        return {"measure": measure, "value": value, "target": target, "ok": ok}

    return [
        row(
            "commands / channels",
            f"{len(load.answers)} / {CHANNELS}",
            f"{total} / {CHANNELS}",
            _ok(len(load.answers) == total),
        ),
        row("answered exactly once", finals[1], total, _ok(finals[1] == total)),
        row(
            "answered twice or more / never",
            f"{sum(v for k, v in finals.items() if k > 1)} / {finals[0]}",
            "0 / 0",
            _ok(finals[1] == total),
        ),
        row("clear errors (model failures, refusals)", len(errors)),
        row("queued at the restart, run after it", len(load.resumed)),
        row("running at the restart, reported with Retry", interrupted),
        row("'something went wrong' apologies", apologies, 0, _ok(apologies == 0)),
        row(
            "writes confirmed / revisions in the db",
            f"{confirmed} / {len(after)}",
            "revisions >= confirmed",
            _ok(len(after) >= confirmed),
        ),
        row("revisions committed before restart, lost", lost, 0, _ok(lost == 0)),
        row("integrity_check", integrity, "ok", _ok(integrity == "ok")),
        row("job states", ", ".join(f"{k} {v}" for k, v in sorted(jobs.items()))),
        row("restart (close + open + resume), s", f"{restart_s:.2f}"),
        row("wall time, s", f"{wall:.1f}"),
    ]


def _ok(flag: bool) -> str:
    return "yes" if flag else "NO"


def main() -> None:
    rows, counts = run_loop(run())
    print("load: 1,000 commands, 100 channels, 10% model failures, one restart")
    print(table(rows, ["measure", "value", "target", "ok"]))
    print("model requests: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print()
    from bench import bench_load_processes
    from tests.pg import pg_bin

    if pg_bin() is None:
        print("load on PostgreSQL with three processes: not run (PostgreSQL is not installed)")
    else:
        bench_load_processes.main()


if __name__ == "__main__":
    main()
