"""The app's lifespan: one async context opens and closes everything the bot uses.

Adapters get an ``App`` and never open resources of their own; nothing lives in module
globals, so tests open as many independent apps as they like.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from bot import recovery
from bot.context import Resources, _system_seed
from bot.dispatch import Dispatcher
from bot.engines import make_image_backend, make_text_engine
from bot.jobs import Job, JobRunner
from bot.recovery import ResponderFor
from bot.registry import Registry
from bot.retention import keep_pruning, prune_once
from bot.settings import Settings
from generation.base import TextEngine
from generation.images.base import ImageBackend
from storage.api import Store

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    resources: Resources
    dispatcher: Dispatcher
    jobs: JobRunner

    @property
    def registry(self) -> Registry:
        return self.dispatcher.registry

    @property
    def store(self) -> Store:
        return self.resources.store

    async def resume(self, platform: str, responder_for: ResponderFor) -> list[Job]:
        """After a restart: run ``platform``'s queued jobs, report its interrupted ones
        (bot/recovery.py). Adapters call it once they can post."""
        return await recovery.resume(self.dispatcher, platform, responder_for)


@contextlib.asynccontextmanager
async def open_app(
    settings: Settings,
    *,
    engine: TextEngine | None = None,
    seeds: Callable[[], int] | None = None,
    images: ImageBackend | None = None,
    shutdown_grace: float = 10.0,
    clock: Callable[[], float] = time.time,
) -> AsyncIterator[App]:
    """Open the database and engines, recover interrupted jobs; close all on exit.

    On exit, running jobs get ``shutdown_grace`` seconds to finish; the rest are parked
    (bot/jobs.py) and dealt with after the next start. With WRITERSROOM_RETENTION_DAYS,
    old conversations are pruned now and every hour after (bot/retention.py); ``clock``
    is the store's and retention's time."""
    from commands import build_hooks, build_registry
    from storage import open_store

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await open_store(settings.database, clock=clock)
    try:
        text_engine = engine or make_text_engine(settings)
        image_backend = images or make_image_backend(settings)
        resources = Resources(settings, store, text_engine, seeds or _system_seed, image_backend)
        # Image jobs wait in the text pool, as one kind of generating job: the image
        # backend's device queue runs one per device and tells a waiting writer their place.
        jobs = JobRunner(store, {"text": settings.text_concurrency}, shared={"image": "text"})
        resources.jobs = jobs
        pending = await jobs.recover()
        if pending:
            log.warning(
                "%d job(s) left by the last run: queued ones will run, interrupted "
                "ones are reported in their thread",
                len(pending),
            )
        dispatcher = Dispatcher(build_registry(), resources, jobs, build_hooks())
        app = App(settings, resources, dispatcher, jobs)
        retention = None
        if settings.retention_days:
            await prune_once(store, settings.retention_days, clock)
            retention = asyncio.create_task(
                keep_pruning(store, settings.retention_days, clock), name="retention"
            )
        try:
            yield app
        finally:
            if retention is not None:
                retention.cancel()
                await asyncio.gather(retention, return_exceptions=True)
            await jobs.shutdown(shutdown_grace)
            closer = getattr(text_engine, "aclose", None)
            if closer is not None:
                await closer()
            await image_backend.aclose()
    finally:
        await store.close()
