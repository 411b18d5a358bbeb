"""The image queue: image jobs for GPU workers, on the same PostgreSQL, through procrastinate.

Why procrastinate: it is asyncio-native and PostgreSQL-only, so the queue needs no other
server; it runs on psycopg 3 (the driver storage already uses, so it shares our pool);
workers register and send heartbeats, a running job can be aborted by a notification,
and a job is fetched by one worker with ``FOR UPDATE SKIP LOCKED``. This is the only
module that imports it (an import-linter contract says so). Its schema is applied by our
own migrations (storage/postgres_schema.py), under our migration lock.

What procrastinate holds: one queued job per image, whose only argument is our job id
(no prompt text in its tables, so forgetting a channel leaves nothing there). What we
hold, in ``image_jobs`` (one row per bot job): the request, where the room's placeholder
is, the worker's progress (step k of n, a preview file), its result (files under the
shared data directory) or its error, and how often a worker died under it. Every change
of a row is announced on ``CHANNEL`` (LISTEN/NOTIFY), so the bot process that owns the
conversation follows it without polling.

A row's life: queued -> running -> done | failed | cancelled, and done -> posted once the
owning bot process has posted the image. A worker that dies mid-job (no heartbeat for
``worker_timeout`` seconds) has its job put back in line once (``requeue_stalled``, run
by every worker and by bot processes following a job); the second time it is failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import procrastinate
from procrastinate import JobContext
from procrastinate.job_context import AbortReason
from procrastinate.jobs import Job as QueuedJob
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from procrastinate.schema import SchemaManager
from procrastinate.worker import Worker

from core.errors import ConfigError, WritersroomError
from storage.postgres_db import PgTx, PostgresDatabase
from storage.sql import Database, Row

log = logging.getLogger(__name__)

QUEUE = "images"
TASK = "writersroom.image"
CHANNEL = "writersroom_images"
"""NOTIFY channel: ``<job id> state`` when a row changes state, ``<job id> step`` on progress."""
MAX_LOST = 1
"""Times a job goes back in line after its worker died; the next death fails it."""
FOLLOW_POLL = 2.0
"""Seconds between two looks at a followed job when no notification comes (and a sweep
for dead workers)."""
LOST_TWICE = (
    "The image worker stopped twice while making this image (out of memory, or the machine "
    "went away). Press Retry to try again, perhaps smaller or with fewer steps."
)
_COLUMNS = (
    "job_id, queue_id, story_id, state, request, reply, worker, step, total, eta, preview, "
    "result, error, lost, enqueued_at, started_at, finished_at"
)
FINAL = ("done", "failed", "cancelled", "posted")
QUEUE_POOL_MAX = 4


def queue_schema() -> str:
    """procrastinate's tables, functions and triggers, as one SQL script."""
    return SchemaManager.get_schema()


@dataclass(frozen=True, slots=True)
class ImageJob:
    """One image job as the queue sees it (a row of ``image_jobs``)."""

    job_id: str
    story_id: int
    state: str
    request: dict[str, Any]
    """The image request and the file name to save under (JSON-able)."""
    reply: dict[str, Any]
    """Where the room's placeholder is (its handle and title), for the owning process."""
    queue_id: int | None = None
    worker: str = ""
    step: int = 0
    total: int = 0
    eta: float | None = None
    preview: str | None = None
    """The newest preview file, relative to the data directory."""
    result: dict[str, Any] | None = None
    error: str | None = None
    lost: int = 0
    enqueued_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None

    @property
    def final(self) -> bool:
        return self.state in FINAL


@dataclass(frozen=True, slots=True)
class Line:
    """Where a queued job stands: ``ahead`` queued before it, ``running`` on the workers,
    ``devices`` live workers' devices, ``seconds`` a recent job's average (None: no
    history yet)."""

    ahead: int
    running: int
    devices: int
    seconds: float | None


