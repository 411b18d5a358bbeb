"""What only the SQLite driver promises: the file, its pragmas, migrations, transactions."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from core.models import (
    CHARACTER_FIELDS,
    STORY_FIELDS,
    Character,
    Story,
    StoryKey,
    new_character,
)
from core.types import Author
from storage import SQLStore, open_store
from storage.sqlite_db import SQLiteDatabase
from storage.sqlite_schema import MIGRATIONS, SCHEMA_VERSION, SchemaTooNew, migrate

pytestmark = pytest.mark.timeout(20)

TABLES = {
    "stories",
    "characters",
    "locations",
    "beats",
    "scenes",
    "notes",
    "revisions",
    "conversations",
    "conversation_messages",
    "jobs",
    "usage",
}


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows}


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        return int(raw.execute("PRAGMA user_version").fetchone()[0])


def sqlite_db(store: SQLStore) -> SQLiteDatabase:
    db = store.database
    assert isinstance(db, SQLiteDatabase)
    return db


def sqlite_path(store: SQLStore) -> Path:
    return sqlite_db(store).path


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SQLStore]:
    store = await open_store(tmp_path / "nested" / "dir" / "bible.db")
    yield store
    await store.close()


async def test_open_creates_the_folders_and_a_current_schema(sqlite_store: SQLStore) -> None:
    assert sqlite_path(sqlite_store).exists()
    assert tables(sqlite_path(sqlite_store)) >= TABLES
    assert user_version(sqlite_path(sqlite_store)) == SCHEMA_VERSION == len(MIGRATIONS)


async def test_connections_run_with_wal_foreign_keys_busy_timeout_and_secure_delete(
    sqlite_store: SQLStore,
) -> None:
    pragmas = await sqlite_db(sqlite_store).pragmas()

    for role in ("writer", "reader"):
        p = pragmas[role]
        assert (p["journal_mode"], p["foreign_keys"], p["busy_timeout"]) == ("wal", 1, 5000)
        assert (p["synchronous"], p["secure_delete"]) == (1, 1)  # NORMAL, ON
    assert (pragmas["writer"]["query_only"], pragmas["reader"]["query_only"]) == (0, 1)


async def test_migrating_an_empty_database_applies_every_step_in_order(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    with sqlite3.connect(path, isolation_level=None) as conn:
        assert migrate(conn) == len(MIGRATIONS)
        assert migrate(conn) == 0  # up to date: nothing runs
    assert user_version(path) == SCHEMA_VERSION
    assert tables(path) >= TABLES


async def test_an_older_database_gets_only_the_steps_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path, isolation_level=None) as conn:
        assert migrate(conn, MIGRATIONS[:1]) == 1
    assert "conversations" not in tables(path)

    store = await open_store(path)
    await store.close()

    assert user_version(path) == SCHEMA_VERSION
    assert tables(path) >= TABLES


async def test_reopening_an_up_to_date_database_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    store = await open_store(path)
    await store.close()
    with sqlite3.connect(path) as raw:
        schema = raw.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()

    store = await open_store(path)
    await store.close()

    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert user_version(path) == SCHEMA_VERSION


async def test_a_failing_migration_step_leaves_the_last_whole_version(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x INTEGER)", "THIS IS NOT SQL"))
    with (
        sqlite3.connect(path, isolation_level=None) as conn,
        pytest.raises(sqlite3.OperationalError),
    ):
        migrate(conn, broken)

    assert user_version(path) == SCHEMA_VERSION
    assert "extra" not in tables(path)


async def test_a_database_from_a_newer_version_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")

    with pytest.raises(SchemaTooNew) as raised:
        await open_store(path)

    assert f"schema version {SCHEMA_VERSION + 5}" in str(raised.value)
    assert "Upgrade writersroom" in str(raised.value)
    assert user_version(path) == SCHEMA_VERSION + 5


async def test_every_sheet_and_story_field_has_a_column(sqlite_store: SQLStore) -> None:
    with sqlite3.connect(sqlite_path(sqlite_store)) as raw:
        characters = {r[1] for r in raw.execute("PRAGMA table_info(characters)")}
        stories = {r[1] for r in raw.execute("PRAGMA table_info(stories)")}

    assert (
        set(CHARACTER_FIELDS) | {"name", "name_key", "image_seed", "reference_image"} <= characters
    )
    assert set(STORY_FIELDS) | {"status", "created_by", "created_at"} <= stories


async def test_revisions_cannot_be_rewritten(sqlite_store: SQLStore) -> None:
    await sqlite_store.ensure_story(("t", "w", "c"), Author("U1", "Ann"))

    with (
        sqlite3.connect(sqlite_path(sqlite_store)) as raw,
        pytest.raises(sqlite3.IntegrityError, match="append-only"),
    ):
        raw.execute("UPDATE revisions SET summary = 'rewritten'")


async def test_the_schema_itself_allows_one_active_story_per_channel(
    sqlite_store: SQLStore,
) -> None:
    await sqlite_store.ensure_story(("t", "w", "c"), Author("U1", "Ann"))

    with sqlite3.connect(sqlite_path(sqlite_store)) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "INSERT INTO stories (platform, workspace, channel, created_at) "
            "VALUES ('t', 'w', 'c', 0)"
        )


async def test_reads_never_see_a_transaction_that_has_not_committed(
    sqlite_store: SQLStore,
) -> None:
    key: StoryKey = ("t", "w", "c")
    story = await sqlite_store.ensure_story(key, Author("U1", "Ann"))

    async with sqlite_store.database.write() as conn:
        await conn.fetchall("UPDATE stories SET title = 'Secret' WHERE id = ?", (story.id,))
        during = await sqlite_store.active_story(key)

    assert during == story
    after = await sqlite_store.active_story(key)
    assert after is not None and after.title == "Secret"


async def test_a_cancelled_transaction_is_rolled_back_and_the_store_goes_on(
    sqlite_store: SQLStore,
) -> None:
    key: StoryKey = ("t", "w", "c")
    story = await sqlite_store.ensure_story(key, Author("U1", "Ann"))
    started = asyncio.Event()

    async def slow_edit() -> None:
        async with sqlite_store.database.write() as conn:
            await conn.fetchall("UPDATE stories SET title = 'Half' WHERE id = ?", (story.id,))
            started.set()
            await asyncio.sleep(30)

    task = asyncio.create_task(slow_edit())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert await sqlite_store.active_story(key) == story
    updated = await sqlite_store.update_story(
        story.id, lambda s: dataclasses.replace(s, title="Whole"), Author("U1", "Ann"), "retitled"
    )
    assert updated.title == "Whole"


async def test_two_stores_on_one_file_lose_no_edits(tmp_path: Path) -> None:
    """Like two bot processes on one database: SQLite's own lock keeps them in turn."""
    path = tmp_path / "shared.db"
    first, second = await open_store(path), await open_store(path)
    try:
        ann = Author("U1", "Ann")
        story = await first.ensure_story(("t", "w", "c"), ann)
        await first.add_character(story.id, new_character("Mara"), ann)

        def append(token: str) -> Callable[[Character], Character]:
            return lambda c: dataclasses.replace(c, backstory=f"{c.backstory} {token}".strip())

        await asyncio.gather(
            *(
                (first if i % 2 else second).update_character(
                    story.id, "Mara", append(f"t{i}"), ann, "x"
                )
                for i in range(30)
            )
        )

        final = await second.find_character(story.id, "mara")
        assert final is not None
        assert sorted(final.backstory.split()) == sorted(f"t{i}" for i in range(30))
    finally:
        await first.close()
        await second.close()


