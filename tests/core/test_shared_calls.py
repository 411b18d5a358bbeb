"""Shared: concurrent calls for one key share one run."""

from __future__ import annotations

import asyncio

import pytest

from core.shared_calls import Shared

pytestmark = pytest.mark.timeout(10)


async def test_concurrent_calls_for_a_key_share_one_run_and_its_answer() -> None:
    shared: Shared[str, int] = Shared()
    runs: list[str] = []
    gate = asyncio.Event()

    async def work(key: str) -> int:
        runs.append(key)
        await gate.wait()
        return len(runs)

    calls = [asyncio.create_task(shared.run(k, lambda k=k: work(k))) for k in "aaab"]
    await asyncio.sleep(0)
    gate.set()
    answers = await asyncio.gather(*calls)
    assert sorted(runs) == ["a", "b"]  # one run per key
    assert answers[0] == answers[1] == answers[2]
    # once it has ended, the next call runs again
    assert await shared.run("a", lambda: work("a")) == 3


async def test_an_error_reaches_every_caller_and_is_not_kept() -> None:
    shared: Shared[str, int] = Shared()
    attempts = 0

    async def fails() -> int:
        nonlocal attempts
        attempts += 1
        await asyncio.sleep(0)
        raise ValueError("no")

    results = await asyncio.gather(
        *(shared.run("k", fails) for _ in range(3)), return_exceptions=True
    )
    assert attempts == 1 and all(isinstance(r, ValueError) for r in results)
    with pytest.raises(ValueError):
        await shared.run("k", fails)
    assert attempts == 2


async def test_a_cancelled_caller_leaves_the_run_to_the_others() -> None:
    shared: Shared[str, str] = Shared()
    gate = asyncio.Event()

    async def work() -> str:
        await gate.wait()
        return "done"

    first = asyncio.create_task(shared.run("k", work))
    second = asyncio.create_task(shared.run("k", work))
    await asyncio.sleep(0)
    first.cancel()
    await asyncio.sleep(0)
    gate.set()
    assert await second == "done"
    assert first.cancelled()
