"""The image queue's figures for ``python -m bench images`` (see bench/bench_images.py)."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import time
from pathlib import Path

from bench.bench_images import worst_lag
from bench.common import percentile, run_loop
from bot.app import App, open_app
from bot.settings import load_settings
from core.types import Author, ChatMessage, MessageHandle, Place, Reply

QUEUE_STEPS = 10
WORKER_NICE = 10
BURST = 20
SEQUENTIAL = 15
ROOT = Path(__file__).resolve().parents[1]


class _Quiet:
    """A responder that shows nothing (the figures are the queue's, not a platform's)."""

    def __init__(self, place: Place) -> None:
        self.place = place
        self._ids = itertools.count(1)

    async def post(self, reply: Reply) -> MessageHandle:
        n = next(self._ids)
        return MessageHandle(f"m{n}", self.place, self.place.thread or f"t{n}")

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        return None

    async def progress(self, text: str, fraction: float | None = None) -> None:
        return None

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        return []


def _env(url: str, data: Path, model: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("WRITERSROOM_")},
        "PYTHONPATH": str(ROOT),
        "WRITERSROOM_DB": url,
        "WRITERSROOM_DATA_DIR": str(data),
        "WRITERSROOM_IMAGE_BACKEND": "diffusers",
        "WRITERSROOM_DIFFUSERS_MODEL": str(model),
        "WRITERSROOM_IMAGE_STEPS": str(QUEUE_STEPS),
        "WRITERSROOM_IMAGE_QUEUE": "on",
        "WRITERSROOM_IMAGE_JOBS_PER_USER": "0",
        "WRITERSROOM_WORKER_DEVICES": "cpu",
        "WRITERSROOM_WORKER_TIMEOUT": "5",
        "WRITERSROOM_LOG_LEVEL": "WARNING",
    }


async def _portraits(app: App, count: int, *, one_at_a_time: bool) -> float:
    """Run ``count`` portraits through the dispatcher; returns the wall seconds."""
    author = Author("bench", "Bench")
    place = Place("terminal", "local", "bench")
    job = await app.dispatcher.handle_text("/character new Mara", place, author, _Quiet(place))
    assert job is not None
    await job.wait()
    t0 = time.perf_counter()
    jobs = []
    for _ in range(count):
        job = await app.dispatcher.handle_text("/portrait Mara", place, author, _Quiet(place))
        assert job is not None
        if one_at_a_time:
            await job.wait()
        jobs.append(job)
    for job in jobs:
        await job.wait()
    return time.perf_counter() - t0


async def _measure(url: str, data: Path, model: Path, workers: int) -> dict[str, object]:
    env = _env(url, data, model)
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "worker",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            # workers stand in for GPU machines: on this machine they share its cores
            # with the bot process, so they yield to it as other machines would not
            # take its CPU at all
            preexec_fn=lambda: os.nice(WORKER_NICE),
        )
        for _ in range(workers)
    ]
    settings = load_settings(env, dotenv=None)
    try:
        async with open_app(settings) as app:
            assert app.resources.queue is not None
            async with asyncio.timeout(120):  # the workers load their pipelines
                while await app.resources.queue.live_devices() < workers:  # noqa: ASYNC110
                    await asyncio.sleep(0.2)
            await _portraits(app, 2, one_at_a_time=True)  # warm up
            stop = asyncio.Event()
            ticker = asyncio.create_task(worst_lag(stop))
            sequential = await _portraits(app, SEQUENTIAL, one_at_a_time=True)
            burst = await _portraits(app, BURST, one_at_a_time=False)
            stop.set()
            lag = await ticker
            rows = await app.store.database.query(
                "SELECT started_at - enqueued_at FROM image_jobs ORDER BY enqueued_at"
            )
            waits = [float(r[0]) for r in rows][2 : 2 + SEQUENTIAL]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            await asyncio.wait_for(p.wait(), 60)
    return {
        "workers": workers,
        f"jobs/min (burst of {BURST})": f"{BURST / burst * 60:.0f}",
        "s/job one at a time": f"{sequential / SEQUENTIAL:.2f}",
        "enqueue->start p50 ms": f"{percentile(waits, 50) * 1000:.0f}",
        "enqueue->start p99 ms": f"{percentile(waits, 99) * 1000:.0f}",
        "bot loop worst lag ms": f"{lag * 1000:.1f}",
    }


def queue_rows(model: Path, tmp: Path) -> list[dict[str, object]]:
    """One row per worker count (1, 2); [] with a line when PostgreSQL is missing."""
    from tests.pg import PostgresMissing, running_cluster

    try:
        with running_cluster(durable=True) as cluster:
            out = []
            for workers in (1, 2):
                url = cluster.database()
                out.append(run_loop(_measure(url, tmp / f"data{workers}", model, workers)))
            return out
    except PostgresMissing as exc:
        print(f"image queue: skipped ({exc})")
        return []