async def test_deleting_a_story_cascades_to_everything_it_owns(sqlite_store: SQLStore) -> None:
    """Foreign keys cascade, so nothing of a deleted story is left behind."""
    ann = Author("U1", "Ann")
    story = await sqlite_store.ensure_story(("t", "w", "c"), ann)
    await sqlite_store.add_character(story.id, new_character("Mara"), ann)
    await sqlite_store.create_conversation(("t", "w", "c", "th"), story.id, "synopsis", "", {}, 1)
    conv = await sqlite_store.conversation_at(("t", "w", "c", "th"))
    assert conv is not None
    await sqlite_store.add_message(conv.id, "user", "Ann", "hi")

    async with sqlite_store.database.write() as conn:
        await conn.fetchall("DELETE FROM stories WHERE id = ?", (story.id,))

    with sqlite3.connect(sqlite_path(sqlite_store)) as raw:
        for table in TABLES - {"stories", "jobs", "usage"}:
            assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


async def test_closing_twice_is_harmless(tmp_path: Path) -> None:
    store = await open_store(tmp_path / "w.db")
    await store.close()
    await store.close()


def test_story_dataclass_round_trips_through_its_row() -> None:
    from storage.rows import STORIES

    story = Story(
        id=3,
        key=("a", "b", "c"),
        title="T",
        logline="L",
        status="archived",
        created_by="U",
        created_at=1.5,
    )
    row = {"id": 3, **STORIES.to_row(story)}

    assert STORIES.from_row(row) == story  # type: ignore[arg-type]


