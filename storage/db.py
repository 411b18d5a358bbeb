"""The SQLite file: its connections, pragmas and transactions.

One process holds a writer and several readers on the file:

- a *writer*, on which every read-modify-write runs as one ``BEGIN IMMEDIATE``
  transaction. aiosqlite shares one connection between all coroutines, so an
  ``asyncio.Lock`` keeps them from interleaving inside a transaction;
- READERS *readers* (``query_only``), lent out one block at a time. In WAL mode a reader
  sees only committed data, so a read never observes another coroutine's half-done
  transaction, reads do not wait for writes, and several run at once (each connection
  has its own thread), so one busy channel does not queue everyone else's reads;
- a reader on the event loop's own thread, for ``query`` and ``read_many``. Nearly every
  read is a point lookup or one story's bible: tens of microseconds in SQLite, far less
  than handing it to a thread and back (two cross-thread wake-ups and GIL hand-offs,
  which under load cost more CPU than the rest of a command). A read that runs past
  LOOP_READ_STEPS of SQLite's virtual machine, or finds the file busy, is stopped and
  run on a pooled reader instead, so the loop is never held for long.

Other processes on the same file are kept in order by SQLite itself: ``BEGIN IMMEDIATE``
takes the write lock up front and ``busy_timeout`` waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import migrate

BUSY_TIMEOUT_MS = 5000
READERS = 4
LOOP_READ_STEPS = 50_000
"""SQLite VM instructions one statement may run on the event loop (about half a millisecond)
before it is stopped and run on a reader thread instead."""
_TRY_A_THREAD = (sqlite3.SQLITE_INTERRUPT, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_BATCHABLE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)

_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA secure_delete = ON",
)

Row = sqlite3.Row
Params = Iterable[Any]


async def _connect(path: Path, *, read_only: bool) -> aiosqlite.Connection:
    # isolation_level=None: no implicit transactions; we BEGIN and COMMIT ourselves.
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        for pragma in _PRAGMAS:
            await conn.execute_fetchall(pragma)
        if read_only:
            await conn.execute_fetchall("PRAGMA query_only = ON")
        else:
            mode = await conn.execute_fetchall("PRAGMA journal_mode = WAL")
            if str(next(iter(mode))[0]).lower() != "wal":
                raise sqlite3.OperationalError(f"could not switch {path} to WAL mode")
    except BaseException:
        await conn.close()
        raise
    return conn


def _connect_here(path: Path) -> sqlite3.Connection:
    """The event loop's own reader: never waits (busy_timeout 0) and stops a statement
    after LOOP_READ_STEPS; either way the read is then run on a reader thread."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA busy_timeout = 0")
        conn.set_progress_handler(lambda: 1, LOOP_READ_STEPS)
    except BaseException:
        conn.close()
        raise
    return conn


