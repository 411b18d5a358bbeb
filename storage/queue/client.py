"""``ImageQueue``: the queue's client, for bot processes and workers alike.

Submit a job (our row and procrastinate's job in one transaction), follow it (woken by
NOTIFY), take it out of line or abort it, tell its place in line, put dead workers' jobs
back in line, and write each change of a row and announce it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate.jobs import Job as QueuedJob
from procrastinate.schema import SchemaManager

from core.errors import ConfigError
from storage.postgres_db import PgTx, PostgresDatabase
from storage.queue.jobs import (
    CHANNEL,
    COLUMNS,
    FOLLOW_POLL,
    LOST_TWICE,
    MAX_LOST,
    QUEUE,
    QUEUE_POOL_MAX,
    TASK,
    ImageJob,
    Line,
    image_job,
)
from storage.sql import Database

if TYPE_CHECKING:
    from storage.queue.workers import Handler

log = logging.getLogger(__name__)


def queue_schema() -> str:
    """procrastinate's tables, functions and triggers, as one SQL script."""
    return SchemaManager.get_schema()


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
        rows = await self._db.query(f"SELECT {COLUMNS} FROM image_jobs WHERE job_id = ?", (job_id,))
        return image_job(rows[0]) if rows else None

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
            await self.finish(job_id, "cancelled", states=("queued", "running"))
        return await self.get(job_id)

    async def give_up(self, job_id: str, error: str) -> None:
        """A queued job nobody will run (no worker for too long): out of line, failed."""
        job = await self.get(job_id)
        if job is None or job.queue_id is None:
            return
        await self._db.query(
            "SELECT procrastinate_cancel_job_v1(?, false, false) AS id", (job.queue_id,)
        )
        await self.finish(job_id, "failed", error=error, states=("queued",))

    async def posted(self, job_id: str) -> None:
        """The owning process has posted the image: the job is over for everyone."""
        await self.finish(job_id, "posted", states=("done",))

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
        jobs finish for ``grace`` seconds and put the rest back in line
        (storage/queue/workers.py)."""
        from storage.queue.workers import run_workers

        await run_workers(self, devices, handler, grace=grace)

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

    async def begin(self, job_id: str, worker: str) -> ImageJob | None:
        now = self._db.clock()
        rows = await self._db.execute(
            f"UPDATE image_jobs SET state = 'running', worker = ?, started_at = ?, step = 0, "
            f"updated_at = ? WHERE job_id = ? AND state IN ('queued', 'running') "
            f"RETURNING {COLUMNS}",
            (worker, now, now, job_id),
        )
        if not rows:
            return None
        await self._announce(job_id, "state")
        return image_job(rows[0])

    async def back_in_line(self, job_id: str) -> None:
        await self._db.execute(
            "UPDATE image_jobs SET state = 'queued', step = 0, total = 0, eta = NULL, "
            "worker = '', updated_at = ? WHERE job_id = ? AND state = 'running'",
            (self._db.clock(), job_id),
        )
        await self._announce(job_id, "state")

    async def finish(
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
