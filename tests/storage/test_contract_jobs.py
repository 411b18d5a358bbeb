"""Store contract: saved jobs and token usage."""

from __future__ import annotations

import dataclasses

import pytest

from core.errors import NotFound
from core.models import JobRecord, JobState, StoryKey, Usage
from storage.api import Store

pytestmark = pytest.mark.timeout(20)


def job(job_id: str, state: JobState = "queued", created_at: float = 1.0) -> JobRecord:
    return JobRecord(
        job_id, "text", "/synopsis", ("slack", "T1", "C1", None), "U1", state, created_at
    )


async def test_save_job_inserts_then_overwrites(store: Store) -> None:
    await store.save_job(job("j1"))
    await store.save_job(
        dataclasses.replace(job("j1"), command="/outline", place=("discord", "G", "C", "th"))
    )

    assert await store.jobs(["queued"]) == [
        dataclasses.replace(job("j1"), command="/outline", place=("discord", "G", "C", "th"))
    ]


async def test_set_job_state_stamps_start_finish_and_error(store: Store) -> None:
    await store.save_job(job("j1"))

    await store.set_job_state("j1", "running")
    (running,) = await store.jobs(["running"])
    await store.set_job_state("j1", "failed", "engine timed out")
    (failed,) = await store.jobs(["failed"])

    assert running.started_at is not None and running.finished_at is None
    assert failed.started_at == running.started_at
    assert failed.finished_at is not None and failed.finished_at >= failed.started_at
    assert failed.error == "engine timed out"
    with pytest.raises(NotFound):
        await store.set_job_state("nope", "done")


async def test_jobs_are_filtered_by_state_oldest_first(store: Store) -> None:
    await store.save_job(job("b", "running", 2.0))
    await store.save_job(job("a", "queued", 3.0))
    await store.save_job(job("c", "done", 1.0))

    assert [j.id for j in await store.jobs(["queued", "running"])] == ["b", "a"]
    assert await store.jobs([]) == []


async def test_usage_totals_add_up_per_channel(store: Store, key: StoryKey) -> None:
    await store.record_usage(key, "U1", Usage("gpt", 100, 20))
    await store.record_usage(key, "U2", Usage("offline", 5, 7))

    assert await store.usage_totals(key) == {
        "prompt_tokens": 105,
        "completion_tokens": 27,
        "requests": 2,
    }
