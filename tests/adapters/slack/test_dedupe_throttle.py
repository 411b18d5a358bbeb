"""Claims expire and stay bounded, and hold across processes; edits keep to the
workspace's budget, which every process on the database draws from."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.seen import Seen
from bot.adapters.slack.throttle import EditThrottle, draw
from storage import open_store
from storage.api import Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(tmp_path / "w.db")
    yield opened
    await opened.close()


async def test_a_key_is_claimed_once_within_the_ttl(store: Store) -> None:
    now = [0.0]
    seen = Seen(store, "slack", ttl=10, clock=lambda: now[0])
    assert await seen.first("event", "Ev1") and not await seen.first("event", "Ev1")
    now[0] = 11
    assert await seen.first("event", "Ev1")


async def test_a_claim_made_by_another_process_is_refused_here(tmp_path: Path) -> None:
    first, second = await open_store(tmp_path / "w.db"), await open_store(tmp_path / "w.db")
    try:
        here, there = Seen(first, "slack"), Seen(second, "slack")
        assert await here.first("event", "Ev9")
        assert not await there.first("event", "Ev9")  # a retry that reached the other one
    finally:
        await first.close()
        await second.close()


async def test_seen_is_bounded(store: Store) -> None:
    seen = Seen(store, "slack", max_keys=100)
    for i in range(1000):
        await seen.first("event", str(i))
    assert len(seen) <= 100


def test_the_bucket_rule_refills_over_a_minute_and_forced_draws_go_below_zero() -> None:
    bucket, given = draw(None, want=3, force=False, capacity=3, now=0.0)
    assert given == 3 and bucket.tokens == 0
    bucket, given = draw(bucket, want=1, force=False, capacity=3, now=1.0)
    assert given == 0  # 0.05 of a token back after a second
    bucket, given = draw(bucket, want=1, force=True, capacity=3, now=1.0)
    assert given == 1 and bucket.tokens < 0
    bucket, given = draw(bucket, want=5, force=False, capacity=3, now=200.0)
    assert given == 3  # never past the capacity


async def test_partial_edits_wait_while_the_workspace_budget_is_spent(tmp_path: Path) -> None:
    now = [100.0]
    stores = [await open_store(tmp_path / "w.db") for _ in range(2)]
    try:
        # Two processes on one database share one workspace budget of three edits.
        one, two = (
            EditThrottle(s, interval=1.0, per_minute=3, clock=lambda: now[0], wall=lambda: now[0])
            for s in stores
        )
        granted = [await e.within_budget("T") for e in (one, two) * 4]
        assert granted.count(True) == 3  # never more than the budget, whoever asks
        assert await one.within_budget("T2")  # another workspace has its own budget
        now[0] += 61
        assert await two.within_budget("T")
        one.touched("T")  # a final edit always goes, and is charged (beside it)
        one.touched("T")
        await one.settled()
        # two took all three tokens and holds two; one's two charges put the shared
        # bucket below zero, so nobody draws from it until it refills
        assert not await one.within_budget("T")
        now[0] += 30  # half a minute: 1.5 tokens back, still below one
        assert not await one.within_budget("T")
        now[0] += 30
        assert await one.within_budget("T")
    finally:
        for s in stores:
            await s.close()


async def test_a_partial_edit_refused_by_a_spent_budget_writes_nothing(tmp_path: Path) -> None:
    """Partial edits waiting on a spent budget look again every quarter second: a look
    that is refused only reads the bucket, so a hundred of them never race to write it."""
    now = [100.0]
    store = await open_store(tmp_path / "w.db")
    try:
        edits = EditThrottle(store, per_minute=3, clock=lambda: now[0], wall=lambda: now[0])
        for _ in range(3):
            edits.touched("T")
        await edits.settled()
        db = store.database  # type: ignore[attr-defined]
        bucket = "SELECT tokens, at FROM buckets WHERE key = 'slack-edits:T'"
        spent = [tuple(r) for r in await db.query(bucket)]
        now[0] += 5
        refused = await asyncio.gather(*(edits.within_budget("T") for _ in range(50)))
        assert not any(refused)
        assert [tuple(r) for r in await db.query(bucket)] == spent
        now[0] += 60  # refilled: the next look is granted and written
        assert await edits.within_budget("T")
        assert [tuple(r) for r in await db.query(bucket)] != spent
    finally:
        await store.close()


async def test_each_message_has_one_throttle_shared_by_its_responders(store: Store) -> None:
    edits = EditThrottle(store, interval=1.0, max_messages=2)
    first = edits.message("T", "C1", "1.0")
    assert edits.message("T", "C1", "1.0") is first
    # partial states a second apart; the final one need not wait out that second
    assert (first.edits.interval, first.edits.final_gap) == (1.0, 0.25)
    edits.message("T", "C1", "2.0")
    edits.message("T", "C1", "3.0")
    assert edits.message("T", "C1", "1.0") is not first  # the oldest was forgotten


async def test_close_cancels_the_partial_edits_still_waiting(store: Store) -> None:
    edits = EditThrottle(store, interval=60.0)
    state = edits.message("T", "C1", "1.0")
    state.edits.sent_now()
    shown: list[str] = []

    async def show() -> None:
        shown.append("partial")

    await state.edits.edit(show, final=False)  # waits its minute
    await edits.close()
    waiting = [t for t in asyncio.all_tasks() if t.get_name() == "edit-throttle"]
    assert shown == [] and waiting == []


async def test_a_budget_that_cannot_be_read_holds_previews_and_never_fails_a_reply(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import sqlite3

    async def broken(*_: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")  # the database went away

    edits = EditThrottle(store, interval=1.0, per_minute=3)
    monkeypatch.setattr(store, "take", broken)
    assert not await edits.within_budget("T")  # the preview waits
    edits.touched("T")  # a final edit's charge is dropped with a line in the log
    await edits.settled()
    assert "could not read the Slack edit budget" in caplog.text
    assert "could not charge 1 Slack edits" in caplog.text
