"""WRITERSROOM_RETENTION_DAYS: idle conversations and their messages go, at startup and
every hour; threads still in use and the bible stay. Time is an injected clock."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from bot.app import open_app
from bot.retention import DAY, keep_pruning
from bot.settings import Settings
from storage import open_store
from tests.bot.helpers import Session
from tests.conftest import counting_seeds

pytestmark = pytest.mark.timeout(30)

KEY = ("terminal", "local", "general")
T0 = 1_700_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def conversations(settings: Settings) -> dict[str, int]:
    """Thread -> number of messages, read straight from the file."""
    store = await open_store(settings.db_path)
    try:
        async with store.database.read() as conn:
            rows = await conn.fetchall(
                "SELECT c.thread, count(m.id) FROM conversations c "
                "LEFT JOIN conversation_messages m ON m.conversation_id = c.id GROUP BY c.id"
            )
        return {str(r[0]): int(r[1]) for r in rows}
    finally:
        await store.close()


async def test_startup_prunes_idle_conversations_and_keeps_active_ones(
    settings: Settings,
) -> None:
    clock = Clock(T0)
    async with open_app(settings, seeds=counting_seeds(), clock=clock) as app:
        s = Session(app)
        await s.say("/story set logline A ferry that only sails at night.")
        await s.say("/synopsis")  # day 0
        await s.say("shorter")
        old = await app.store.latest_conversation(KEY)
        clock.now = T0 + 20 * DAY
        await s.say("/synopsis page")  # day 20
        await s.say("longer")
        new = await app.store.latest_conversation(KEY)
    assert old is not None and new is not None and old.id != new.id
    before = await conversations(settings)
    assert len(before) == 2 and all(n >= 1 for n in before.values())

    clock.now = T0 + 31 * DAY  # the old thread idle 31 days, the new one 11
    kept = dataclasses.replace(settings, retention_days=30)
    async with open_app(kept, seeds=counting_seeds(), clock=clock) as app:
        after = await conversations(settings)
        assert after == {new.place[3]: before[new.place[3]]}
        story = await app.store.active_story(KEY)
        assert story is not None and "ferry" in story.logline  # the bible stays


async def test_zero_days_keeps_everything(settings: Settings) -> None:
    clock = Clock(T0)
    async with open_app(settings, seeds=counting_seeds(), clock=clock) as app:
        s = Session(app)
        await s.say("/synopsis")
    clock.now = T0 + 10_000 * DAY
    async with open_app(settings, seeds=counting_seeds(), clock=clock):
        assert len(await conversations(settings)) == 1


async def test_the_lifespan_keeps_pruning_while_running(settings: Settings) -> None:
    clock = Clock(T0)
    async with open_app(settings, seeds=counting_seeds(), clock=clock) as app:
        await Session(app).say("/synopsis")
        ticks: asyncio.Queue[None] = asyncio.Queue()
        rounds = 0

        async def sleep(_seconds: float) -> None:
            nonlocal rounds
            rounds += 1
            if rounds > 1:
                await ticks.put(None)
            await asyncio.sleep(0)

        task = asyncio.create_task(keep_pruning(app.store, 7, clock, sleep=sleep))
        try:
            clock.now = T0 + 6 * DAY
            await ticks.get()  # a round at day 6: kept
            assert len(await conversations(settings)) == 1
            clock.now = T0 + 8 * DAY
            await ticks.get()
            await ticks.get()  # a whole round ran at day 8
            assert await conversations(settings) == {}
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def test_the_app_starts_and_stops_its_retention_task(settings: Settings) -> None:
    kept = dataclasses.replace(settings, retention_days=7)
    async with open_app(kept, seeds=counting_seeds()):
        names = {t.get_name() for t in asyncio.all_tasks()}
        assert "retention" in names
    await asyncio.sleep(0)
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "retention" and not t.done()]
