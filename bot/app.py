"""The app's lifespan: one async context opens and closes everything the bot uses.

Adapters get an ``App`` and never open resources of their own; nothing lives in module
globals, so tests open as many independent apps as they like, on one database or many.
While it is open the app keeps its process lease (bot/leases.py) in a task it owns:
renewing it, taking over dead processes' jobs for the platforms it serves, and stopping
the jobs someone asked (on any process) to cancel.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from bot import recovery
from bot.context import Resources, _system_seed
from bot.dispatch import Dispatcher
from bot.engines import make_image_backend, make_text_engine
from bot.jobs import Job, JobRunner
from bot.leases import Lease
from bot.recovery import ResponderFor
from bot.registry import Registry
from bot.retention import keep_pruning, prune_once
from bot.settings import Settings
from bot.wakeups import CancelWakeups
from generation.base import TextEngine
from generation.images.base import ImageBackend
from storage.accepted import AcceptedRequest
from storage.api import Store

log = logging.getLogger(__name__)


CANCEL_POLL = 1.0
"""Seconds between two looks for cancel requests where the database cannot wake us."""
FAILED_ROUND_WAIT = (0.5, 5.0)
"""Seconds before a failed lease round is tried again: the first wait, and the most it
grows to while the rounds keep failing (a database gone away is not hammered)."""


Replay = Callable[[AcceptedRequest], Awaitable[None]]
"""An adapter's way to run again a request another process accepted and never handled."""


@dataclass
class App:
    settings: Settings
    resources: Resources
    dispatcher: Dispatcher
    jobs: JobRunner
    lease: Lease
    served: dict[str, list[ResponderFor]] = field(default_factory=dict)
    """The responders of each platform this process answers (``resume``)."""
    replays: dict[str, Replay] = field(default_factory=dict)
    """How each platform runs again a request a dead process had accepted (``resume``)."""
    _taking_over: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def registry(self) -> Registry:
        return self.dispatcher.registry

    @property
    def store(self) -> Store:
        return self.resources.store

    async def resume(
        self, platform: str, responder_for: ResponderFor, replay: Replay | None = None
    ) -> list[Job]:
        """This process answers ``platform`` through ``responder_for``: take over the
        platform's jobs left by dead processes (a restart's own, too) now, and from now on
        every half lease (bot/recovery.py). Adapters call it once they can post.
        ``replay``: how the adapter runs a request a dead process had accepted but not
        handled (bot/accepted.py); those are taken over first, in the same rounds."""
        self.served.setdefault(platform, []).append(responder_for)
        if replay is not None:
            self.replays[platform] = replay
        await self.lease.serve(platform)
        await self.lease.expire_dead_neighbours()
        return await self.take_over(platform)

    async def take_over(self, platform: str) -> list[Job]:
        """One takeover round for ``platform`` (one at a time in this process)."""
        async with self._taking_over:
            replay = self.replays.get(platform)
            if replay is not None:
                now = self.lease.clock()
                for request in await self.store.claim_requests(self.lease.id, platform, now):
                    await replay(request)
            return await recovery.take_over(
                self.dispatcher,
                self.lease.id,
                platform,
                self.served.get(platform, []),
                self.lease.clock(),
            )

    async def keep_lease(self) -> None:
        """Until cancelled: renew the lease every third of it, take over dead processes'
        jobs every half, and stop cancelled jobs as soon as asked (woken by the database
        where it can, else within CANCEL_POLL). A failed round is logged once and tried
        again after a wait that grows while the rounds keep failing (FAILED_ROUND_WAIT)."""
        lease = self.lease
        clock = time.monotonic
        renew_at = clock() + lease.seconds / 3  # acquired just now
        sweep_at = clock() + lease.seconds / 2  # resume() takes over at once
        wakeups = CancelWakeups(self.store.cancel_wakeups)
        failing = 0.0  # the wait after the last failed round; 0 while rounds work
        try:
            while True:
                now = clock()
                try:
                    if now >= renew_at:
                        await lease.renew()
                        renew_at = now + lease.seconds / 3
                    if now >= sweep_at:
                        await lease.expire_dead_neighbours()
                        for platform in list(self.served):
                            await self.take_over(platform)
                        sweep_at = now + lease.seconds / 2
                    await self.jobs.stop_requested()
                except Exception:
                    if not failing:
                        log.exception("lease round failed; trying again")
                    first, most = FAILED_ROUND_WAIT
                    failing = min(most, failing * 2 or first)
                    await asyncio.sleep(failing)
                    continue
                if failing:
                    log.info("lease rounds work again")
                    failing = 0.0
                wait = min(CANCEL_POLL, max(0.0, min(renew_at, sweep_at) - clock()))
                await wakeups.wait(max(wait, 0.05))
        finally:
            await wakeups.aclose()


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
    queue = None
    try:
        if settings.uses_image_queue:  # images go to `python -m bot worker` processes
            from storage.queue.client import ImageQueue

            queue = await ImageQueue.open(store.database, settings.worker_timeout)
        text_engine = engine or make_text_engine(settings)
        image_backend = images or make_image_backend(
            dataclasses.replace(settings, image_backend="offline") if queue else settings
        )
        resources = Resources(
            settings, store, text_engine, seeds or _system_seed, image_backend, queue=queue
        )
        # Image jobs wait in the text pool, as one kind of generating job: the image
        # backend's device queue runs one per device and tells a waiting writer their place.
        lease = Lease(store, settings.job_lease, clock)
        await lease.acquire()
        jobs = JobRunner(
            store, {"text": settings.text_concurrency}, shared={"image": "text"}, owner=lease.id
        )
        resources.jobs = jobs
        pending = await jobs.pending()
        if pending:
            log.warning(
                "%d job(s) left by processes that are gone: queued ones will run, "
                "interrupted ones are reported in their thread, once an adapter serves them",
                len(pending),
            )
        dispatcher = Dispatcher(build_registry(), resources, jobs, build_hooks())
        app = App(settings, resources, dispatcher, jobs, lease)
        tasks = [asyncio.create_task(app.keep_lease(), name="lease")]
        if settings.retention_days:
            await prune_once(store, settings.retention_days, clock, holder=lease.id)
            tasks.append(
                asyncio.create_task(
                    keep_pruning(store, settings.retention_days, clock, holder=lease.id),
                    name="retention",
                )
            )
        try:
            yield app
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await jobs.shutdown(shutdown_grace)
            with contextlib.suppress(Exception):  # the database may be what went away
                await lease.release()
            closer = getattr(text_engine, "aclose", None)
            if closer is not None:
                await closer()
            await image_backend.aclose()
    finally:
        if queue is not None:
            await queue.close()
        await store.close()
