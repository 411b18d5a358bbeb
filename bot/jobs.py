"""The job queue: every command runs as a job, with per-kind concurrency.

"quick" jobs (bible reads and edits) run at once; "text" jobs share a pool sized by
WRITERSROOM_TEXT_CONCURRENCY; a kind may share another kind's pool (the app puts "image"
jobs in the text pool: the image backend's device queue runs them one per device and tells
a waiting writer their place in line). Jobs are persisted, so a
restart can tell which ones were interrupted, and can be cancelled by id. The runner owns
its tasks and waits for them on shutdown.

Lifecycle of a job record: queued -> running -> done | failed | cancelled. Every record
names its ``owner``, this process (bot/leases.py). A process that dies leaves "queued" or
"running" rows owned by a lease that runs out; a graceful ``shutdown`` lets running jobs
finish for a grace period, then parks the rest ("interrupted", error ``UNREPORTED``, or
"queued" for those that never started). Either way a survivor, or the next start, takes
them over once (bot/recovery.py): queued ones run, interrupted ones are reported in their
thread with a Retry button.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot import lane
from bot.lane import StartLane
from core.models import JobRecord, JobState, StoryKey
from storage.api import Store

log = logging.getLogger(__name__)

UNREPORTED = "interrupted by a restart; not reported yet"
"""``error`` of an interrupted job whose thread has not been told yet."""
REPORTED = "interrupted by a restart; reported"


@dataclass
class Job:
    record: JobRecord
    task: asyncio.Task[None] | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)
    state: JobState = "queued"
    """How it ended (or "running" while it runs), as its record says."""

    @property
    def id(self) -> str:
        return self.record.id

    async def wait(self) -> None:
        """Until the job ends, however it ends. Cancelling the waiter (a SIGTERM) still
        cancels the waiter; only the job's own cancellation is swallowed."""
        if self.task is None:
            return
        try:
            await asyncio.shield(self.task)
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise


