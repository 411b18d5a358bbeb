"""The SQLite file: its connections, pragmas and transactions.

One process holds a writer and a few readers on the file:

- a *writer*, on which every read-modify-write runs as one ``BEGIN IMMEDIATE``
  transaction. aiosqlite shares one connection between all coroutines, so an
  ``asyncio.Lock`` keeps them from interleaving inside a transaction;
- READERS *readers* (``query_only``), lent out one block at a time. In WAL mode a reader
  sees only committed data, so a read never observes another coroutine's half-done
  transaction, reads do not wait for writes, and several run at once (each connection
  has its own thread), so one busy channel does not queue everyone else's reads.

Other processes on the same file are kept in order by SQLite itself: ``BEGIN IMMEDIATE``
takes the write lock up front and ``busy_timeout`` waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import migrate

BUSY_TIMEOUT_MS = 5000
READERS = 4
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

    async def read_many(self, queries: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        """Several SELECTs from one snapshot, in one trip to a reader's thread (a whole
        bible, for instance), so a busy loop does not hold a reader across many trips."""
        statements = [(sql, tuple(params)) for sql, params in queries]
        async with self._reader() as conn:
            rows: list[list[Row]] = await conn._execute(  # type: ignore[no-untyped-call]
                _read_snapshot, conn._conn, statements
            )
            return rows

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
    """In a reader's thread: every query from one snapshot."""
    conn.execute("BEGIN")
    try:
        return [conn.execute(sql, params).fetchall() for sql, params in queries]
    finally:
        conn.execute("ROLLBACK")
