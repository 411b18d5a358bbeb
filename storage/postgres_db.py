"""The PostgreSQL driver of ``storage.sql.Database``: psycopg 3 with a connection pool.

Why psycopg 3 (not asyncpg): it is the driver the job queue (procrastinate) runs on, so one
pool library, one set of connection settings and one way of reporting errors serve both;
it speaks libpq URLs as they are, has native asyncio, LISTEN/NOTIFY, pipelines and a
maintained pool (psycopg_pool) that checks connections and reconnects by itself after
the server restarts.

Unlike SQLite, PostgreSQL runs writers concurrently: every read-modify-write of a story
locks the story's row (``for_update``), and a broken constraint comes back as the
driver-neutral ``UniqueViolation`` / ``ForeignKeyViolation``. Connections run in
autocommit; ``write()`` and ``read()`` open their own transaction. The roles' SQL uses
``?`` placeholders; they become ``%s`` here, once per statement text.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import time
import weakref
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Sequence,
)
from typing import Any, TypeVar
from urllib.parse import unquote

from core.errors import ConfigError, MissingExtra
from storage import postgres_schema
from storage.sql import (
    Dialect,
    ForeignKeyViolation,
    IntegrityViolation,
    Params,
    Row,
    Tx,
    UniqueViolation,
)

try:
    import psycopg
    import psycopg.errors
    import psycopg.sql
    from psycopg_pool import AsyncConnectionPool
except ImportError as exc:  # pragma: no cover - the extra is installed in tests
    raise MissingExtra("postgres", "psycopg", "PostgreSQL storage (WRITERSROOM_DB)") from exc

T = TypeVar("T")

log = logging.getLogger(__name__)

POOL_MIN = 2
POOL_MAX = 20
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the server at start, and for a free pooled connection later."""
CHECK_IDLE_AFTER = 0.25
"""A pooled connection that sat unused longer than this (seconds) is checked with a
round trip before it is handed out, so one left broken by a server restart is replaced
instead of failing a command; one back in the pool within it goes straight to work
(under load they come back in milliseconds, and a check would be one round trip of
every query's two). After a connection fails as if the server went away, every idle one
is checked once (``_IdleCheck.distrust``)."""
DEAD_ON_ARRIVAL = 0.1
"""A statement that the server's shutdown message answers within this was sent on a
connection already ended (a running one takes its time to be ended): it is sent again."""

_TOKENS = re.compile(r"'(?:[^']|'')*'|\?|%")


