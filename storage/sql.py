"""What the storage roles need from a database, whichever database it is.

The roles (storage/stories.py, cast.py, outline.py, ...) are written once, in SQL that
SQLite and PostgreSQL both speak, with ``?`` placeholders. A driver implements
``Database`` for its engine (storage/sqlite_db.py, storage/postgres_db.py): connections,
transactions, placeholders, and the few things the engines do differently, which the
roles ask for by name (``for_update``, ``scrub``) instead of testing which engine it is.

Rules every driver keeps:
- ``write()`` is one transaction: committed when the block ends, rolled back if it raises;
- ``read()`` and ``read_many`` see one committed snapshot, never a half-done write;
- a broken constraint leaves as ``UniqueViolation`` or ``ForeignKeyViolation`` (the roles
  turn them into the writer's ``Conflict`` / ``NotFound``), whatever the engine said.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Literal, Protocol, TypeVar

from core.errors import WritersroomError

T = TypeVar("T")

Params = Sequence[Any]
Dialect = Literal["sqlite", "postgresql"]


class SchemaTooNew(WritersroomError):
    """The database was written by a newer writersroom than this one."""

    def __init__(self, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"The database has schema version {found}, but this writersroom only knows "
            f"versions up to {known}. Upgrade writersroom, or point WRITERSROOM_DB at "
            "another database."
        )


class Row(Protocol):
    """A result row, read by column name or position."""

    def __getitem__(self, key: int | str, /) -> Any: ...


class IntegrityViolation(Exception):
    """A statement broke a constraint; ``constraint`` names it where the engine says."""

    def __init__(self, message: str, constraint: str | None = None) -> None:
        super().__init__(message)
        self.constraint = constraint


class UniqueViolation(IntegrityViolation):
    """A row with that key already exists."""


class ForeignKeyViolation(IntegrityViolation):
    """A row points at one that does not exist (a story deleted meanwhile, say)."""


class Tx(Protocol):
    """A connection inside an open transaction (or snapshot)."""

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...


class Database(Protocol):
    dialect: Dialect
    clock: Callable[[], float]

    @property
    def for_update(self) -> str:
        """The clause that locks the rows a SELECT reads until the transaction ends
        (" FOR UPDATE"), or "" where one writer at a time already holds the whole file."""
        ...

    def write(self) -> AbstractAsyncContextManager[Tx]:
        """One read-modify-write transaction."""
        ...

    async def transact(self, body: Callable[[Tx], Awaitable[T]]) -> T:
        """``body`` in one write transaction, by the quickest way the driver has; it may
        run ``body`` again from the start (so ``body`` does nothing but its statements)."""
        ...

    async def lock(self, tx: Tx, name: str) -> None:
        """Hold a lock named ``name`` until ``tx`` ends, for changes that no single row
        can stand for (creating a channel's first story); a no-op where every writer
        holds the whole file."""
        ...

    def read(self) -> AbstractAsyncContextManager[Tx]:
        """Several queries that see the same committed moment."""
        ...

    async def query(self, sql: str, params: Params = ()) -> list[Row]:
        """One SELECT's rows."""
        ...

    async def read_many(self, queries: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        """Several SELECTs from one snapshot (a whole bible, for instance)."""
        ...

    async def execute(self, sql: str, params: Params = ()) -> list[Row]:
        """One write statement, atomic on its own (bookkeeping: jobs, messages, usage)."""
        ...

    async def notify(self, channel: str, payload: str) -> None:
        """Wake the listeners of ``channel`` (in any process); a no-op where nothing can
        listen."""
        ...

    def listen(self, channel: str) -> AsyncGenerator[str, None] | None:
        """Payloads sent to ``channel`` from now on, or None where the database cannot
        notify (then callers poll)."""
        ...

    async def scrub(self, tables: Sequence[str]) -> None:
        """Make rows deleted from ``tables`` unreadable in the database's files."""
        ...

    async def close(self) -> None: ...


def marks(values: Sequence[Any]) -> str:
    """``?, ?, ?`` for an IN list; ``NULL`` for an empty one (``x IN (NULL)`` is never true)."""
    return ", ".join("?" for _ in values) or "NULL"


async def fetchone(tx: Tx, sql: str, params: Params = ()) -> Row | None:
    """The first row, or None: what ``Tx.fetchone`` does, for drivers to share."""
    rows = await tx.fetchall(sql, params)
    return rows[0] if rows else None
