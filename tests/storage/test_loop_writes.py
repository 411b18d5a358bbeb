"""Single writes on the event loop's own connection (storage/sqlite_db.py): committed at
once while the file is free, sent to the writer thread's group commit while it is not
(a transaction, a group commit on its way, another process), stopped and moved when long,
and the log still checkpointed (the loop's writer never syncs the file itself)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import sqlite_conn
from storage import sqlite_db as sqlite_module
from storage.sql import Tx
from storage.sqlite_db import SQLiteDatabase
from tests.storage.loop_helpers import held_by_another_process, ticking

pytestmark = pytest.mark.timeout(30)

SCHEMA = "CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)"
INSERT = "INSERT INTO scratch (text) VALUES (?) RETURNING id"
MANY = (
    "INSERT INTO scratch (text) WITH RECURSIVE c(i) AS "
    "(SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000) SELECT 'n' || i FROM c"
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[SQLiteDatabase]:
    opened = await SQLiteDatabase.open(tmp_path / "w.db")
    async with opened.write() as tx:
        await tx.fetchall(SCHEMA)
    yield opened
    await opened.close()


async def count(db: SQLiteDatabase) -> int:
    return int((await db.query("SELECT count(*) FROM scratch"))[0][0])


async def test_a_write_while_the_file_is_free_is_committed_on_the_loop(
    db: SQLiteDatabase,
) -> None:
    rows = await db.execute(INSERT, ("a scene",))
    assert rows[0][0] == 1
    assert (db.writes_here, db.writes_moved) == (1, 0)
    assert await count(db) == 1  # committed: another connection reads it


async def test_during_a_transaction_writes_wait_for_it_in_the_group_commit(
    db: SQLiteDatabase,
) -> None:
    inside = asyncio.Event()
    release = asyncio.Event()

    async def transaction() -> None:
        async with db.write() as tx:
            await tx.fetchall(INSERT, ("in the transaction",))
            inside.set()
            await release.wait()

    holder = asyncio.create_task(transaction())
    await inside.wait()
    writes = asyncio.gather(*(db.execute(INSERT, (f"beside {i}",)) for i in range(3)))
    await asyncio.sleep(0.05)
    assert not writes.done()  # they wait for the transaction, never inside it
    release.set()
    await holder
    await writes
    assert (db.writes_here, db.writes_moved) == (0, 3)
    assert await count(db) == 4


async def test_another_process_holding_the_file_sends_the_write_to_the_thread(
    db: SQLiteDatabase, tmp_path: Path
) -> None:
    with held_by_another_process(tmp_path / "w.db") as other:
        other.execute("INSERT INTO scratch (text) VALUES ('the other process')")
        write = asyncio.create_task(db.execute(INSERT, ("ours",)))
        await asyncio.sleep(0.1)
        assert not write.done()  # the writer thread waits (busy_timeout); the loop does not
    await write
    assert (db.writes_here, db.writes_moved) == (0, 1)
    assert await count(db) == 2


async def test_a_long_write_is_stopped_on_the_loop_and_done_whole_on_the_thread(
    db: SQLiteDatabase,
) -> None:
    async with ticking() as ticks:
        await db.execute(MANY)
    assert (db.writes_here, db.writes_moved) == (0, 1)
    assert await count(db) == 200_000  # once, whole: the loop's try was rolled back
    assert ticks.count > 1  # the loop ran while the thread wrote


async def test_a_failing_write_raises_and_leaves_the_loop_writer_usable(
    db: SQLiteDatabase,
) -> None:
    from storage.sql import UniqueViolation

    await db.execute(INSERT, ("once",))
    with pytest.raises(UniqueViolation):
        await db.execute(INSERT, ("once",))
    await db.execute(INSERT, ("twice",))
    assert await count(db) == 2


async def test_the_loop_writer_never_checkpoints_and_a_reader_thread_does_without_the_write_lock(
    db: SQLiteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_EVERY", 20)
    main = tmp_path / "w.db"
    size = main.stat().st_size
    for i in range(19):
        await db.execute(INSERT, (f"note {i} " + "x" * 3000,))
    assert main.stat().st_size == size  # every new page is still in the log only
    await db.execute(INSERT, ("the twentieth",))
    assert db._write_lock.free_now()  # the checkpoint asked for holds no write lock
    for _ in range(200):  # the twentieth asked a reader's thread for a checkpoint
        if main.stat().st_size > size + 19 * 3000:
            break
        await asyncio.sleep(0.01)
    assert main.stat().st_size > size + 19 * 3000  # copied into the file, while open
    await db.execute(INSERT, ("after",))
    assert db.writes_moved == 0  # no write of the loop went to the thread for it


async def test_a_bucket_changed_between_read_and_write_is_read_again(tmp_path: Path) -> None:
    """``take`` is a compare-and-set: another process's draw in between is never lost,
    and the draw is read again until it wins."""
    from storage import open_store
    from storage.coordination import Allowance

    store = await open_store(tmp_path / "b.db")
    other = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    try:
        await store.take("k", lambda _: (Allowance(10.0, 1.0), None))
        meddle = [3]
        seen: list[float] = []

        def draw_one(bucket: Allowance | None) -> tuple[Allowance, float]:
            assert bucket is not None
            seen.append(bucket.tokens)
            if meddle[0] > 0:  # another process draws one after our read
                meddle[0] -= 1
                other.execute("UPDATE buckets SET tokens = tokens - 1 WHERE key = 'k'")
            return Allowance(bucket.tokens - 1, 2.0), bucket.tokens - 1

        left = await store.take("k", draw_one)
        assert seen == [10.0, 9.0, 8.0, 7.0]  # each race lost was read again
        assert left == 6.0
        rows = await store.database.query("SELECT tokens FROM buckets WHERE key = 'k'")
        assert float(rows[0][0]) == left  # every draw counted, ours and the other's
    finally:
        other.close()
        await store.close()


async def _insert_two(tx: Tx, first: str, second: str) -> int:
    await tx.fetchall(INSERT, (first,))
    rows = await tx.fetchall(INSERT, (second,))
    return int(rows[0][0])


async def test_a_transaction_while_the_file_is_free_runs_on_the_loop(
    db: SQLiteDatabase,
) -> None:
    assert await db.transact(lambda tx: _insert_two(tx, "one", "two")) == 2
    assert db.transactions_here == 1
    assert await count(db) == 2
    await db.execute(INSERT, ("after",))  # the loop's writer is out of its transaction
    assert db.writes_here == 1


async def test_a_transaction_that_fails_on_the_loop_leaves_nothing(db: SQLiteDatabase) -> None:
    async def fails(tx: Tx) -> None:
        await tx.fetchall(INSERT, ("half",))
        raise RuntimeError("the body broke")

    with pytest.raises(RuntimeError):
        await db.transact(fails)
    assert await count(db) == 0
    assert await db.transact(lambda tx: _insert_two(tx, "a", "b")) == 2  # not left locked


async def test_a_transaction_the_loop_cannot_finish_runs_again_on_the_thread(
    db: SQLiteDatabase, tmp_path: Path
) -> None:
    """A long statement stops it on the loop; rolled back there, it runs whole on the
    writer's thread: its first statement is committed once."""
    runs = 0

    async def long_one(tx: Tx) -> int:
        nonlocal runs
        runs += 1
        await tx.fetchall(INSERT, ("before the long one",))
        await tx.fetchall(MANY)
        return runs

    assert await db.transact(long_one) == 2
    assert db.transactions_here == 0
    assert await count(db) == 200_001


