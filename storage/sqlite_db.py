"""The SQLite driver of ``storage.sql.Database``: one file, its connections and pragmas.

One process holds a writer and several readers on the file, each a plain ``sqlite3``
connection with the one thread that uses it (``Worker``, in sqlite_conn.py):

- a *writer*, on which every read-modify-write runs as one ``BEGIN IMMEDIATE``
  transaction; an ``asyncio.Lock`` keeps coroutines from interleaving inside one;
- READERS *readers* (``query_only``), lent out one block at a time. In WAL mode a reader
  sees only committed data, so a read never observes another coroutine's half-done
  transaction, reads do not wait for writes, and several run at once;
- a reader on the event loop's own thread, for ``query`` and ``read_many``. Nearly every
  read is a point lookup or one story's bible: tens of microseconds in SQLite, far less
  than handing it to a thread and back (two cross-thread wake-ups and GIL hand-offs,
  which under load cost more CPU than the rest of a command). A read that runs past
  LOOP_BUDGET (half a millisecond), or finds the file busy, is stopped and
  run on a pooled reader instead, so the loop is never held for long. It runs on the
  loop's writer (below) while no transaction is open there: a connection drops its page
  cache whenever another one writes, and most reads follow that writer's own writes;
- a writer on the event loop's own thread, for single statements (``execute``) while the
  file is free: committed at once, in tens of microseconds, where a trip to the writer's
  thread costs a turn of the loop to come back, and under a burst a turn is tens of
  milliseconds (a request's bookkeeping writes were most of the time before its model
  request left). A statement that finds the file busy (a transaction holds it, or a group
  commit is on its way) or runs long goes to the writer thread's group commit.

Other processes on the same file are kept in order by SQLite itself: ``BEGIN IMMEDIATE``
takes the write lock up front and ``busy_timeout`` waits for it. Every writer holds the
whole file, so ``for_update`` is empty here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from storage.sql import (
    Dialect,
    Params,
    Row,
    Tx,
)
from storage.sqlite_conn import (
    BATCHABLE,
    CHECKPOINT_EVERY,
    CHECKPOINT_TRIES,
    READERS,
    TRY_A_THREAD,
    HereTx,
    LoopBudget,
    Worker,
    begin,
    connect_here,
    connect_here_writer,
    end_whole,
    read_snapshot,
    rollback,
    run_batch,
    settings_of,
    violation,
    write_one,
)
from storage.sqlite_schema import MIGRATIONS, Migration, migrate
from storage.turns import TurnLock

log = logging.getLogger(__name__)

T = TypeVar("T")


class _MoveToThread(Exception):
    """The loop's writer cannot finish the transaction (the file is locked, or a statement
    ran long): it was rolled back, and runs again on the writer's thread."""


