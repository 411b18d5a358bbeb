"""The store: every role on one database, SQLite or PostgreSQL.

Each role (stories, cast, outline, revisions, conversations, jobs, usage, images,
forgetting, coordination, board links) is implemented once, in its own module, against
``storage.sql.Database``; ``SQLStore`` is them together over the database the setting
names.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from storage.accepted import AcceptedRequests
from storage.cast import Cast
from storage.conversations import Conversations
from storage.coordination import Coordination
from storage.feedback import FeedbackLog
from storage.forget import Forgetting
from storage.images import Images
from storage.installations import Installations
from storage.jobs import Jobs
from storage.links import Links
from storage.outline import Outline
from storage.revisions import Revisions
from storage.sql import Database
from storage.stories import Stories
from storage.usage import UsageLog

if TYPE_CHECKING:
    from storage.api import Store


class SQLStore(
    Stories,
    Revisions,
    Cast,
    Outline,
    Conversations,
    Jobs,
    UsageLog,
    Images,
    Forgetting,
    Coordination,
    AcceptedRequests,
    Installations,
    FeedbackLog,
    Links,
):
    """The story bible, conversations, jobs, usage and images on one database.

    Safe to share between coroutines and between processes: every read-modify-write is
    one transaction that locks the story it changes."""

    def __init__(self, db: Database, requests: Database | None = None) -> None:
        self._db = db
        self._requests = requests or db

    @property
    def database(self) -> Database:
        """The connections underneath, for maintenance and driver tests; commands use the
        roles' methods."""
        return self._db

    @property
    def requests_database(self) -> Database:
        """Where accepted requests are kept: the database itself on PostgreSQL, a file of
        their own beside it on SQLite (``requests_path``)."""
        return self._requests

    async def close(self) -> None:
        if self._requests is not self._db:
            await self._requests.close()
        await self._db.close()


def is_postgres_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


async def open_store(target: str | Path, *, clock: Callable[[], float] = time.time) -> SQLStore:
    """Open the database ``target`` names, migrated to the current schema: a
    ``postgresql://`` URL (the ``postgres`` extra), or a SQLite file path (created with
    its folders if missing).

    Raises ``SchemaTooNew`` for a database from a newer writersroom, and ``ConfigError``
    naming WRITERSROOM_DB when a PostgreSQL server cannot be reached or refuses us."""
    if is_postgres_url(target):
        from storage.postgres_db import PostgresDatabase

        return SQLStore(await PostgresDatabase.open(str(target), clock))
    from storage.sqlite_db import SQLiteDatabase
    from storage.sqlite_schema import REQUEST_MIGRATIONS

    db = await SQLiteDatabase.open(Path(target), clock)
    try:
        requests = await SQLiteDatabase.open(
            requests_path(Path(target)),
            clock,
            readers=1,
            migrations=REQUEST_MIGRATIONS,
        )
    except BaseException:
        await db.close()
        raise
    return SQLStore(db, requests)


def requests_path(path: Path) -> Path:
    """The SQLite file beside ``path`` that keeps accepted requests (writersroom.db ->
    writersroom-requests.db): its own writer, so keeping a request never waits behind the
    main file's transactions."""
    return path.with_name(f"{path.stem}-requests{path.suffix or '.db'}")


if TYPE_CHECKING:
    _conforms: type[Store] = SQLStore  # mypy proves SQLStore implements every role
