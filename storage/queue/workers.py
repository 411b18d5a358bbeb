"""Workers: procrastinate workers running an image handler, one per device.

Each device gets a procrastinate ``Worker`` of its own (concurrency 1, its own heartbeat
row), so "one job per device" is the queue's own rule and a dead device's job is found
by its worker's missing heartbeat. A job's work is the caller's ``Handler``; around it
the row moves: running when it starts, done with the result, failed with the message of
a ``WritersroomError`` (out of memory, a bad model folder: the worker goes on), cancelled
when the room aborts it. A graceful stop that cuts a job off puts it back in line
(procrastinate retries it through ``_AgainAfterStop``), not counted as a death.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from procrastinate import JobContext
from procrastinate.job_context import AbortReason
from procrastinate.jobs import Job as QueuedJob
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from procrastinate.worker import Worker

from core.errors import WritersroomError
from storage.queue.jobs import QUEUE, TASK, ImageJob

if TYPE_CHECKING:
    from storage.queue.client import ImageQueue

log = logging.getLogger(__name__)

FETCH_POLL = 1.0
"""Seconds between two looks for a job when no notification came. A new job's NOTIFY
wakes an idle worker at once, but procrastinate clears its wake-up flag after a fetch
that found nothing, so a job inserted in that instant waits for the next look (5 s by
default: seen as an enqueue-to-start p99 of 5 s in ``python -m bench images``)."""

Handler = Callable[[ImageJob, str], Awaitable[dict[str, Any]]]
"""The worker's work: (job, device) -> the result (JSON-able). A ``WritersroomError``
fails the job with its message; cancelling it is how an abort arrives."""


class WorkerStopped(Exception):
    """A job cut off by its worker's graceful stop: it goes back in line at once."""


class _AgainAfterStop(BaseRetryStrategy):
    """Retry only what a worker's shutdown cut off (never an error, never a cancel)."""

    def get_retry_decision(
        self, *, exception: BaseException, job: QueuedJob
    ) -> RetryDecision | None:
        return RetryDecision() if isinstance(exception, WorkerStopped) else None


async def run_workers(
    queue: ImageQueue, devices: Sequence[str], handler: Handler, *, grace: float = 30.0
) -> None:
    """Take image jobs, one at a time per device, until cancelled; then let running jobs
    finish for ``grace`` seconds and put the rest back in line. Every heartbeat it also
    puts dead workers' jobs back in line (``ImageQueue.requeue_stalled``)."""

    async def image_task(context: JobContext, job: str) -> None:
        device = str(context.additional_context["device"])
        await _run_one(queue, job, device, handler, context)

    queue.app.task(name=TASK, queue=QUEUE, pass_context=True, retry=_AgainAfterStop())(image_task)
    beat = max(0.2, queue.worker_timeout / 3)
    workers = [
        Worker(
            queue.app,
            queues=[QUEUE],
            name=f"{queue.name} {device}",
            concurrency=1,
            install_signal_handlers=False,
            update_heartbeat_interval=beat,
            stalled_worker_timeout=queue.worker_timeout,
            shutdown_graceful_timeout=grace,
            delete_jobs="successful",
            additional_context={"device": device},
            abort_job_polling_interval=max(1.0, beat),
            fetch_job_polling_interval=FETCH_POLL,
        )
        for device in devices
    ]
    tasks = [
        asyncio.create_task(w.run(), name=f"worker {w.worker_name}")  # type: ignore[no-untyped-call]
        for w in workers
    ]
    tasks.append(asyncio.create_task(_sweep(queue, beat), name="requeue stalled"))
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()  # a worker that failed fails the process
        raise RuntimeError("an image worker stopped by itself; see the log above")
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _sweep(queue: ImageQueue, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await queue.requeue_stalled()
        except Exception:
            log.exception("could not look for stalled image jobs; trying again")


async def _run_one(
    queue: ImageQueue, job_id: str, device: str, handler: Handler, context: JobContext
) -> None:
    job = await queue.begin(job_id, f"{queue.name} {device}")
    if job is None:
        return  # cancelled or forgotten while it waited
    try:
        result = await handler(job, device)
    except asyncio.CancelledError:
        if context.abort_reason() is AbortReason.SHUTDOWN:
            await asyncio.shield(queue.back_in_line(job_id))
            raise WorkerStopped(job_id) from None
        await asyncio.shield(queue.finish(job_id, "cancelled"))
        raise
    except WritersroomError as exc:
        message = getattr(exc, "message", str(exc))
        await queue.finish(job_id, "failed", error=message)
        return
    except Exception:
        log.exception("image job %s failed on %s", job_id, device)
        await queue.finish(
            job_id, "failed", error="The image worker failed on this image; see its log."
        )
        raise
    await queue.finish(job_id, "done", result=result)