class SQLiteDatabase:
    """An open SQLite file with a locked writer and a small pool of readers."""

    dialect: Dialect = "sqlite"
    for_update = ""

    def __init__(
        self,
        path: Path,
        writer: Worker,
        readers: list[Worker],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.clock = clock
        self._writer = writer
        self._readers = list(readers)
        self._budget = LoopBudget()
        self._here: sqlite3.Connection | None = connect_here(path, self._budget)
        self._here_thread = threading.get_ident()
        self.reads_here = 0
        self.reads_moved = 0
        """Reads answered on the loop, and reads sent on to a thread (too big or busy)."""
        self.writes_here = 0
        self.writes_moved = 0
        """Statements committed on the loop, and those sent to the writer's thread."""
        self.transactions_here = 0
        """Transactions (``transact``) committed on the loop's own writer."""
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        for worker in self._readers:
            self._idle.put_nowait(worker)
        self._write_lock = TurnLock()
        self._here_writer: sqlite3.Connection | None = connect_here_writer(path, self._budget)
        self._batch: list[tuple[str, Params, asyncio.Future[list[Row]]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._checkpoints: set[asyncio.Task[None]] = set()
        self._closed = False

    @classmethod
    async def open(
        cls,
        path: Path,
        clock: Callable[[], float] = time.time,
        readers: int = READERS,
        migrations: tuple[Migration, ...] = MIGRATIONS,
    ) -> SQLiteDatabase:
        """Open (creating it and its folder if needed) and migrate to the current schema
        (``migrations``: the main file's, or another file's own)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await Worker.open(path, "sqlite-writer", read_only=False)
        opened: list[Worker] = []
        try:
            await writer.run(migrate, migrations)
            for n in range(max(1, readers)):
                opened.append(await Worker.open(path, f"sqlite-reader-{n}", read_only=True))
            return cls(path, writer, opened, clock)
        except BaseException:
            for worker in opened:
                await worker.close()
            await writer.close()
            raise

    async def close(self) -> None:
        """Wait for the transaction and the reads in progress, then close. Idempotent."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)
        await asyncio.gather(*self._checkpoints, return_exceptions=True)
        async with self._write_lock.hold():
            if self._closed:
                return
            self._closed = True
            for _ in self._readers:  # every reader back in the pool: no read in flight
                await self._idle.get()
            with contextlib.suppress(sqlite3.Error):
                await self._writer.fetchall("PRAGMA optimize")
            if self._here is not None:
                self._here.close()
                self._here = None
            if self._here_writer is not None:
                self._here_writer.close()
                self._here_writer = None
            for worker in self._readers:
                await worker.close()
            await self._writer.close()

    @contextlib.asynccontextmanager
    async def _reader(self) -> AsyncIterator[Worker]:
        if self._closed:  # its readers are gone: waiting for one would never end
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        worker = await self._idle.get()
        try:
            yield worker
        finally:
            self._idle.put_nowait(worker)

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[Worker]:
        """One write transaction: committed if the block ends, rolled back if it raises."""
        async with self._write_lock.hold():
            writer = self._writer
            await writer.run(begin)
            try:
                yield writer
            except BaseException:
                await writer.run(rollback)
                raise
            try:
                await writer.fetchall("COMMIT")
            except BaseException:
                await writer.run(rollback)
                raise

    async def transact(self, body: Callable[[Tx], Awaitable[T]]) -> T:
        """``body`` in one write transaction, committed if it returns (as ``write``).

        While the file is free it runs on the loop's own writer, every statement at once:
        a transaction of a few point statements then takes well under a millisecond,
        where on the writer's thread each statement waits a turn of the loop to come back
        (under a burst, tens of milliseconds each, with the file held all along). If a
        statement there finds the file locked by another process or runs past
        LOOP_BUDGET, the transaction is rolled back and ``body`` runs again on the
        writer's thread; so ``body`` must do nothing but its statements."""
        if (conn := self._loop_writer()) is not None:
            try:
                return await self._transact_here(conn, body)
            except _MoveToThread:
                pass
        async with self.write() as tx:
            return await body(tx)

    def _loop_writer(self) -> sqlite3.Connection | None:
        """The loop's own writer, when this is its loop and neither a transaction nor a
        group commit holds the writer or waits for it (those keep their order)."""
        if threading.get_ident() != self._here_thread or self._batch:
            return None
        return self._here_writer if self._write_lock.free_now() else None

    async def _transact_here(
        self, conn: sqlite3.Connection, body: Callable[[Tx], Awaitable[T]]
    ) -> T:
        async with self._write_lock.hold():  # free: taken at once
            try:
                begin(conn)
                try:
                    result = await body(HereTx(conn, self._budget))
                    end_whole(conn)
                    conn.execute("COMMIT")
                    self.transactions_here += 1
                except BaseException:
                    rollback(conn)
                    raise
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", None) in TRY_A_THREAD:
                    raise _MoveToThread from exc
                raise
            return result

    async def lock(self, tx: Tx, name: str) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already holds the whole file."""

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[Worker]:
        """A pooled reader; every query in the block sees the same moment."""
        async with self._reader() as worker:
            await worker.run(begin, "BEGIN")
            try:
                yield worker
            finally:
                await worker.run(rollback)

    async def query(self, sql: str, params: Params = ()) -> list[Row]:
        """One SELECT's rows: on the event loop when it is small, else on a reader thread."""
        return (await self.read_many([(sql, params)]))[0]

    async def read_many(self, queries: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        """Several SELECTs from one snapshot: on the event loop's reader when they are
        small, else in one trip to a pooled reader's thread."""
        statements = [(sql, tuple(params)) for sql, params in queries]
        found = self._read_here(statements)
        if found is not None:
            self.reads_here += 1
            return found
        self.reads_moved += 1
        async with self._reader() as worker:
            return await worker.run(read_snapshot, statements)

    def _read_here(self, statements: list[tuple[str, tuple[Any, ...]]]) -> list[list[Row]] | None:
        """The rows, read on this thread; None when the read must go to a reader thread
        (it ran too long, the file was busy, or this is not the loop that opened us). On
        the loop's writer unless a transaction, whose writes are its own, is open there."""
        if self._here is None or threading.get_ident() != self._here_thread:
            return None
        writer = self._here_writer
        conn = writer if writer is not None and not writer.in_transaction else self._here
        try:
            self._budget.start()
            return read_snapshot(conn, statements)
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) in TRY_A_THREAD:
                return None
            raise

    async def execute(self, sql: str, params: Params = ()) -> list[Row]:
        """One write statement, atomic on its own, in turn with transactions.

        While the file is free it is committed at once on the loop's own writer. Otherwise
        (a transaction holds the file, or a group commit is waiting or on its way) it joins
        the group commit: statements that arrive while the writer is busy are committed
        together, one transaction and one trip to the writer's thread for the lot, each
        statement in its own savepoint so one failing leaves the others whole.
        """
        if not BATCHABLE.match(sql):  # PRAGMA, VACUUM and the like: on their own
            async with self._write_lock.hold():
                return await self._writer.fetchall(sql, params)
        if (rows := self._write_here(sql, tuple(params))) is not None:
            return rows
        self.writes_moved += 1
        done: asyncio.Future[list[Row]] = asyncio.get_running_loop().create_future()
        self._batch.append((sql, tuple(params), done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="sqlite-group-commit")
        return await asyncio.shield(done)

    def _write_here(self, sql: str, params: tuple[Any, ...]) -> list[Row] | None:
        """The statement run and committed on the loop's own writer; None when it must go
        to the writer's thread: the writer is busy or has statements waiting (they keep
        their order), the file is locked (by another process too), the statement ran past
        LOOP_BUDGET (rolled back), or this is not the loop that opened us."""
        if (conn := self._loop_writer()) is None:
            return None
        try:
            self._budget.start()
            rows = write_one(conn, sql, params)
        except sqlite3.IntegrityError as exc:
            raise violation(exc) from exc
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) in TRY_A_THREAD:
                return None
            raise
        self.writes_here += 1
        if self.writes_here % CHECKPOINT_EVERY == 0:
            self._checkpoint_later()
        return rows

    def _checkpoint_later(self) -> None:
        """Copy the log into the file on a pooled reader's thread (any connection may run
        a PASSIVE checkpoint), since the loop's writer never does; the write lock stays
        free, where under it every write of those milliseconds went to the group commit."""

        async def checkpoint() -> None:
            try:
                async with self._reader() as worker:
                    await worker.fetchall("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:
                log.warning("WAL checkpoint failed (%s)", type(exc).__name__)

        task = asyncio.create_task(checkpoint(), name="sqlite-checkpoint")
        self._checkpoints.add(task)
        task.add_done_callback(self._checkpoints.discard)

    async def _flush(self) -> None:
        while self._batch:
            async with self._write_lock.hold(batch=True):
                batch, self._batch = self._batch, []
                try:
                    outcomes = await self._writer.run(run_batch, [(q, p) for q, p, _ in batch])
                except BaseException as exc:  # the whole batch failed (or was cancelled)
                    for _, _, fut in batch:
                        if not fut.done():
                            fut.set_exception(
                                exc
                                if isinstance(exc, Exception)
                                else sqlite3.OperationalError("write cancelled")
                            )
                    if not isinstance(exc, Exception):
                        raise
                    continue
            for (_, _, fut), (rows, error) in zip(batch, outcomes, strict=True):
                if fut.done():
                    continue
                if error is not None:
                    fut.set_exception(error)
                else:
                    fut.set_result(rows)

    async def notify(self, channel: str, payload: str) -> None:
        """Nothing listens on SQLite; the other processes poll."""

    def listen(self, channel: str) -> AsyncGenerator[str, None] | None:
        return None

    async def scrub(self, tables: Sequence[str]) -> None:
        """``secure_delete`` already overwrote the freed content with zeros; copy those
        pages into the file and empty the write-ahead log, which still holds older copies.
        A reader in the middle of a snapshot keeps the log busy; we wait a little for it."""
        for attempt in range(CHECKPOINT_TRIES):
            rows = await self.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if rows and int(rows[0][0]) == 0:
                return
            await asyncio.sleep(0.05 * (attempt + 1))
        log.warning("WAL checkpoint stayed busy after %d tries", CHECKPOINT_TRIES)

    async def pragmas(self) -> dict[str, dict[str, Any]]:
        """The settings each connection runs with, by connection, for checks and diagnostics."""
        found: dict[str, dict[str, Any]] = {}
        async with self._write_lock.hold():
            found["writer"] = await self._writer.run(settings_of)
        async with self._reader() as worker:
            found["reader"] = await worker.run(settings_of)
        if self._here is not None:
            found["loop reader"] = settings_of(self._here)
        return found