def _image_job(row: Row) -> ImageJob:
    return ImageJob(
        job_id=row["job_id"],
        queue_id=row["queue_id"],
        story_id=int(row["story_id"]),
        state=row["state"],
        request=json.loads(row["request"]),
        reply=json.loads(row["reply"] or "{}"),
        worker=row["worker"],
        step=int(row["step"]),
        total=int(row["total"]),
        eta=row["eta"],
        preview=row["preview"],
        result=json.loads(row["result"]) if row["result"] else None,
        error=row["error"],
        lost=int(row["lost"]),
        enqueued_at=row["enqueued_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


class WorkerStopped(Exception):
    """A job cut off by its worker's graceful stop: it goes back in line at once."""


class _AgainAfterStop(BaseRetryStrategy):
    """Retry only what a worker's shutdown cut off (never an error, never a cancel)."""

    def get_retry_decision(
        self, *, exception: BaseException, job: QueuedJob
    ) -> RetryDecision | None:
        return RetryDecision() if isinstance(exception, WorkerStopped) else None


Handler = Callable[[ImageJob, str], Awaitable[dict[str, Any]]]
"""The worker's work: (job, device) -> the result (JSON-able). A ``WritersroomError``
fails the job with its message; cancelling it is how an abort arrives."""


class ImageQueue:
    """The image queue on one PostgreSQL database (shared with the store's pool)."""

    def __init__(
        self, db: PostgresDatabase, app: procrastinate.App, worker_timeout: float = 30.0
    ) -> None:
        self._db: Database = db
        self.app = app
        self.worker_timeout = worker_timeout
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._listener: asyncio.Task[None] | None = None
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    @classmethod
    async def open(cls, db: Database, worker_timeout: float = 30.0) -> ImageQueue:
        """The queue on ``db``, which must be PostgreSQL (the queue lives there)."""
        if not isinstance(db, PostgresDatabase):
            raise ConfigError(
                "The image queue needs PostgreSQL: set WRITERSROOM_DB to a postgresql:// URL, "
                "or WRITERSROOM_IMAGE_QUEUE=off to make images in the bot process."
            )
        # procrastinate gets a small pool of its own: its listener opens connections with
        # the pool's settings, and ours (autocommit, our row factory) are not what it
        # expects. Submitting still runs on our transaction's connection.
        app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=db.url, min_size=1, max_size=QUEUE_POOL_MAX
            )
        )
        await app.open_async()
        return cls(db, app, worker_timeout)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
        await self.app.close_async()

    # --- the bot process: submit, follow, cancel -----------------------------------

    async def live_devices(self) -> int:
        """Devices of workers whose heartbeat is recent (one procrastinate worker each)."""
        rows = await self._db.query(
            "SELECT count(*) FROM procrastinate_workers "
            "WHERE last_heartbeat >= now() - make_interval(secs => ?)",
            (self.worker_timeout,),
        )
        return int(rows[0][0])

    async def submit(
        self, job_id: str, story_id: int, request: dict[str, Any], reply: dict[str, Any]
    ) -> ImageJob:
        """Put the job in line, once: a second submit of the same id returns the first.
        The row and procrastinate's job are written in one transaction."""
        db = self._db
        now = db.clock()
        async with db.write() as tx:
            rows = await tx.fetchall(
                "INSERT INTO image_jobs (job_id, story_id, request, reply, enqueued_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING "
                "RETURNING job_id",
                (job_id, story_id, json.dumps(request), json.dumps(reply), now, now),
            )
            if rows:
                job = QueuedJob(
                    id=None,
                    queue=QUEUE,
                    lock=None,
                    queueing_lock=None,
                    task_name=TASK,
                    task_kwargs={"job": job_id},
                )
                assert isinstance(tx, PgTx)
                deferred = await self.app.job_manager.defer_job_async(job, connection=tx.conn)
                await tx.fetchall(
                    "UPDATE image_jobs SET queue_id = ? WHERE job_id = ?", (deferred.id, job_id)
                )
        found = await self.get(job_id)
        assert found is not None
        await self._announce(job_id, "state")
        return found

    async def get(self, job_id: str) -> ImageJob | None:
        rows = await self._db.query(
            f"SELECT {_COLUMNS} FROM image_jobs WHERE job_id = ?", (job_id,)
        )
        return _image_job(rows[0]) if rows else None

    async def line(self, job: ImageJob) -> Line:
        rows = await self._db.query(
            """
            SELECT
              (SELECT count(*) FROM procrastinate_jobs j, procrastinate_jobs me
                WHERE me.id = ? AND j.queue_name = ? AND j.status = 'todo'
                  AND (j.priority > me.priority OR (j.priority = me.priority AND j.id < me.id))
              ) AS ahead,
              (SELECT count(*) FROM procrastinate_jobs
                WHERE queue_name = ? AND status = 'doing') AS running,
              (SELECT count(*) FROM procrastinate_workers
                WHERE last_heartbeat >= now() - make_interval(secs => ?)) AS devices,
              (SELECT avg(finished_at - started_at) FROM (
                  SELECT finished_at, started_at FROM image_jobs
                   WHERE state IN ('done', 'posted') AND started_at IS NOT NULL
                   ORDER BY finished_at DESC LIMIT 20) recent) AS seconds
            """,
            (job.queue_id, QUEUE, QUEUE, self.worker_timeout),
        )
        r = rows[0]
        seconds = r["seconds"]
        return Line(
            int(r["ahead"]),
            int(r["running"]),
            int(r["devices"]),
            None if seconds is None else float(seconds),
        )

    async def follow(self, job_id: str) -> AsyncIterator[ImageJob]:
        """The job now, then again each time it (or the line) may have moved, until it
        is final (the last one yielded). Woken by notifications; every FOLLOW_POLL
        seconds without one, it looks anyway and puts dead workers' jobs back in line."""
        event = asyncio.Event()
        self._waiters.setdefault(job_id, set()).add(event)
        self._ensure_listener()
        try:
            while True:
                event.clear()
                job = await self.get(job_id)
                if job is None:
                    return
                yield job
                if job.final:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), FOLLOW_POLL)
                if not event.is_set():
                    await self.requeue_stalled()
        finally:
            waiting = self._waiters.get(job_id)
            if waiting is not None:
                waiting.discard(event)
                if not waiting:
                    del self._waiters[job_id]

    async def cancel(self, job_id: str) -> ImageJob | None:
        """Stop the job: a queued one leaves the line now; a running one is aborted (its
        worker is notified and stops within a step, then marks it cancelled)."""
        job = await self.get(job_id)
        if job is None or job.final or job.queue_id is None:
            return job
        rows = await self._db.query(
            "SELECT procrastinate_cancel_job_v1(?, true, false) AS id", (job.queue_id,)
        )
        status = await self._db.query(
            "SELECT status FROM procrastinate_jobs WHERE id = ?", (job.queue_id,)
        )
        if rows and status and status[0]["status"] in ("cancelled", "aborted"):
            await self._finish(job_id, "cancelled", states=("queued", "running"))
        return await self.get(job_id)

    async def give_up(self, job_id: str, error: str) -> None:
        """A queued job nobody will run (no worker for too long): out of line, failed."""
        job = await self.get(job_id)
        if job is None or job.queue_id is None:
            return
        await self._db.query(
            "SELECT procrastinate_cancel_job_v1(?, false, false) AS id", (job.queue_id,)
        )
        await self._finish(job_id, "failed", error=error, states=("queued",))

    async def posted(self, job_id: str) -> None:
        """The owning process has posted the image: the job is over for everyone."""
        await self._finish(job_id, "posted", states=("done",))

    # --- dead workers ----------------------------------------------------------------

    async def requeue_stalled(self) -> list[str]:
        """Jobs whose worker's heartbeat stopped: back in line once, failed the second
        time. Returns their job ids. Rows are locked while judged, so two sweepers at
        once (any worker, any bot process) move each job once."""
        db = self._db
        moved: list[str] = []
        async with db.write() as tx:
            rows = await tx.fetchall(
                """
                SELECT j.id AS queue_id, j.abort_requested, i.job_id, i.lost
                  FROM procrastinate_jobs j
                  JOIN image_jobs i ON i.queue_id = j.id
                  LEFT JOIN procrastinate_workers w ON w.id = j.worker_id
                 WHERE j.queue_name = ? AND j.status = 'doing'
                   AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => ?))
                 FOR UPDATE OF j SKIP LOCKED
                """,
                (QUEUE, self.worker_timeout),
            )
            now = db.clock()
            for r in rows:
                job_id = r["job_id"]
                if r["abort_requested"]:  # asked to stop, then its worker died: stopped
                    await tx.fetchall(
                        "SELECT procrastinate_finish_job_v1(?, 'aborted', false)",
                        (r["queue_id"],),
                    )
                    await tx.fetchall(
                        "UPDATE image_jobs SET state = 'cancelled', finished_at = ?, "
                        "updated_at = ? WHERE job_id = ?",
                        (now, now, job_id),
                    )
                elif int(r["lost"]) < MAX_LOST:
                    log.warning("image job %s lost its worker; back in line", job_id)
                    await tx.fetchall(
                        "SELECT procrastinate_retry_job_v2(?, now(), NULL, NULL, NULL)",
                        (r["queue_id"],),
                    )
                    await tx.fetchall(
                        "UPDATE image_jobs SET state = 'queued', lost = lost + 1, step = 0, "
                        "total = 0, eta = NULL, worker = '', updated_at = ? WHERE job_id = ?",
                        (now, job_id),
                    )
                else:
                    log.warning("image job %s lost its worker twice; failed", job_id)
                    await tx.fetchall(
                        "SELECT procrastinate_finish_job_v1(?, 'failed', false)", (r["queue_id"],)
                    )
                    await tx.fetchall(
                        "UPDATE image_jobs SET state = 'failed', lost = lost + 1, error = ?, "
                        "finished_at = ?, updated_at = ? WHERE job_id = ?",
                        (LOST_TWICE, now, now, job_id),
                    )
                moved.append(job_id)
        for job_id in moved:
            await self._announce(job_id, "state")
        return moved

    # --- the worker process --------------------------------------------------------

    async def run_workers(
        self, devices: Sequence[str], handler: Handler, *, grace: float = 30.0
    ) -> None:
        """Take image jobs, one at a time per device, until cancelled; then let running
        jobs finish for ``grace`` seconds and put the rest back in line."""

        async def image_task(context: JobContext, job: str) -> None:
            device = str(context.additional_context["device"])
            await self._run_one(job, device, handler, context)

        self.app.task(name=TASK, queue=QUEUE, pass_context=True, retry=_AgainAfterStop())(
            image_task
        )
        beat = max(0.2, self.worker_timeout / 3)
        workers = [
            Worker(
                self.app,
                queues=[QUEUE],
                name=f"{self.name} {device}",
                concurrency=1,
                install_signal_handlers=False,
                update_heartbeat_interval=beat,
                stalled_worker_timeout=self.worker_timeout,
                shutdown_graceful_timeout=grace,
                delete_jobs="successful",
                additional_context={"device": device},
                abort_job_polling_interval=max(1.0, beat),
            )
            for device in devices
        ]
        tasks = [
            asyncio.create_task(w.run(), name=f"worker {w.worker_name}")  # type: ignore[no-untyped-call]
            for w in workers
        ]
        tasks.append(asyncio.create_task(self._sweep(beat), name="requeue stalled"))
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()  # a worker that failed fails the process
            raise RuntimeError("an image worker stopped by itself; see the log above")
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _sweep(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.requeue_stalled()
            except Exception:
                log.exception("could not look for stalled image jobs; trying again")

    async def _run_one(
        self, job_id: str, device: str, handler: Handler, context: JobContext
    ) -> None:
        job = await self._begin(job_id, f"{self.name} {device}")
        if job is None:
            return  # cancelled or forgotten while it waited
        try:
            result = await handler(job, device)
        except asyncio.CancelledError:
            if context.abort_reason() is AbortReason.SHUTDOWN:
                await asyncio.shield(self._back_in_line(job_id))
                raise WorkerStopped(job_id) from None
            await asyncio.shield(self._finish(job_id, "cancelled"))
            raise
        except WritersroomError as exc:
            message = getattr(exc, "message", str(exc))
            await self._finish(job_id, "failed", error=message)
            return
        except Exception:
            log.exception("image job %s failed on %s", job_id, device)
            await self._finish(
                job_id, "failed", error="The image worker failed on this image; see its log."
            )
            raise
        await self._finish(job_id, "done", result=result)

    async def report(
        self, job_id: str, step: int, total: int, eta: float | None, preview: str | None
    ) -> None:
        """Progress of a running job (a preview file where there is a new one)."""
        await self._db.execute(
            "UPDATE image_jobs SET step = ?, total = ?, eta = ?, "
            "preview = coalesce(?, preview), updated_at = ? "
            "WHERE job_id = ? AND state = 'running'",
            (step, total, eta, preview, self._db.clock(), job_id),
        )
        await self._announce(job_id, "step")

    async def _begin(self, job_id: str, worker: str) -> ImageJob | None:
        now = self._db.clock()
        rows = await self._db.execute(
            f"UPDATE image_jobs SET state = 'running', worker = ?, started_at = ?, step = 0, "
            f"updated_at = ? WHERE job_id = ? AND state IN ('queued', 'running') "
            f"RETURNING {_COLUMNS}",
            (worker, now, now, job_id),
        )
        if not rows:
            return None
        await self._announce(job_id, "state")
        return _image_job(rows[0])

    async def _back_in_line(self, job_id: str) -> None:
        await self._db.execute(
            "UPDATE image_jobs SET state = 'queued', step = 0, total = 0, eta = NULL, "
            "worker = '', updated_at = ? WHERE job_id = ? AND state = 'running'",
            (self._db.clock(), job_id),
        )
        await self._announce(job_id, "state")

    async def _finish(
        self,
        job_id: str,
        state: str,
        *,
        result: dict[str, Any] | None = None,
        error: str | None = None,
        states: Sequence[str] = ("running",),
    ) -> None:
        now = self._db.clock()
        marks = ", ".join("?" for _ in states)
        await self._db.execute(
            f"UPDATE image_jobs SET state = ?, result = coalesce(?, result), error = ?, "
            f"finished_at = coalesce(finished_at, ?), updated_at = ? "
            f"WHERE job_id = ? AND state IN ({marks})",
            (
                state,
                json.dumps(result) if result is not None else None,
                error,
                now,
                now,
                job_id,
                *states,
            ),
        )
        await self._announce(job_id, "state")

    # --- notifications ---------------------------------------------------------------

    async def _announce(self, job_id: str, what: str) -> None:
        await self._db.notify(CHANNEL, f"{job_id} {what}")

    def _ensure_listener(self) -> None:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen(), name="image queue listener")

    async def _listen(self) -> None:
        """Wake followers: a job's own, on every change of it; all, when any job changes
        state (the line moved)."""
        while True:
            notes = self._db.listen(CHANNEL)
            assert notes is not None
            try:
                async for payload in notes:
                    job_id, _, what = payload.partition(" ")
                    targets = (
                        [e for events in self._waiters.values() for e in events]
                        if what == "state"
                        else list(self._waiters.get(job_id, ()))
                    )
                    for event in targets:
                        event.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("image queue listener lost its connection; listening again")
                await asyncio.sleep(1.0)
            finally:
                await notes.aclose()
