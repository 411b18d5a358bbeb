"""``python -m bot worker``: an image worker taking jobs from the queue (PostgreSQL only).

A worker loads the configured image backend once per device (WRITERSROOM_IMAGE_BACKEND,
WRITERSROOM_DIFFUSERS_MODEL; WRITERSROOM_WORKER_DEVICES, default the one device it
finds), then takes image jobs from the queue on the database, one at a time per device
(storage/queue/). For each it reports progress (step k of n, with a preview file now
and then) and the result (image files under the shared data directory) in the job's
row, where the bot process that owns the conversation reads them; it never talks to
Slack or Discord. A cancel from the room arrives as an abort and stops the pipeline
within one step; running out of memory fails that job with what to lower, and the
worker keeps serving. Several workers, on several machines, take from one queue.

SIGTERM stops taking jobs, lets the running ones finish for a grace period and puts the
rest back in line. A worker that dies without that (SIGKILL, a machine gone) stops
sending heartbeats; after WRITERSROOM_WORKER_TIMEOUT its job goes back in line once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engines import make_image_backend
from bot.runtime import settle_heap
from bot.settings import Settings
from core.errors import ConfigError
from generation.images.base import ImageBackend, Progress
from generation.images.sheet import save_png
from generation.images.wire import request_from, result_json
from storage import open_store
from storage.queue.client import ImageQueue
from storage.queue.jobs import ImageJob

log = logging.getLogger(__name__)

REPORT_EVERY = 0.2
"""Seconds between two progress writes for one job (the last step is always written)."""
SHUTDOWN_GRACE = 30.0


async def default_devices(settings: Settings) -> tuple[str, ...]:
    """WRITERSROOM_WORKER_DEVICES, else the one device found: the first GPU, else the CPU
    (only diffusers computes on a device; the other backends get one slot)."""
    if settings.worker_devices:
        return settings.worker_devices
    if settings.image_backend != "diffusers":
        return ("cpu",)
    from generation.images.diffusers_backend import DiffusersBackend

    probe = DiffusersBackend(settings.diffusers_model)
    try:
        found = await probe.device()
    finally:
        await probe.aclose()
    return ("cuda:0" if found == "cuda" else found,)


@dataclass
class Worker:
    """The work of one process: a backend per device, and what a job does with it."""

    settings: Settings
    queue: ImageQueue
    backends: dict[str, ImageBackend] = field(default_factory=dict)
    done: int = 0

    async def load(self, devices: tuple[str, ...]) -> None:
        """Each device's backend, loaded now, so the first job does not pay for it."""
        for device in devices:
            backend = make_image_backend(self.settings, device=device)
            await backend.check()
            loader = getattr(backend, "load", None)
            if loader is not None:  # diffusers: the pipeline, on its device
                await loader()
            self.backends[device] = backend

    async def run(self, job: ImageJob, device: str) -> dict[str, Any]:
        """Make the job's images on ``device``; returns the result the room will get."""
        data_dir = self.settings.data_dir
        request = request_from(job.request, data_dir)
        name = str(job.request.get("name") or "image")
        report = _Reports(self.queue, job, data_dir)
        try:
            result = await self.backends[device].generate(request, report.progress)
            files = [
                await asyncio.to_thread(save_png, img, data_dir, job.story_id, f"{name}-{i + 1}")
                for i, img in enumerate(result.images)
            ]
        finally:
            await asyncio.shield(asyncio.to_thread(report.discard))
        self.done += 1
        log.info("image job %s done on %s in %.1f s", job.job_id, device, result.seconds)
        return result_json(result, files)

    async def aclose(self) -> None:
        for backend in self.backends.values():
            await backend.aclose()


@dataclass
class _Reports:
    """A job's progress into its row, at most every REPORT_EVERY seconds; previews as
    files under the story's image folder, only the newest kept."""

    queue: ImageQueue
    job: ImageJob
    data_dir: Path
    last: float = 0.0
    previews: list[Path] = field(default_factory=list)

    async def progress(self, p: Progress) -> None:
        now = time.monotonic()
        if p.preview is None and p.step < p.total and now - self.last < REPORT_EVERY:
            return
        self.last = now
        preview = None
        if p.preview is not None:
            preview = await asyncio.to_thread(
                save_png, p.preview, self.data_dir, self.job.story_id, "preview"
            )
            await asyncio.to_thread(self.discard)
            self.previews.append(self.data_dir / preview)
        await self.queue.report(self.job.job_id, p.step, p.total, p.eta, preview)

    def discard(self) -> None:
        for file in self.previews:
            file.unlink(missing_ok=True)
        self.previews.clear()


async def run_worker(settings: Settings) -> int:
    """Serve image jobs until cancelled (SIGTERM); returns the exit status."""
    if settings.database_url is None:
        raise ConfigError(
            "python -m bot worker needs PostgreSQL: set WRITERSROOM_DB to a postgresql:// "
            "URL (the queue lives there). On SQLite images are made in the bot process."
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    devices = await default_devices(settings)
    store = await open_store(settings.database)
    try:
        queue = await ImageQueue.open(store.database, settings.worker_timeout)
        worker = Worker(settings, queue)
        try:
            await worker.load(devices)
            settle_heap()
            log.info("image worker ready: %s on %s", settings.image_backend, ", ".join(devices))
            await queue.run_workers(devices, worker.run, grace=SHUTDOWN_GRACE)
        finally:
            with contextlib.suppress(Exception):
                await worker.aclose()
            await queue.close()
    finally:
        await store.close()
    return 0
