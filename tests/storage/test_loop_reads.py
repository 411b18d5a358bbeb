"""Reads on the event loop's own connection (storage/sqlite_db.py): small ones stay on the loop,
big ones move to a reader thread, and neither sees a transaction that is not committed."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.models import new_character
from core.types import Author
from storage import SQLStore, open_store, sqlite_conn
from storage.sql import Tx
from storage.sqlite_db import SQLiteDatabase
from tests.storage.loop_helpers import ticking

pytestmark = pytest.mark.timeout(30)

DANA = Author("U1", "dana")
KEY = ("terminal", "local", "room")
COUNT_TO_A_MILLION = (
    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000) "
    "SELECT count(*) FROM c"
)


def sqlite_db(store: SQLStore) -> SQLiteDatabase:
    db = store.database
    assert isinstance(db, SQLiteDatabase)
    return db


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLStore]:
    opened = await open_store(tmp_path / "bible.db")
    yield opened
    await opened.close()


async def test_a_bible_and_a_lookup_are_read_on_the_loop(store: SQLStore) -> None:
    story, _ = await store.new_story(KEY, DANA, "Storm Debt")
    await store.add_character(story.id, new_character("Mara Quell", role="pilot"), DANA)
    db = sqlite_db(store)
    here, moved = db.reads_here, db.reads_moved

    assert (await store.active_story(KEY)) == story
    bible = await store.bible(story.id)

    assert [c.name for c in bible.characters] == ["Mara Quell"]
    assert (db.reads_here - here, db.reads_moved - moved) == (2, 0)


async def test_a_big_read_moves_to_a_thread_and_the_loop_keeps_running(
    store: SQLStore,
) -> None:
    db = sqlite_db(store)
    moved = db.reads_moved
    async with ticking() as ticks:
        rows = await db.query(COUNT_TO_A_MILLION)

    assert rows[0][0] == 1_000_000  # the whole answer, not the part read before the stop
    assert db.reads_moved == moved + 1
    assert ticks.count > 1  # the loop ran other work while the thread counted


async def test_a_loop_read_sees_only_committed_rows_and_never_waits_for_a_writer(
    store: SQLStore,
) -> None:
    story, _ = await store.new_story(KEY, DANA, "Storm Debt")
    db = sqlite_db(store)
    async with db.write() as conn:
        await conn.fetchall("UPDATE stories SET title = 'Half-written' WHERE id = ?", (story.id,))
        here = db.reads_here
        seen = await asyncio.wait_for(store.active_story(KEY), 1.0)
        assert seen is not None and seen.title == "Storm Debt"
        assert db.reads_here == here + 1
    after = await store.active_story(KEY)
    assert after is not None and after.title == "Half-written"


async def test_reads_between_the_loop_writers_transactions_see_its_commits_not_its_open_one(
    store: SQLStore,
) -> None:
    """Loop reads run on the loop's writer while it has no transaction open (its page
    cache survives its own writes), and on the reader while one is open there."""
    story, _ = await store.new_story(KEY, DANA, "Storm Debt")
    db = sqlite_db(store)
    written, go_on = asyncio.Event(), asyncio.Event()

    async def body(tx: Tx) -> None:
        await tx.fetchall("UPDATE stories SET title = 'Half-written' WHERE id = ?", (story.id,))
        written.set()
        await go_on.wait()

    before = db.transactions_here
    transaction = asyncio.create_task(db.transact(body))
    await written.wait()
    here = db.reads_here
    seen = await store.active_story(KEY)
    assert seen is not None and seen.title == "Storm Debt"  # not the open transaction's
    assert db.reads_here == here + 1
    go_on.set()
    await transaction
    assert db.transactions_here == before + 1  # it was the loop writer's own
    await store.update_story(
        story.id, lambda s: dataclasses.replace(s, logline="A pilot owes a storm."), DANA, "logline"
    )
    after = await store.active_story(KEY)
    assert after is not None and (after.title, after.logline) == (
        "Half-written",
        "A pilot owes a storm.",
    )


async def test_a_read_from_another_thread_uses_a_pooled_reader(store: SQLStore) -> None:
    story, _ = await store.new_story(KEY, DANA, "Storm Debt")
    db = sqlite_db(store)
    moved = db.reads_moved

    def elsewhere() -> object:
        return asyncio.run(store.active_story(KEY))

    assert await asyncio.to_thread(elsewhere) == story
    assert db.reads_moved == moved + 1


async def test_the_loop_reader_is_read_only_and_never_waits(store: SQLStore) -> None:
    pragmas = (await sqlite_db(store).pragmas())["loop reader"]
    assert (pragmas["journal_mode"], pragmas["query_only"], pragmas["busy_timeout"]) == (
        "wal",
        1,
        0,
    )


async def test_a_stopped_snapshot_leaves_the_loop_reader_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The budget looks at the clock every PROGRESS_STEPS steps of a statement, counted
    across all its runs, so sooner or later a check falls in the ROLLBACK after a stopped
    read, when the budget is long spent. Checked at every step here: the ROLLBACK must
    still run, or the loop's reader stays inside the transaction and every later snapshot
    fails."""
    monkeypatch.setattr(sqlite_conn, "PROGRESS_STEPS", 1)
    store = await open_store(tmp_path / "bible.db")
    try:
        story, _ = await store.new_story(KEY, DANA, "Storm Debt")
        db = sqlite_db(store)
        big = await db.read_many([("SELECT 1", ()), (COUNT_TO_A_MILLION, ())])
        assert big[1][0][0] == 1_000_000  # moved to a thread and read whole
        bible = await store.bible(story.id)  # a snapshot of several reads
        assert bible.story.title == "Storm Debt"
        here = db.reads_here
        found = await db.read_many([("SELECT 1", ()), ("SELECT 2", ())])
        assert [[tuple(r) for r in rows] for rows in found] == [[(1,)], [(2,)]]
        assert db.reads_here == here + 1  # still read on the loop
    finally:
        await store.close()


@pytest.mark.parametrize("steps", range(1, 14))
async def test_a_snapshot_stopped_at_its_begin_leaves_no_transaction_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steps: int
) -> None:
    """SQLite also looks at the progress handler once a statement has run all its steps,
    so a BEGIN stopped there raises "interrupted" with its transaction open. With a
    budget that is always spent, looked at every ``steps`` steps, the check falls there
    for some of these step counts: the snapshots must still move to a thread, and once
    the budget is back the loop's reader must read on the loop what was committed since
    (a reader left inside its transaction fails every later snapshot, or reads an old
    one)."""
    monkeypatch.setattr(sqlite_conn, "PROGRESS_STEPS", steps)
    monkeypatch.setattr(sqlite_conn, "LOOP_BUDGET", -1.0)
    store = await open_store(tmp_path / "bible.db")
    try:
        db = sqlite_db(store)
        for _ in range(20):
            found = await db.read_many([("SELECT 1", ()), ("SELECT 2", ())])
            assert [[tuple(r) for r in rows] for rows in found] == [[(1,)], [(2,)]]
        monkeypatch.setattr(sqlite_conn, "LOOP_BUDGET", 1.0)
        story, _ = await store.new_story(KEY, DANA, "Storm Debt")
        here = db.reads_here
        found = await db.read_many(
            [("SELECT title FROM stories WHERE id = ?", (story.id,)), ("SELECT 1", ())]
        )
        assert found[0][0]["title"] == "Storm Debt"
        assert db.reads_here == here + 1
    finally:
        await store.close()