class Database:
    """An open SQLite file with a locked writer and a small pool of readers."""

    def __init__(
        self,
        path: Path,
        writer: aiosqlite.Connection,
        readers: list[aiosqlite.Connection],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.clock = clock
        self._writer = writer
        self._readers = list(readers)
        self._here: sqlite3.Connection | None = _connect_here(path)
        self._here_thread = threading.get_ident()
        self.reads_here = 0
        self.reads_moved = 0
        """Reads answered on the loop, and reads sent on to a thread (too big or busy)."""
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for conn in self._readers:
            self._idle.put_nowait(conn)
        self._write_lock = asyncio.Lock()
        self._batch: list[tuple[str, Params, asyncio.Future[list[Row]]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def open(
        cls, path: Path, clock: Callable[[], float] = time.time, readers: int = READERS
    ) -> Database:
        """Open (creating it and its folder if needed) and migrate to the current schema."""
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await _connect(path, read_only=False)
        opened: list[aiosqlite.Connection] = []
        try:
            await migrate(writer)
            for _ in range(max(1, readers)):
                opened.append(await _connect(path, read_only=True))
        except BaseException:
            for conn in opened:
                await conn.close()
            await writer.close()
            raise
        return cls(path, writer, opened, clock)

    async def close(self) -> None:
        """Wait for the transaction and the reads in progress, then close. Idempotent."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)
        async with self._write_lock:
            if self._closed:
                return
            self._closed = True
            for _ in self._readers:  # every reader back in the pool: no read in flight
                await self._idle.get()
            with contextlib.suppress(sqlite3.Error):
                await self._writer.execute_fetchall("PRAGMA optimize")
            if self._here is not None:
                self._here.close()
                self._here = None
            for conn in self._readers:
                await conn.close()
            await self._writer.close()

    @contextlib.asynccontextmanager
    async def _reader(self) -> AsyncIterator[aiosqlite.Connection]:
        conn = await self._idle.get()
        try:
            yield conn
        finally:
            self._idle.put_nowait(conn)

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: committed if the block ends, rolled back if it raises."""
        async with self._write_lock:
            conn = self._writer
            await conn.execute_fetchall("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                # rollback() is a no-op when nothing is open, so this is safe even if
                # the failure (or a cancellation) came during COMMIT.
                await conn.rollback()
                raise
            try:
                await conn.commit()
            except BaseException:
                await conn.rollback()
                raise

    @contextlib.asynccontextmanager
    async def read(self, *, snapshot: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """The reader. With ``snapshot`` every query in the block sees the same moment;
        without, each query sees the latest commit (fewer round trips for lookups)."""
        async with self._reader() as conn:
            if not snapshot:
                yield conn
                return
            await conn.execute_fetchall("BEGIN")
            try:
                yield conn
            finally:
                await conn.rollback()

    async def query(self, sql: str, params: Params = ()) -> list[Row]:
        """One SELECT's rows: on the event loop when it is small, else on a reader thread."""
        return (await self.read_many([(sql, params)]))[0]

    async def read_many(self, queries: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        """Several SELECTs from one snapshot (a whole bible, for instance): on the event
        loop's reader when they are small, else in one trip to a pooled reader's thread."""
        statements = [(sql, tuple(params)) for sql, params in queries]
        found = self._read_here(statements)
        if found is not None:
            self.reads_here += 1
            return found
        self.reads_moved += 1
        async with self._reader() as conn:
            rows: list[list[Row]] = await conn._execute(  # type: ignore[no-untyped-call]
                _read_snapshot, conn._conn, statements
            )
            return rows

    def _read_here(self, statements: list[tuple[str, tuple[Any, ...]]]) -> list[list[Row]] | None:
        """The rows, read on this thread; None when the read must go to a reader thread
        (it ran too long, the file was busy, or this is not the loop that opened us)."""
        if self._here is None or threading.get_ident() != self._here_thread:
            return None
        try:
            return _read_snapshot(self._here, statements)
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) in _TRY_A_THREAD:
                return None
            raise

    async def execute(self, sql: str, params: Params = ()) -> list[Row]:
        """One write statement, atomic on its own, in turn with transactions.

        Statements that arrive while the writer is busy are committed together (group
        commit): one transaction and one trip to the writer's thread for the lot, each
        statement in its own savepoint so one failing leaves the others whole. Under load
        (hundreds of channels at once) this is what keeps job and thread bookkeeping off
        the writers' critical path; alone, a statement costs what it did.
        """
        if not _BATCHABLE.match(sql):  # PRAGMA, VACUUM and the like: on their own
            async with self._write_lock:
                return list(await self._writer.execute_fetchall(sql, params))
        done: asyncio.Future[list[Row]] = asyncio.get_running_loop().create_future()
        self._batch.append((sql, tuple(params), done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="sqlite-group-commit")
        return await asyncio.shield(done)

    async def _flush(self) -> None:
        while self._batch:
            async with self._write_lock:
                batch, self._batch = self._batch, []
                try:
                    # aiosqlite's own way to run a function on the connection's thread
                    # (its public methods use it); one trip for the whole batch.
                    outcomes = await self._writer._execute(  # type: ignore[no-untyped-call]
                        _run_batch, self._writer._conn, [(q, p) for q, p, _ in batch]
                    )
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

    async def pragmas(self) -> dict[str, dict[str, Any]]:
        """The settings each connection runs with, by connection, for checks and diagnostics."""
        names = (
            "journal_mode",
            "foreign_keys",
            "busy_timeout",
            "synchronous",
            "secure_delete",
            "query_only",
            "user_version",
        )
        found: dict[str, dict[str, Any]] = {}

        async def read(conn: aiosqlite.Connection) -> dict[str, Any]:
            return {n: next(iter(await conn.execute_fetchall(f"PRAGMA {n}")))[0] for n in names}

        async with self._write_lock:
            found["writer"] = await read(self._writer)
        async with self._reader() as conn:
            found["reader"] = await read(conn)
        if self._here is not None:
            here = self._here.execute
            found["loop reader"] = {n: here(f"PRAGMA {n}").fetchone()[0] for n in names}
        return found


async def fetchall(conn: aiosqlite.Connection, sql: str, params: Params = ()) -> list[Row]:
    """One query inside a transaction already open on ``conn``."""
    return list(await conn.execute_fetchall(sql, params))


async def fetchone(conn: aiosqlite.Connection, sql: str, params: Params = ()) -> Row | None:
    rows = await fetchall(conn, sql, params)
    return rows[0] if rows else None


def _run_batch(
    conn: sqlite3.Connection, statements: list[tuple[str, Params]]
) -> list[tuple[list[Row], Exception | None]]:
    """In the writer's thread: every statement in one transaction, each in a savepoint."""
    outcomes: list[tuple[list[Row], Exception | None]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql, params in statements:
            conn.execute("SAVEPOINT one")
            try:
                rows = conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK TO one")
                conn.execute("RELEASE one")
                outcomes.append(([], exc))
                continue
            conn.execute("RELEASE one")
            outcomes.append((rows, None))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _read_snapshot(
    conn: sqlite3.Connection, queries: list[tuple[str, tuple[Any, ...]]]
) -> list[list[Row]]:
    """Every query from one snapshot (one statement is a snapshot on its own)."""
    if len(queries) == 1:
        sql, params = queries[0]
        return [conn.execute(sql, params).fetchall()]
    conn.execute("BEGIN")
    try:
        return [conn.execute(sql, params).fetchall() for sql, params in queries]
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