async def test_a_transaction_waits_for_another_process_on_the_thread(
    db: SQLiteDatabase, tmp_path: Path
) -> None:
    with held_by_another_process(tmp_path / "w.db"):
        done = asyncio.create_task(db.transact(lambda tx: _insert_two(tx, "x", "y")))
        await asyncio.sleep(0.1)
        assert not done.done()
    assert await done == 2
    assert db.transactions_here == 0


async def test_a_small_statement_stays_on_the_loop_however_often_it_runs(
    db: SQLiteDatabase,
) -> None:
    """SQLite counts a cached statement's instructions over all its runs; the loop's
    limit is by time, so the 2,000th small insert is not stopped (and never written
    twice, as a stopped autocommitted statement could be)."""
    for i in range(2000):
        await db.execute(INSERT, (f"row {i}",))
    assert (db.writes_here, db.writes_moved) == (2000, 0)
    assert await count(db) == 2000


async def test_a_closed_database_raises_at_once(tmp_path: Path) -> None:
    db = await SQLiteDatabase.open(tmp_path / "c.db")
    await db.close()
    with pytest.raises(sqlite3.ProgrammingError):
        await asyncio.wait_for(db.query("SELECT 1"), timeout=5)


@pytest.mark.parametrize("steps", range(1, 14))
async def test_a_write_stopped_at_its_begin_or_commit_leaves_the_loop_writer_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steps: int
) -> None:
    """The budget's checks fall, sooner or later, in a BEGIN, COMMIT or ROLLBACK run when
    the budget is spent (they count steps across all of a statement's runs, and SQLite
    looks once more after a statement's last step: a BEGIN IMMEDIATE stopped there raises
    with the file's write lock held). Checked every ``steps`` steps with a budget that is
    always spent: each write moves to the thread and is committed once, and the loop's
    writer never keeps the file locked (the writer thread would wait for it in vain and
    fail with "database is locked", as 2 runs in 100 of ``bench mentions`` did)."""
    monkeypatch.setattr(sqlite_conn, "PROGRESS_STEPS", steps)
    monkeypatch.setattr(sqlite_conn, "LOOP_BUDGET", -1.0)
    opened = await SQLiteDatabase.open(tmp_path / "w.db")
    try:
        async with opened.write() as tx:
            await tx.fetchall(SCHEMA)
        for n in range(20):
            await asyncio.wait_for(opened.execute(INSERT, (f"row {n}",)), 5)

        async def two(tx: Tx) -> None:
            await tx.fetchall(INSERT, ("first of two",))
            await tx.fetchall(INSERT, ("second of two",))

        await asyncio.wait_for(opened.transact(two), 5)
        assert await count(opened) == 22
    finally:
        await opened.close()