async def test_statements_committed_together_still_fail_alone(tmp_path: Path) -> None:
    """Group commit: concurrent single statements share a transaction, but a failing one
    is rolled back to its savepoint and the others are kept."""
    from storage.sql import ForeignKeyViolation

    db = await SQLiteDatabase.open(tmp_path / "g.db")
    try:
        await db.execute(
            "INSERT INTO usage (platform, workspace, channel, user_id, engine, at) "
            "VALUES ('t', 'w', 'c', 'u', 'e', 1)"
        )
        bad = (
            "INSERT INTO conversation_messages (conversation_id, role, author, text, at) "
            "VALUES (999, 'user', 'a', 'orphan', 1)"
        )  # no such conversation: FK error
        good = (
            "INSERT INTO usage (platform, workspace, channel, user_id, engine, at) "
            "VALUES ('t', 'w', 'c', 'u', 'e', 2) RETURNING id"
        )
        results = await asyncio.gather(
            *(db.execute(good) for _ in range(20)),
            db.execute(bad),
            *(db.execute(good) for _ in range(20)),
            return_exceptions=True,
        )
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1 and isinstance(errors[0], ForeignKeyViolation)
        ids = [r[0][0] for r in results if not isinstance(r, Exception)]
        assert len(set(ids)) == 40
        async with db.read() as conn:
            rows = await conn.fetchall("SELECT count(*) FROM usage")
            orphans = await conn.fetchall("SELECT count(*) FROM conversation_messages")
        assert rows[0][0] == 41 and orphans[0][0] == 0
    finally:
        await db.close()


async def test_accepted_requests_live_in_their_own_file_and_leave_no_text(
    sqlite_store: SQLStore,
) -> None:
    """Keeping a request never waits behind the main file's writer (a file of its own),
    and a handled request's text is not left in that file."""
    from storage.accepted import AcceptedRequest
    from storage.store import requests_path

    path = requests_path(sqlite_path(sqlite_store))
    assert path.name == "bible-requests.db" and path.exists()
    phrase = "a unique phrase about the tape"
    await sqlite_store.accept_request(
        AcceptedRequest("r1", "slack", "p1", f"text={phrase}", "form", 1.0)
    )
    kept = await sqlite_store.requests_database.query("SELECT body FROM accepted_requests")
    assert [r["body"] for r in kept] == [f"text={phrase}"]
    assert not await sqlite_store.database.query(
        "SELECT name FROM sqlite_master WHERE name = 'accepted_requests'"
    )
    await sqlite_store.finish_request("r1")
    await sqlite_store.close()
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    assert files and not any(phrase.encode() in p.read_bytes() for p in files)


async def test_keeping_a_request_never_blocks_the_loop_on_a_busy_file(
    sqlite_store: SQLStore,
) -> None:
    """Requests are written on the loop's own connection when their file is free; when
    another process holds its lock, the write waits on the writer thread, not the loop."""
    from storage.accepted import AcceptedRequest
    from storage.store import requests_path

    other = sqlite3.connect(requests_path(sqlite_path(sqlite_store)), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process mid-write
    keep = asyncio.create_task(
        sqlite_store.accept_request(AcceptedRequest("r2", "slack", "p1", "b", "form", 1.0))
    )
    ticks = 0
    for _ in range(5):  # the loop goes on while the write waits for the lock
        await asyncio.sleep(0.01)
        ticks += 1
    assert ticks == 5 and not keep.done()
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(keep, 5)
    rows = await sqlite_store.requests_database.query("SELECT key FROM accepted_requests")
    assert [r["key"] for r in rows] == ["r2"]
