"""SQLite connections and what runs on their threads, for the driver (sqlite_db.py).

- ``Worker``: one ``sqlite3`` connection with the one thread that uses it (the writer, or
  a pooled reader);
- the event loop's own connections: a reader that never waits and stops a long read,
  and, for a file that asks for it, a writer that never waits for the file's lock;
- what runs on a worker's thread: a group commit (every statement in one transaction,
  each in a savepoint), a BEGIN the loop's budget never stops, a snapshot of several
  reads, a rollback that is safe to repeat, the settings a connection runs with.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from storage.sql import (
    ForeignKeyViolation,
    IntegrityViolation,
    Params,
    Row,
    UniqueViolation,
    fetchone,
)

BUSY_TIMEOUT_MS = 5000
READERS = 4
LOOP_BUDGET = 0.0005
"""Seconds a statement (or a snapshot of several reads) may run on the event loop before it
is stopped and run on a thread instead (a write is rolled back first)."""
PROGRESS_STEPS = 1000
"""SQLite VM instructions between two looks at the clock (``LoopBudget``)."""
CHECKPOINT_EVERY = 500
"""Commits on the loop's writer between two checkpoints, which the writer thread runs (the
loop's writer never checkpoints: a checkpoint syncs the file to disk)."""
TRY_A_THREAD = (sqlite3.SQLITE_INTERRUPT, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
BATCHABLE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
CHECKPOINT_TRIES = 20

_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA secure_delete = ON",
)

R = TypeVar("R")


def violation(exc: sqlite3.IntegrityError) -> IntegrityViolation:
    """SQLite's integrity error as the driver-neutral one."""
    text = str(exc)
    if "UNIQUE" in text or "PRIMARY KEY" in text:
        return UniqueViolation(text)
    if "FOREIGN KEY" in text:
        return ForeignKeyViolation(text)
    return IntegrityViolation(text)


def _rows(conn: sqlite3.Connection, sql: str, params: Params) -> list[Row]:
    try:
        return conn.execute(sql, tuple(params)).fetchall()
    except sqlite3.IntegrityError as exc:
        raise violation(exc) from exc


class LoopBudget:
    """The progress handler of the event loop's connections: it stops a statement once
    LOOP_BUDGET has passed since ``start``. (By time, not by a count of instructions:
    SQLite counts a cached statement's instructions across all its runs, so a count
    would also stop the 1,600th run of a small one.)"""

    def __init__(self) -> None:
        self.deadline = math.inf

    def start(self) -> None:
        self.deadline = time.perf_counter() + LOOP_BUDGET

    def lift(self) -> None:
        """No stop until the next ``start``: for the COMMIT or ROLLBACK that ends a
        transaction, which must run whole (the clock is looked at every PROGRESS_STEPS
        steps counted across a statement's runs, so sooner or later a look falls in one of
        them, and after a stopped statement the budget is always spent: a stopped ROLLBACK
        would leave the connection inside its transaction, the writer's lock held)."""
        self.deadline = math.inf

    def __call__(self) -> int:
        return 1 if time.perf_counter() > self.deadline else 0


class LoopConnection(sqlite3.Connection):
    """A connection of the event loop's, with the budget that stops its statements."""

    budget: LoopBudget | None = None


def end_whole(conn: sqlite3.Connection) -> None:
    """Let the statement that ends ``conn``'s transaction run whole."""
    if isinstance(conn, LoopConnection) and conn.budget is not None:
        conn.budget.lift()


def begin(conn: sqlite3.Connection, sql: str = "BEGIN IMMEDIATE") -> None:
    """Open ``conn``'s transaction (``sql``: BEGIN or BEGIN IMMEDIATE), never stopped by
    the budget; the budget starts again for the statements after it. SQLite also looks at
    the progress handler once a statement has run all its steps: a BEGIN stopped there
    raises "interrupted" with its transaction open, and for BEGIN IMMEDIATE the file's
    write lock held, which every other writer then waits for in vain. If BEGIN fails for
    any other reason, nothing is left open either."""
    end_whole(conn)
    try:
        conn.execute(sql)
    except BaseException:
        rollback(conn)
        raise
    if isinstance(conn, LoopConnection) and conn.budget is not None:
        conn.budget.start()


