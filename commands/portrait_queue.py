"""/portrait on GPU workers: the request goes through the image queue, the room hears back.

With the queue on (PostgreSQL; bot/settings.py ``uses_image_queue``) the bot process never
loads a pipeline: it posts the waiting message, puts the request in line
(storage/queue/) and follows the job's row as a worker (bot/worker.py) takes it: its
place in line ("3rd in line, about 40 s") while it waits, step k of n and previews while
it runs, then the images, which this process saves and posts as ever
(commands/portrait.py). Everything a follower needs is in the row, under this job's id:
after a restart, the process that takes the job over runs the command again and
``generate`` finds the row and follows it on, editing the same waiting message.

Cancelling the job (Cancel, from any process) takes it out of line or aborts it on its
worker, which stops within one step. A shutdown does not: the worker goes on, and the
takeover posts the image. With no worker alive the writer is told so at once, and a job
left in line with no worker for GIVE_UP seconds is dropped.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Any

from bot.context import Context
from commands.portrait_progress import Reporter, duration
from core.errors import CommandError, GenerationError
from core.types import Action, MessageHandle, Reply
from generation.images.base import ImageRequest, ImageResult, Progress
from generation.images.wire import request_from, request_json, result_from
from storage.queue.jobs import MAX_LOST, ImageJob, Line

if TYPE_CHECKING:
    from storage.queue.client import ImageQueue

log = logging.getLogger(__name__)

NO_WORKER = "No image worker is running; ask the admin to start `python -m bot worker`."
GIVE_UP = 600.0
"""Seconds a job waits in line with no worker alive before it is dropped."""
CANCEL_WAIT = 5.0
"""Seconds a cancel waits for the worker to say it has stopped."""


class LostTwice(GenerationError):
    """The job's worker died under it twice: the thread says so, with Retry."""


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def line_text(line: Line) -> str:
    """ "3rd in line, about 40 s": the place, and the time until the image is there."""
    place = f"{ordinal(line.ahead + 1)} in line"
    if line.seconds is None or line.devices == 0:
        return f"_{place}._"
    rounds = (line.ahead + line.running) // line.devices + 1
    return f"_{place}, about {duration(rounds * line.seconds)}._"


def _handle_json(handle: MessageHandle) -> dict[str, Any]:
    return {"id": handle.id, "thread": handle.thread, "extra": dict(handle.extra)}


def _queue(ctx: Context) -> ImageQueue:
    queue = ctx.resources.queue
    assert queue is not None and ctx.job_id is not None, "queued images run as jobs"
    return queue


async def generate(
    ctx: Context, story_id: int, request: ImageRequest, title: str, name: str
) -> tuple[MessageHandle, ImageRequest, ImageResult] | None:
    """Make the images on a worker: the waiting message, the request and the result;
    None if this job's image was already posted (a takeover that came late)."""
    queue, job_id = _queue(ctx), str(ctx.job_id)
    data_dir = ctx.settings.data_dir
    cancel = (Action("cancel", "Cancel", job_id),)
    job = await queue.get(job_id)
    if job is None:
        if not await queue.live_devices():
            raise GenerationError(NO_WORKER)
        first = Reply(
            title=title, body="_Waiting for an image worker…_", actions=cancel, partial=True
        )
        handle = await ctx.reply(first)
        reply = {"handle": _handle_json(handle), "title": title}
        job = await queue.submit(
            job_id, story_id, {**request_json(request, data_dir), "name": name}, reply
        )
    else:  # a takeover: follow the job this one put in line
        if job.state == "posted":
            return None
        title = str(job.reply.get("title") or title)
        saved = job.reply["handle"]
        handle = MessageHandle(str(saved["id"]), ctx.place, str(saved["thread"]), saved["extra"])
        request = request_from(job.request, data_dir)
    waiting = Reply(
        title=title, body="_Waiting for an image worker…_", actions=cancel, partial=True
    )
    async with Reporter(ctx, handle, waiting, story_id) as reporter:
        try:
            result = await _follow(ctx, queue, job_id, reporter)
        except asyncio.CancelledError:
            jobs = ctx.resources.jobs
            if jobs is None or not jobs.stopping:  # a shutdown leaves it to the worker
                await asyncio.shield(_stop(queue, job_id))
                await asyncio.shield(
                    ctx.responder.update(handle, Reply.info("Cancelled.", title=title))
                )
            raise
        except LostTwice as exc:
            if ctx.resources.jobs is not None:
                ctx.resources.jobs.retryable(job_id)
            retry = (Action("retry", "Retry", job_id),)
            await ctx.responder.update(
                handle, dataclasses.replace(Reply.error(exc.message), actions=retry)
            )
            return None
        except CommandError as exc:
            await ctx.responder.update(handle, Reply.error(exc.message))
            raise
    return handle, request, result