@functools.lru_cache(maxsize=2048)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` as ``%%``), leaving
    quoted strings alone."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        return "%s" if token == "?" else "%%" if token == "%" else token

    return _TOKENS.sub(swap, sql)


_PASSWORD_PARAM = re.compile(
    r"(\b(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s#]*)", re.IGNORECASE
)
"""A ``password=`` (or ``sslpassword=``) in a URL's query or in a ``key=value`` conninfo."""


def _userinfo(url: str) -> tuple[str, str, str] | None:
    """``url`` as (scheme and user, password, the rest) when it carries a password. The
    userinfo ends at the last "@" before the query, so a password with an unencoded "@"
    or "/" in it is still all of it."""
    scheme, sep, rest = url.partition("://")
    head, query_mark, query = rest.partition("?")
    userinfo, at, host = head.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return None
    user, _, password = userinfo.partition(":")
    return f"{scheme}://{user}", password, f"@{host}{query_mark}{query}"


def shown(url: str) -> str:
    """The URL without its passwords (the userinfo's and a ``password=`` parameter's), for
    messages and logs."""
    masked = _PASSWORD_PARAM.sub(r"\g<1>***", url)
    parts = _userinfo(masked)
    return masked if parts is None else f"{parts[0]}:***{parts[2]}"


def _passwords(url: str) -> set[str]:
    """Every password ``url`` carries, as written and percent-decoded: what a driver's
    error may quote back."""
    parts = _userinfo(url)
    found = {parts[1]} if parts else set()
    found |= {m.group(2).strip("'") for m in _PASSWORD_PARAM.finditer(url)}
    found |= {unquote(p) for p in found}
    return {p for p in found if p}


def scrubbed(reason: str, url: str) -> str:
    """A driver's error about ``url`` fit to show. libpq quotes what it could not read of a
    URL ("invalid percent-encoded token: …", or the whole URL), and that may be the
    password."""
    reason = reason.replace(url, shown(url))
    for password in sorted(_passwords(url), key=len, reverse=True):
        reason = reason.replace(password, "***")
    return _PASSWORD_PARAM.sub(r"\g<1>***", reason)


class Record:
    """A row read by column name or position, like ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str, /) -> Any:
        return self._values[self._index[key] if isinstance(key, str) else key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Record({dict(zip(self._index, self._values, strict=True))!r})"


def _records(cursor: Any) -> Callable[[Sequence[Any]], Record]:
    """psycopg row factory: ``Record`` rows sharing one name index per result."""
    description = cursor.description or ()
    index = {column.name: i for i, column in enumerate(description)}
    return lambda values: Record(values, index)


def violation(exc: psycopg.errors.IntegrityError) -> IntegrityViolation:
    """The refusal as the drivers share it, by its primary message and constraint only:
    PostgreSQL's full message adds "DETAIL: Key (name)=(…)", the refused values, which
    may be story text, and a refusal can end up in a logged traceback (the caller raises
    it ``from None`` for the same reason)."""
    constraint = exc.diag.constraint_name
    message = exc.diag.message_primary or type(exc).__name__
    if isinstance(exc, psycopg.errors.UniqueViolation):
        return UniqueViolation(message, constraint)
    if isinstance(exc, psycopg.errors.ForeignKeyViolation):
        return ForeignKeyViolation(message, constraint)
    return IntegrityViolation(message, constraint)


async def _rows(conn: Any, sql: str, params: Params) -> list[Row]:
    try:
        cursor = await conn.execute(to_pyformat(sql), tuple(params))
    except psycopg.errors.IntegrityError as exc:
        raise violation(exc) from None
    if cursor.description is None:
        return []
    rows: list[Row] = await cursor.fetchall()
    return rows


class _IdleCheck:
    """The pool's check, made only on connections that sat idle (``CHECK_IDLE_AFTER``)."""

    def __init__(self, after: float) -> None:
        self.after = after
        self._back: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    async def returned(self, conn: Any) -> None:
        self._back[conn] = time.monotonic()

    async def check(self, conn: Any) -> None:
        back = self._back.get(conn)
        if back is None or time.monotonic() - back > self.after:
            await AsyncConnectionPool.check_connection(conn)

    def distrust(self) -> None:
        """A connection failed as if the server went away: every connection now waiting
        in the pool is checked before its next use, however recently it came back (one
        returned just before a restart is as dead as the one that failed)."""
        self._back.clear()


@contextlib.asynccontextmanager
async def _snapshot(conn: Any) -> AsyncIterator[None]:
    """A read-only transaction that sees one moment, rolled back at its end."""
    await conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        yield
    finally:
        await conn.execute("ROLLBACK")


class PgTx:
    """A pooled connection inside a transaction."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return await _rows(self.conn, sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None


class PostgresDatabase:
    """A PostgreSQL database behind a pool of autocommit connections."""

    dialect: Dialect = "postgresql"
    for_update = " FOR UPDATE"

    def __init__(
        self,
        pool: Any,
        url: str,
        clock: Callable[[], float] = time.time,
        idle: _IdleCheck | None = None,
    ) -> None:
        self.pool = pool
        self.url = url
        self.clock = clock
        self.idle = idle or _IdleCheck(CHECK_IDLE_AFTER)

    @contextlib.asynccontextmanager
    async def _pooled(self) -> AsyncIterator[Any]:
        """A pooled connection; a connection-level failure on it (the server restarted,
        the network went) makes the pool check every idle connection before reuse."""
        async with self.pool.connection() as conn:
            try:
                yield conn
            except psycopg.OperationalError:
                self.idle.distrust()
                raise

    async def _statement(self, sql: str, params: Params) -> list[Row]:
        """One statement on its own. On a connection the server had already ended (one
        back in the pool just before a restart, too recently to be checked), it fails
        at once with ``AdminShutdown`` and nothing ran: it is sent once more on a fresh
        connection. One ended while it ran (a restart in its middle) fails as it is."""
        started = time.monotonic()
        try:
            async with self._pooled() as conn:
                return await _rows(conn, sql, params)
        except psycopg.errors.AdminShutdown:
            if time.monotonic() - started > DEAD_ON_ARRIVAL:
                raise
            log.info("a pooled connection had been ended by the server; sending on a fresh one")
        async with self._pooled() as conn:
            return await _rows(conn, sql, params)

    @classmethod
    async def open(
        cls,
        url: str,
        clock: Callable[[], float] = time.time,
        *,
        min_size: int = POOL_MIN,
        max_size: int = POOL_MAX,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> PostgresDatabase:
        """Connect, migrate (once, under an advisory lock) and open the pool.

        A wrong URL, a wrong password or a server that is down fails here with one
        ``ConfigError`` naming WRITERSROOM_DB and the server's reason, never the password."""
        try:
            first = await psycopg.AsyncConnection.connect(
                url, autocommit=True, connect_timeout=max(1, int(connect_timeout))
            )
        except (psycopg.Error, ValueError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            reason = scrubbed(reason, url)
            raise ConfigError(
                f"WRITERSROOM_DB: cannot open the PostgreSQL database {shown(url)}: {reason}"
            ) from None
        try:
            await postgres_schema.migrate(first)
        finally:
            await first.close()
        idle = _IdleCheck(CHECK_IDLE_AFTER)
        pool = AsyncConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            kwargs={"autocommit": True, "row_factory": _records},
            open=False,
            timeout=connect_timeout,
            check=idle.check,
            reset=idle.returned,
            name="writersroom",
        )
        await pool.open(wait=True, timeout=connect_timeout)
        return cls(pool, url, clock, idle)

    async def close(self) -> None:
        await self.pool.close()

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[PgTx]:
        """One transaction: committed if the block ends, rolled back if it raises."""
        async with self._begun(lambda conn: conn.transaction()) as conn:
            yield PgTx(conn)

    @contextlib.asynccontextmanager
    async def _begun(
        self, begin: Callable[[Any], contextlib.AbstractAsyncContextManager[Any]]
    ) -> AsyncIterator[Any]:
        """A pooled connection with ``begin`` (a transaction) entered on it. A connection
        the server had already ended fails its BEGIN at once with ``AdminShutdown``, and
        nothing ran: the transaction begins on a fresh connection instead (as
        ``_statement`` sends its statement again)."""
        for attempt in (0, 1):
            started = time.monotonic()
            async with contextlib.AsyncExitStack() as stack:
                conn = await stack.enter_async_context(self._pooled())
                try:
                    await stack.enter_async_context(begin(conn))
                except psycopg.errors.AdminShutdown:
                    if attempt or time.monotonic() - started > DEAD_ON_ARRIVAL:
                        raise
                    log.info("a pooled connection had been ended by the server; beginning anew")
                    self.idle.distrust()
                    continue
                yield conn
                return

    async def transact(self, body: Callable[[Tx], Awaitable[T]]) -> T:
        """``body`` in one transaction (``write``: one round trip a statement already)."""
        async with self.write() as tx:
            return await body(tx)

    async def lock(self, tx: Tx, name: str) -> None:
        """A transaction-scoped advisory lock on the name's 64-bit hash."""
        await tx.fetchall("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (name,))

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[PgTx]:
        """A read-only snapshot: every query in the block sees the same moment."""
        async with self._begun(_snapshot) as conn:
            yield PgTx(conn)

    async def query(self, sql: str, params: Params = ()) -> list[Row]:
        return await self._statement(sql, params)

    async def read_many(self, queries: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        if len(queries) == 1:
            return [await self.query(*queries[0])]
        async with self.read() as tx:
            return [await tx.fetchall(sql, params) for sql, params in queries]

    async def execute(self, sql: str, params: Params = ()) -> list[Row]:
        return await self._statement(sql, params)

    async def notify(self, channel: str, payload: str) -> None:
        await self.execute("SELECT pg_notify(?, ?)", (channel, payload))

    def listen(self, channel: str) -> AsyncGenerator[str, None] | None:
        return self._listen(channel)

    async def _listen(self, channel: str) -> AsyncGenerator[str, None]:
        """LISTEN on a connection of its own (outside the pool, held while listening)."""
        conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
        try:
            await conn.execute(psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(channel)))
            async for note in conn.notifies():
                yield note.payload
        finally:
            await conn.close()

    async def scrub(self, tables: Sequence[str]) -> None:
        """Rewrite the tables (``VACUUM FULL``), so deleted rows leave the table files
        instead of lying there marked dead until the space is reused; indexes and TOAST
        are rebuilt with them. ``VACUUM FULL`` holds each table exclusively while it runs
        (docs/SECURITY.md says what that costs, and what WAL and backups keep). The old
        files are truncated at commit; a CHECKPOINT, where we may run one, unlinks them."""
        if not tables:
            return
        async with self.pool.connection() as conn:
            await conn.execute("VACUUM FULL " + ", ".join(tables))
            try:
                await conn.execute("CHECKPOINT")
            except psycopg.errors.InsufficientPrivilege:
                log.info("forget: no CHECKPOINT privilege; old table files go at the next one")