class JobRunner:
    def __init__(
        self,
        store: Store,
        limits: Mapping[str, int],
        shared: Mapping[str, str] | None = None,
        owner: str | None = None,
    ) -> None:
        """``limits``: how many jobs of each kind run at once (kinds not named: no limit);
        ``shared``: kinds that run in another kind's pool ({"image": "text"}); ``owner``:
        the process id stamped on the jobs it runs."""
        self._store = store
        self.owner = owner
        self._slots = {kind: asyncio.Semaphore(n) for kind, n in limits.items()}
        self._waiting: dict[str, list[str]] = {kind: [] for kind in limits}
        for kind, pool in (shared or {}).items():
            self._slots[kind], self._waiting[kind] = self._slots[pool], self._waiting[pool]
        self._jobs: dict[str, Job] = {}
        self._stopping = False
        self._retryable: set[str] = set()
        self.lane = StartLane()
        """Requests through their first steps a few at a time (bot/lane.py); a job
        queued inside a request's work holds that request's pass until it ends."""

    @property
    def stopping(self) -> bool:
        """Shutting down: jobs cancelled now are parked, not stopped for good."""
        return self._stopping

    async def after_the_queue(self, sooner: asyncio.Future[None] | None = None) -> None:
        await self.lane.after_the_queue(sooner=sooner)

    def retryable(self, job_id: str) -> None:
        """The job ends "interrupted" (already reported in its thread, with Retry)."""
        self._retryable.add(job_id)

    async def pending(self) -> list[JobRecord]:
        """Jobs left for a takeover: queued, running or interrupted-and-unreported ones
        whose owner holds no live lease (and that this runner does not run), oldest first.
        Read only; ``bot.recovery.take_over`` claims them."""
        now = time.time()
        live = {p.id for p in await self._store.processes() if p.lease_until >= now}
        found = await self._store.jobs(["queued", "running", "interrupted"])
        return [
            r
            for r in found
            if r.id not in self._jobs
            and r.owner not in live
            and (r.state != "interrupted" or r.error == UNREPORTED)
        ]

    def position(self, job_id: str) -> int | None:
        """1-based place in its pool's waiting line, or None if it is not waiting."""
        for waiting in self._waiting.values():
            if job_id in waiting:
                return waiting.index(job_id) + 1
        return None

    def running(self) -> list[Job]:
        return list(self._jobs.values())

    async def submit(self, record: JobRecord, work: Callable[[], Awaitable[None]]) -> Job:
        """Persist the job and start it; returns at once (the caller has acknowledged).

        A job with a free slot is saved as running straight away (one write, not two: the
        database is shared by every channel, so each write saved is latency saved). A job
        that arrives while the runner shuts down is only saved as queued: it runs after the
        restart (bot/recovery.py), instead of starting on an engine about to close.
        """
        if self.owner is not None and record.owner != self.owner:
            record = dataclasses.replace(record, owner=self.owner)
        kind = record.kind if record.kind in self._slots else "quick"
        slot = self._slots.get(kind)
        has_slot = (
            not self._stopping
            and slot is not None
            and not slot.locked()
            and not self._waiting.get(kind)
        )
        if has_slot:
            assert slot is not None
            await slot.acquire()  # free, so this does not wait
            record = dataclasses.replace(record, state="running")
        try:
            await self._store.save_job(record)
        except BaseException:
            if has_slot and slot is not None:
                slot.release()
            raise
        if self._stopping:  # shutting down (before or during the save): keep it for later
            if has_slot and slot is not None:
                slot.release()
                await self._store.set_job_state(record.id, "queued")
            log.info("job %s %s queued for after the restart", record.id, record.command)
            return Job(dataclasses.replace(record, state="queued"))
        job = Job(record)
        job.task = asyncio.create_task(
            self._run(job, kind, work, has_slot), name=f"job-{record.id}"
        )
        if (ticket := lane.current()) is not None:
            ticket.hold()
            job.task.add_done_callback(lambda _: ticket.drop())
        if has_slot and slot is not None:
            held = slot

            def release_if_never_started(_: asyncio.Task[None]) -> None:
                if not job.started.is_set():  # cancelled before its first step
                    held.release()

            job.task.add_done_callback(release_if_never_started)
        self._jobs[record.id] = job
        return job

    async def _run(
        self, job: Job, kind: str, work: Callable[[], Awaitable[None]], has_slot: bool = False
    ) -> None:
        state: JobState = "done"
        slot = self._slots.get(kind)
        waiting = self._waiting.setdefault(kind, [])
        if not has_slot:
            waiting.append(job.id)
        t0 = time.perf_counter()
        try:
            if slot is not None and not has_slot:
                await slot.acquire()
            if job.id in waiting:
                waiting.remove(job.id)
            try:
                job.started.set()
                job.state = "running"
                if not has_slot:
                    await self._store.set_job_state(job.id, "running")
                await work()
            finally:
                if slot is not None:
                    slot.release()
        except asyncio.CancelledError:
            state = "cancelled"
            if self._stopping:  # parked by shutdown: run or report it after the restart
                state = "interrupted" if job.started.is_set() else "queued"
            if job.id in waiting:
                waiting.remove(job.id)
        except Exception:  # work() handles its own errors; this is a last resort
            state = "failed"
            log.exception("job %s crashed", job.id)
        finally:
            self._jobs.pop(job.id, None)
            error = UNREPORTED if state == "interrupted" else None
            if job.id in self._retryable and state == "done":
                state, error = "interrupted", REPORTED
            self._retryable.discard(job.id)
            job.state = state
            with contextlib.suppress(Exception):
                await asyncio.shield(self._store.set_job_state(job.id, state, error))
            log.info(
                "job %s %s %s in %.0f ms",
                job.id,
                job.record.command,
                state,
                (time.perf_counter() - t0) * 1000,
            )

    async def stop_channel(self, key: StoryKey, keep: str | None = None) -> int:
        """Cancel the jobs of the channel ``key`` but ``keep``: this runner's at once,
        other processes' by a cancel request their owner acts on."""
        mine = [j.id for j in self.running() if j.id != keep and tuple(j.record.place[:3]) == key]
        for job_id in mine:
            await self.cancel(job_id)
        others = [
            r.id
            for r in await self._store.jobs(["queued", "running"])
            if r.id != keep and r.id not in mine and tuple(r.place[:3]) == key
        ]
        for job_id in others:
            await self._store.request_cancel(job_id)
        return len(mine) + len(others)

    async def stop_requested(self) -> list[str]:
        """Cancel this process's jobs that someone asked (on any process) to stop;
        returns their ids. Jobs it owns but does not run (claimed, not started) are
        marked cancelled."""
        if self.owner is None:
            return []
        asked = await self._store.cancel_requests(self.owner)
        for job_id in asked:
            if not await self.cancel(job_id):
                await self._store.set_job_state(job_id, "cancelled")
        return asked

    async def cancel(self, job_id: str) -> bool:
        job = self._jobs.get(job_id)
        if job is None or job.task is None:
            return False
        job.task.cancel()
        await job.wait()
        return True

    async def shutdown(self, grace: float = 10.0) -> None:
        """Let started jobs finish for ``grace`` seconds, then park what is left.

        Jobs still waiting for a slot are parked at once (they stay "queued" and run after
        the restart); started ones that outlive the grace become "interrupted" and their
        thread gets a Retry button after the restart.
        """
        self._stopping = True
        for job in self._jobs.values():
            if job.task is not None and not job.started.is_set():
                job.task.cancel()
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
