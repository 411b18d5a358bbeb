"""The image queue in one process, on the real PostgreSQL: dead workers' jobs, failures
that leave the worker serving, and the line's place and time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from commands.portrait_queue import line_text, ordinal
from core.errors import GenerationError
from storage import open_store
from storage.queue.client import ImageQueue
from storage.queue.jobs import LOST_TWICE, ImageJob, Line
from storage.store import SQLStore

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def store(pg_url: str) -> AsyncIterator[SQLStore]:
    opened = await open_store(pg_url)
    yield opened
    await opened.close()


@pytest.fixture
async def queue(store: SQLStore) -> AsyncIterator[ImageQueue]:
    opened = await ImageQueue.open(store.database, worker_timeout=1.0)
    yield opened
    await opened.close()


async def _story(store: SQLStore) -> int:
    from core.types import Author

    return (await store.ensure_story(("terminal", "local", "q"), Author("w", "W"))).id


async def _stall(queue: ImageQueue, job: ImageJob) -> None:
    """A worker takes the job, then its heartbeat stops (as after a SIGKILL)."""
    manager = queue.app.job_manager
    worker_id = await manager.register_worker()
    fetched = await manager.fetch_job(queues=["images"], worker_id=worker_id)
    assert fetched is not None and fetched.id == job.queue_id
    db = queue._db
    await db.execute(
        "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' WHERE id = ?",
        (worker_id,),
    )
    await db.execute("UPDATE image_jobs SET state = 'running' WHERE job_id = ?", (job.job_id,))


async def test_a_job_whose_worker_dies_twice_is_failed_with_a_message(
    store: SQLStore, queue: ImageQueue
) -> None:
    job = await queue.submit("j1", await _story(store), {"prompts": ["a"], "seed": 1}, {})
    await _stall(queue, job)
    assert await queue.requeue_stalled() == ["j1"]
    again = await queue.get("j1")
    assert again is not None and (again.state, again.lost) == ("queued", 1)
    assert await queue.requeue_stalled() == []  # nothing stalled now: moved once
    await _stall(queue, again)
    assert await queue.requeue_stalled() == ["j1"]
    failed = await queue.get("j1")
    assert failed is not None and (failed.state, failed.lost, failed.error) == (
        "failed",
        2,
        LOST_TWICE,
    )


async def test_two_sweepers_at_once_move_a_stalled_job_once(
    store: SQLStore, queue: ImageQueue
) -> None:
    job = await queue.submit("j1", await _story(store), {"prompts": ["a"], "seed": 1}, {})
    await _stall(queue, job)
    moved = await asyncio.gather(queue.requeue_stalled(), queue.requeue_stalled())
    assert sorted(moved) == [[], ["j1"]]
    assert (await queue.get("j1")).lost == 1  # type: ignore[union-attr]


async def test_a_failing_job_is_reported_and_the_worker_takes_the_next(
    store: SQLStore, queue: ImageQueue
) -> None:
    story = await _story(store)
    ran: list[str] = []

    async def handler(job: ImageJob, device: str) -> dict[str, Any]:
        ran.append(job.job_id)
        if job.job_id == "oom":
            raise GenerationError("The image device ran out of memory: lower the size.")
        return {"files": [], "device": device}

    serving = asyncio.create_task(queue.run_workers(["cpu"], handler, grace=1.0))
    try:
        await queue.submit("oom", story, {"prompts": ["a"], "seed": 1}, {})
        await queue.submit("ok", story, {"prompts": ["a"], "seed": 1}, {})
        async with asyncio.timeout(20):
            while (await queue.get("ok")).state != "done":  # type: ignore[union-attr]  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)
    oom, ok = await queue.get("oom"), await queue.get("ok")
    assert oom is not None and oom.state == "failed" and "lower the size" in (oom.error or "")
    assert ok is not None and ok.result == {"files": [], "device": "cpu"}
    assert ran == ["oom", "ok"]


async def test_submitting_twice_queues_once(store: SQLStore, queue: ImageQueue) -> None:
    story = await _story(store)
    first = await queue.submit("j1", story, {"prompts": ["a"], "seed": 1}, {"title": "A"})
    second = await queue.submit("j1", story, {"prompts": ["b"], "seed": 2}, {"title": "B"})
    assert second.queue_id == first.queue_id and second.reply == {"title": "A"}
    rows = await queue._db.query("SELECT count(*) FROM procrastinate_jobs")
    assert rows[0][0] == 1


async def test_the_line_counts_who_is_ahead(store: SQLStore, queue: ImageQueue) -> None:
    story = await _story(store)
    jobs = [await queue.submit(f"j{i}", story, {"prompts": ["a"], "seed": i}, {}) for i in range(3)]
    assert [(await queue.line(j)).ahead for j in jobs] == [0, 1, 2]
    await queue.cancel("j0")
    assert (await queue.line(jobs[2])).ahead == 1


def test_the_place_in_line_reads_as_a_writer_says_it() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "103rd",
    ]
    assert line_text(Line(ahead=2, running=2, devices=2, seconds=10.0)) == (
        "_3rd in line, about 30 s._"
    )
    assert line_text(Line(ahead=0, running=0, devices=1, seconds=None)) == "_1st in line._"


async def test_a_worker_that_is_stopped_puts_its_running_job_back_in_line(
    store: SQLStore, queue: ImageQueue
) -> None:
    started = asyncio.Event()

    async def slow(job: ImageJob, device: str) -> dict[str, Any]:
        started.set()
        await asyncio.Event().wait()  # longer than the grace
        return {}

    serving = asyncio.create_task(queue.run_workers(["cpu"], slow, grace=0.2))
    job = await queue.submit("j1", await _story(store), {"prompts": ["a"], "seed": 1}, {})
    await asyncio.wait_for(started.wait(), 20)
    serving.cancel()  # SIGTERM
    await asyncio.gather(serving, return_exceptions=True)
    again = await queue.get("j1")
    assert again is not None and (again.state, again.lost) == ("queued", 0)
    rows = await queue._db.query(
        "SELECT status FROM procrastinate_jobs WHERE id = ?", (job.queue_id,)
    )
    assert rows[0][0] == "todo"  # a worker will take it again
