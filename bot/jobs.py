"""The job queue: every command runs as a job, with per-kind concurrency.

"quick" jobs (bible reads and edits) run at once; "text" jobs share a pool sized by
WRITERSROOM_TEXT_CONCURRENCY; "image" jobs run one per device. Jobs are persisted, so a
restart can tell which ones were interrupted, and can be cancelled by id. The runner owns
its tasks and waits for them on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from storage.api import Store
from storage.models import JobRecord

log = logging.getLogger(__name__)


@dataclass
class Job:
    record: JobRecord
    task: asyncio.Task[None] | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def id(self) -> str:
        return self.record.id

    async def wait(self) -> None:
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self.task)


class JobRunner:
    def __init__(self, store: Store, limits: dict[str, int]) -> None:
        self._store = store
        self._limits = dict(limits)
        self._slots = {kind: asyncio.Semaphore(n) for kind, n in limits.items()}
        self._waiting: dict[str, list[str]] = {kind: [] for kind in limits}
        self._jobs: dict[str, Job] = {}

    async def recover(self) -> list[JobRecord]:
        """Mark jobs left queued or running by a previous process as interrupted."""
        stale = await self._store.jobs(["queued", "running"])
        for rec in stale:
            await self._store.set_job_state(rec.id, "interrupted")
        return stale

    def position(self, job_id: str) -> int | None:
        """1-based place in its kind's waiting line, or None if it is not waiting."""
        for waiting in self._waiting.values():
            if job_id in waiting:
                return waiting.index(job_id) + 1
        return None

    def running(self) -> list[Job]:
        return list(self._jobs.values())

    async def submit(
        self, record: JobRecord, work: Callable[[], Awaitable[None]]
    ) -> Job:
        """Persist the job and start it; returns at once (the caller has acknowledged)."""
        await self._store.save_job(record)
        job = Job(record)
        kind = record.kind if record.kind in self._slots else "quick"
        job.task = asyncio.create_task(self._run(job, kind, work), name=f"job-{record.id}")
        self._jobs[record.id] = job
        return job

    async def _run(self, job: Job, kind: str, work: Callable[[], Awaitable[None]]) -> None:
        state = "done"
        slot = self._slots.get(kind)
        waiting = self._waiting.setdefault(kind, [])
        waiting.append(job.id)
        t0 = time.perf_counter()
        try:
            if slot is not None:
                await slot.acquire()
            waiting.remove(job.id)
            try:
                job.started.set()
                await self._store.set_job_state(job.id, "running")
                await work()
            finally:
                if slot is not None:
                    slot.release()
        except asyncio.CancelledError:
            state = "cancelled"
            if job.id in waiting:
                waiting.remove(job.id)
        except Exception:  # work() handles its own errors; this is a last resort
            state = "failed"
            log.exception("job %s crashed", job.id)
        finally:
            self._jobs.pop(job.id, None)
            with contextlib.suppress(Exception):
                await asyncio.shield(self._store.set_job_state(job.id, state))  # type: ignore[arg-type]
            log.info("job %s %s %s in %.0f ms", job.id, job.record.command, state,
                     (time.perf_counter() - t0) * 1000)

    async def cancel(self, job_id: str) -> bool:
        job = self._jobs.get(job_id)
        if job is None or job.task is None:
            return False
        job.task.cancel()
        await job.wait()
        return True

    async def shutdown(self, grace: float = 10.0) -> None:
        """Let running jobs finish for ``grace`` seconds, then cancel what is left."""
        tasks = [j.task for j in self._jobs.values() if j.task is not None]
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)


def new_job_id() -> str:
    return uuid.uuid4().hex[:12]