class HereTx:
    """A transaction on the event loop's own writer: each statement runs at once, on the
    loop's thread (no turn of the loop between two of them)."""

    def __init__(self, conn: sqlite3.Connection, budget: LoopBudget) -> None:
        self.conn = conn
        self.budget = budget

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        self.budget.start()
        return _rows(self.conn, sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        return await fetchone(self, sql, params)


class Worker:
    """One sqlite3 connection and the single thread that runs everything on it."""

    def __init__(self, conn: sqlite3.Connection, thread: ThreadPoolExecutor) -> None:
        self.conn = conn
        self._thread = thread

    @classmethod
    async def open(cls, path: Path, name: str, *, read_only: bool) -> Worker:
        thread = ThreadPoolExecutor(1, thread_name_prefix=name)
        try:
            conn = await asyncio.get_running_loop().run_in_executor(
                thread, _connect, path, read_only
            )
        except BaseException:
            thread.shutdown(wait=False)
            raise
        return cls(conn, thread)

    async def run(self, fn: Callable[..., R], *args: Any) -> R:
        """``fn(connection, *args)`` on the connection's thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, fn, self.conn, *args)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return await self.run(_rows, sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        return await fetchone(self, sql, params)

    async def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            await self.run(sqlite3.Connection.close)
        self._thread.shutdown(wait=True)


def _connect(
    path: Path, read_only: bool, factory: type[sqlite3.Connection] = sqlite3.Connection
) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; we BEGIN and COMMIT ourselves.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=factory)
    try:
        conn.row_factory = sqlite3.Row
        for pragma in _PRAGMAS:
            conn.execute(pragma)
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        else:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"could not switch {path} to WAL mode")
    except BaseException:
        conn.close()
        raise
    return conn


def connect_here(path: Path, budget: LoopBudget) -> sqlite3.Connection:
    """The event loop's own reader: never waits (busy_timeout 0) and is stopped by
    ``budget``; either way the read is then run on a reader thread."""
    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, factory=LoopConnection
    )
    conn.row_factory = sqlite3.Row
    return _on_the_loop(conn, budget, "PRAGMA query_only = ON")


def connect_here_writer(path: Path, budget: LoopBudget) -> sqlite3.Connection:
    """The event loop's own writer: it never waits for the file's lock (busy_timeout 0),
    is stopped by ``budget`` and never checkpoints; a statement that finds the file busy
    or runs long goes to the writer thread. Every statement on it runs inside BEGIN
    IMMEDIATE and COMMIT of its own, so a stopped one is surely rolled back."""
    conn = _connect(path, read_only=False, factory=LoopConnection)
    return _on_the_loop(conn, budget, "PRAGMA wal_autocheckpoint = 0")


def _on_the_loop(conn: sqlite3.Connection, budget: LoopBudget, pragma: str) -> sqlite3.Connection:
    """``conn`` set up for the event loop's thread: ``pragma``, no waiting for the file's
    lock, and stopped by ``budget`` (closed if any of it fails)."""
    try:
        conn.execute(pragma)
        conn.execute("PRAGMA busy_timeout = 0")
        assert isinstance(conn, LoopConnection)
        conn.budget = budget
        conn.set_progress_handler(budget, PROGRESS_STEPS)
    except BaseException:
        conn.close()
        raise
    return conn


def write_one(conn: sqlite3.Connection, sql: str, params: Params) -> list[Row]:
    """One statement in a transaction of its own (rolled back if it fails or is stopped)."""
    begin(conn)
    try:
        rows = conn.execute(sql, tuple(params)).fetchall()
        end_whole(conn)
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return rows


def rollback(conn: sqlite3.Connection) -> None:
    """A no-op when nothing is open, so it is safe even if the failure came during COMMIT."""
    if conn.in_transaction:
        end_whole(conn)
        conn.execute("ROLLBACK")


def run_batch(
    conn: sqlite3.Connection, statements: list[tuple[str, Params]]
) -> list[tuple[list[Row], Exception | None]]:
    """In the writer's thread: every statement in one transaction, each in a savepoint."""
    outcomes: list[tuple[list[Row], Exception | None]] = []
    begin(conn)
    try:
        for sql, params in statements:
            conn.execute("SAVEPOINT one")
            try:
                rows = conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK TO one")
                conn.execute("RELEASE one")
                error = violation(exc) if isinstance(exc, sqlite3.IntegrityError) else exc
                outcomes.append(([], error))
                continue
            conn.execute("RELEASE one")
            outcomes.append((rows, None))
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return outcomes


def read_snapshot(
    conn: sqlite3.Connection, queries: list[tuple[str, tuple[Any, ...]]]
) -> list[list[Row]]:
    """Every query from one snapshot (one statement is a snapshot on its own)."""
    if len(queries) == 1:
        sql, params = queries[0]
        return [conn.execute(sql, params).fetchall()]
    begin(conn, "BEGIN")
    try:
        return [conn.execute(sql, params).fetchall() for sql, params in queries]
    finally:
        rollback(conn)


SETTINGS = (
    "journal_mode",
    "foreign_keys",
    "busy_timeout",
    "synchronous",
    "secure_delete",
    "query_only",
    "user_version",
)


def settings_of(conn: sqlite3.Connection) -> dict[str, Any]:
    """The SETTINGS ``conn`` runs with (for checks and diagnostics)."""
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in SETTINGS}
