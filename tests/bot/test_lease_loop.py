"""The lease loop's cancel wakeups (bot/wakeups.py): a LISTEN that dies with its connection
leaves the loop polling at its own pace, says so once, and listens again once it can."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import itertools
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

import bot.app
import bot.wakeups
from bot.app import open_app
from bot.settings import Settings
from bot.wakeups import CancelWakeups
from core.models import JobRecord
from tests.pg import Cluster

pytestmark = pytest.mark.timeout(60)
STOPPED = "cancel notifications stopped"


def _held_job(job_id: str, owner: str) -> JobRecord:
    """A job ``owner`` holds but does not run: a cancel asked of it marks it cancelled."""
    place = ("terminal", "local", "c", None)
    return JobRecord(job_id, "text", "synopsis", place, "u1", "running", time.time(), owner=owner)


@pytest.fixture
async def unhandled() -> AsyncIterator[list[dict[str, Any]]]:
    """What reaches the loop's exception handler ("Task exception was never retrieved")."""
    loop = asyncio.get_running_loop()
    seen: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: seen.append(context))
    yield seen
    gc.collect()
    loop.set_exception_handler(previous)


async def _listening(app: bot.app.App) -> bool:
    rows = await app.store.database.query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE ?",
        ("LISTEN%",),
    )
    return int(rows[0][0]) > 0


async def _until(check: Callable[[], Awaitable[bool]], within: float) -> float:
    """Seconds until ``await check()`` is true; fails after ``within``."""
    t0 = time.monotonic()
    while not await check():
        assert time.monotonic() - t0 < within, f"not within {within} s"
        await asyncio.sleep(0.05)
    return time.monotonic() - t0


async def test_a_database_restart_leaves_cancels_polled_at_their_pace_then_woken_again(
    settings: Settings,
    pg_cluster: Cluster,
    pg_url: str,
    unhandled: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with open_app(dataclasses.replace(settings, database_url=pg_url)) as app:
        polls: list[float] = []
        ask = app.store.cancel_requests

        async def counted(owner: str) -> list[str]:
            polls.append(time.monotonic())
            return await ask(owner)

        monkeypatch.setattr(app.store, "cancel_requests", counted)
        monkeypatch.setattr(bot.wakeups, "WAKEUP_RETRY", (8.0, 30.0))  # down long enough to see
        await _until(lambda: _listening(app), within=5)
        with caplog.at_level("INFO", logger="bot.wakeups"):
            await asyncio.to_thread(pg_cluster.restart)
            await asyncio.sleep(0.5)  # the lease rounds find the pool's connections again
            start = time.monotonic()
            await asyncio.sleep(2.0)
            assert 1 <= len([t for t in polls if t >= start]) <= 6  # one a second, not 1000s

            assert not await _listening(app)  # a cancel now is seen by polling
            await app.store.save_job(_held_job("after", app.lease.id))
            await app.store.request_cancel("after")

            async def cancelled() -> bool:
                record = await app.store.job("after")
                return record is not None and record.state == "cancelled"

            assert await _until(cancelled, within=3) < 2  # within the polling interval
            await _until(lambda: _listening(app), within=10)  # listening again

    gc.collect()
    assert not unhandled
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith(STOPPED)] == [
        f"{STOPPED} (OperationalError); polling for cancels and listening again in 8 s"
    ]


async def test_a_stream_that_keeps_failing_is_opened_again_ever_more_slowly(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Each wait lasts its time while the stream is down (no hot loop), openings are
    spaced by a doubling wait, the loss is said once, and a stream that works again
    wakes the waiter at once."""
    monkeypatch.setattr(bot.wakeups, "WAKEUP_RETRY", (0.1, 0.4))
    opened: list[float] = []
    broken = True
    notes: asyncio.Queue[str] = asyncio.Queue()

    async def stream() -> AsyncGenerator[str, None]:
        if broken:
            raise ConnectionError("the database went away")
        while True:
            yield await notes.get()

    def open_stream() -> AsyncGenerator[str, None]:
        opened.append(time.monotonic())
        return stream()

    wakeups = CancelWakeups(open_stream)
    waits = 0
    with caplog.at_level("INFO", logger="bot.wakeups"):
        t0 = time.monotonic()
        while time.monotonic() - t0 < 1.5:
            await wakeups.wait(0.05)
            waits += 1
        assert waits <= 31
        gaps = [b - a for a, b in itertools.pairwise(opened)]
        assert 4 <= len(opened) <= 6, gaps  # at 0, 0.1, 0.3, 0.7, 1.1 s
        assert all(0.09 <= gap <= 0.6 for gap in gaps), gaps
        assert gaps[0] < 0.2 and gaps[-1] > 0.35  # 0.1 s doubling to 0.4 s

        broken = False
        t1 = time.monotonic()
        while time.monotonic() - t1 < 0.8:  # the next opening works and is believed
            await wakeups.wait(0.05)
        notes.put_nowait("j1")
        t2 = time.monotonic()
        await wakeups.wait(5.0)
        assert time.monotonic() - t2 < 0.5  # woken, not timed out
        await wakeups.aclose()
    messages = [r.getMessage() for r in caplog.records]
    assert sum(m.startswith(STOPPED) for m in messages) == 1
    assert "cancel notifications work again" in messages


async def test_where_the_database_cannot_notify_a_wait_is_a_sleep() -> None:
    """SQLite: nothing to listen to, nothing opened again."""
    opened: list[None] = []
    wakeups = CancelWakeups(lambda: opened.append(None))
    t0 = time.monotonic()
    for _ in range(3):
        await wakeups.wait(0.1)
    assert time.monotonic() - t0 >= 0.28  # timers may fire a little early
    assert len(opened) == 1
    await wakeups.aclose()