async def _follow(ctx: Context, queue: ImageQueue, job_id: str, reporter: Reporter) -> ImageResult:
    """Follow the job to its end, telling the room; the images, or an error to read."""
    data_dir = ctx.settings.data_dir
    said: str | None = None
    shown: tuple[int, str | None] = (-1, None)
    alone_since: float | None = None
    async for job in queue.follow(job_id):
        if job.state == "queued":
            line = await queue.line(job)
            if line.devices == 0:
                alone_since = alone_since or time.monotonic()
                if time.monotonic() - alone_since > GIVE_UP:
                    await queue.give_up(job_id, NO_WORKER)
                    raise GenerationError(NO_WORKER + " Your request was taken out of the line.")
                text = NO_WORKER + " Your request waits in line; Cancel takes it out."
            else:
                alone_since = None
                text = line_text(line)
            if text != said:
                said = text
                await reporter.say(text)
        elif job.state == "running":
            if (job.step, job.preview) != shown:
                shown = (job.step, job.preview)
                await _progress(reporter, job, data_dir)
        elif job.state == "done" and job.result is not None:
            return await asyncio.to_thread(result_from, job.result, data_dir)
        elif job.state == "failed":
            error = job.error or "The image worker could not make this image."
            raise LostTwice(error) if job.lost > MAX_LOST else GenerationError(error)
        elif job.state == "cancelled":
            raise asyncio.CancelledError  # stopped from elsewhere (a forget, a cancel)
    raise GenerationError("That image job is gone (was the story forgotten?).")


async def _progress(reporter: Reporter, job: ImageJob, data_dir: Any) -> None:
    if job.total == 0:
        await reporter.say("_An image worker has started on it…_")
        return
    preview = None
    if job.preview:
        preview = await asyncio.to_thread(_open, data_dir / job.preview)
    seconds = time.time() - (job.started_at or time.time())
    await reporter.on_progress(Progress(job.step, job.total, seconds, preview, job.eta))


def _open(path: Any) -> Any:
    """A preview the worker wrote, or None if it has already replaced it."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            return img.convert("RGB")
    except OSError:
        return None


async def _stop(queue: ImageQueue, job_id: str) -> None:
    """Take the job out of line, or abort it on its worker and wait for it to stop."""
    job = await queue.cancel(job_id)
    deadline = time.monotonic() + CANCEL_WAIT
    while job is not None and not job.final and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        job = await queue.get(job_id)
    if job is not None and not job.final:
        log.warning("image job %s: its worker has not stopped within %.0f s", job_id, CANCEL_WAIT)


async def posted(ctx: Context) -> None:
    """The image is in the room: the job is over, and the worker's copies can go."""
    queue, job_id = _queue(ctx), str(ctx.job_id)
    job = await queue.get(job_id)
    await queue.posted(job_id)
    data_dir = ctx.settings.data_dir
    files = [str(f) for f in (job.result or {}).get("files", ())] if job is not None else []

    def remove() -> None:
        for name in files:
            (data_dir / name).unlink(missing_ok=True)

    await asyncio.to_thread(remove)
