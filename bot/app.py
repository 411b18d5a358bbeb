"""The app's lifespan: one async context opens and closes everything the bot uses.

Adapters get an ``App`` and never open resources of their own; nothing lives in module
globals, so tests open as many independent apps as they like.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from bot.context import Resources, _system_seed
from bot.dispatch import Dispatcher
from bot.jobs import JobRunner
from bot.registry import Registry
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


@contextlib.asynccontextmanager
async def open_app(
    settings: Settings,
    *,
    engine: TextEngine | None = None,
    seeds: Callable[[], int] | None = None,
    images: ImageBackend | None = None,
) -> AsyncIterator[App]:
    """Open the database and engines, recover interrupted jobs; close all on exit."""
    from commands import build_hooks, build_registry
    from generation.factory import make_text_engine
    from generation.images.factory import make_image_backend
    from storage import open_store

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await open_store(settings.db_path)
    try:
        text_engine = engine or make_text_engine(settings)
        image_backend = images or make_image_backend(settings)
        resources = Resources(settings, store, text_engine, seeds or _system_seed, image_backend)
        jobs = JobRunner(store, {"text": settings.text_concurrency, "image": 1})
        interrupted = await jobs.recover()
        if interrupted:
            log.warning("%d job(s) were interrupted by the last shutdown", len(interrupted))
        dispatcher = Dispatcher(build_registry(), resources, jobs, build_hooks())
        app = App(settings, resources, dispatcher, jobs)
        try:
            yield app
        finally:
            await jobs.shutdown()
            closer = getattr(text_engine, "aclose", None)
            if closer is not None:
                await closer()
            await image_backend.aclose()
    finally:
        await store.close()
