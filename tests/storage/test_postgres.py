"""What only the PostgreSQL driver promises: clear start-up failures, migrating once under
an advisory lock, the schema's rules, and riding out a server restart."""

from __future__ import annotations

import asyncio
import dataclasses

import psycopg
import pytest

from core.errors import ConfigError
from core.models import new_character
from core.types import Author
from storage import open_store
from storage.postgres_db import CHECK_IDLE_AFTER, PostgresDatabase, shown, to_pyformat
from storage.postgres_schema import SCHEMA_VERSION
from storage.sql import SchemaTooNew
from tests.pg import PASSWORD, Cluster, free_port

pytestmark = pytest.mark.timeout(60)
ANN = Author("U1", "Ann")


def test_placeholders_become_pyformat_outside_quotes() -> None:
    assert to_pyformat("SELECT ? WHERE a = '?' AND b LIKE '%x' AND c = ?") == (
        "SELECT %s WHERE a = '?' AND b LIKE '%x' AND c = %s"
    )
    assert to_pyformat("SELECT 5 % 2") == "SELECT 5 %% 2"


def test_a_url_is_shown_without_its_password() -> None:
    assert shown("postgresql://bot:s3cret@db:5432/wr") == "postgresql://bot:***@db:5432/wr"
    assert shown("postgresql://db/wr") == "postgresql://db/wr"


@pytest.mark.parametrize("case", ["password", "port", "database"])
async def test_a_bad_url_fails_at_start_with_one_clear_line(pg_cluster: Cluster, case: str) -> None:
    url = {
        "password": pg_cluster.url("postgres", password="wrong-horse"),
        "port": f"postgresql://writersroom:{PASSWORD}@127.0.0.1:{free_port()}/postgres",
        "database": pg_cluster.url("no_such_database"),
    }[case]
    with pytest.raises(ConfigError) as raised:
        await open_store(url)
    message = str(raised.value)
    assert message.startswith("WRITERSROOM_DB: cannot open the PostgreSQL database")
    assert "\n" not in message
    assert "wrong-horse" not in message and PASSWORD not in message
    reason = {"password": "password", "port": "connect", "database": "no_such_database"}[case]
    assert reason in message.lower()


async def test_processes_starting_together_migrate_once(pg_cluster: Cluster) -> None:
    name = "fresh_migrate_once"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    url = pg_cluster.url(name)
    try:
        stores = await asyncio.gather(*(open_store(url) for _ in range(4)))
        for store in stores:
            await store.close()
        with psycopg.connect(url) as conn:
            version = conn.execute("SELECT version FROM writersroom_schema").fetchall()
            functions = conn.execute(
                "SELECT count(*) FROM pg_proc WHERE proname = 'instr'"
            ).fetchone()
        assert version == [(SCHEMA_VERSION,)]
        assert functions == (1,)
    finally:
        pg_cluster.drop(url)


async def test_a_database_from_a_newer_version_is_refused(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE writersroom_schema SET version = %s", (SCHEMA_VERSION + 3,))
    with pytest.raises(SchemaTooNew, match=f"schema version {SCHEMA_VERSION + 3}"):
        await open_store(pg_url)


async def test_revisions_are_append_only_and_stories_cascade(pg_url: str) -> None:
    store = await open_store(pg_url)
    try:
        story = await store.ensure_story(("t", "w", "c"), ANN)
        await store.add_character(story.id, new_character("Mara"), ANN)
        with psycopg.connect(pg_url, autocommit=True) as conn:
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute("UPDATE revisions SET summary = 'rewritten'")
            conn.execute("DELETE FROM stories")
            left = conn.execute(
                "SELECT (SELECT count(*) FROM characters) + (SELECT count(*) FROM revisions)"
            ).fetchone()
        assert left == (0,)
    finally:
        await store.close()


async def test_two_stores_lose_no_edits_to_one_character(pg_url: str) -> None:
    first, second = await open_store(pg_url), await open_store(pg_url)
    try:
        story = await first.ensure_story(("t", "w", "c"), ANN)
        await first.add_character(story.id, new_character("Mara"), ANN)

        def append(token: str):  # type: ignore[no-untyped-def]
            return lambda c: dataclasses.replace(c, backstory=f"{c.backstory} {token}".strip())

        await asyncio.gather(
            *(
                (first if i % 2 else second).update_character(
                    story.id, "Mara", append(f"t{i}"), ANN, f"edit {i}"
                )
                for i in range(40)
            )
        )
        final = await second.find_character(story.id, "mara")
        assert final is not None
        assert sorted(final.backstory.split()) == sorted(f"t{i}" for i in range(40))
        assert len(await first.history(story.id, limit=100, entity="character")) == 41
    finally:
        await first.close()
        await second.close()


async def test_a_server_restart_while_idle_fails_nothing(pg_cluster: Cluster, pg_url: str) -> None:
    """The pool's connections went stale with the restart; each is checked before use
    since it sat idle past CHECK_IDLE_AFTER, so the first command after works too."""
    store = await open_store(pg_url)
    try:
        story = await store.ensure_story(("t", "w", "c"), ANN)
        await asyncio.to_thread(pg_cluster.restart)
        await asyncio.sleep(CHECK_IDLE_AFTER)
        await store.add_character(story.id, new_character("After"), ANN)
        assert [c.name for c in await store.characters(story.id)] == ["After"]
    finally:
        await store.close()


async def test_a_connection_back_in_the_pool_at_once_is_not_checked_again(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from psycopg_pool import AsyncConnectionPool

    checks = []
    original = AsyncConnectionPool.check_connection

    async def counted(conn: psycopg.AsyncConnection[object]) -> None:
        checks.append(conn)
        await original(conn)

    monkeypatch.setattr(AsyncConnectionPool, "check_connection", counted)
    store = await open_store(pg_url)
    try:
        story = await store.ensure_story(("t", "w", "c"), ANN)
        checks.clear()
        for i in range(20):
            await store.add_character(story.id, new_character(f"C{i}"), ANN)
        assert len(checks) <= 2  # the pool's other idle connection, at most once or twice
        checks.clear()
        await asyncio.sleep(CHECK_IDLE_AFTER * 2)
        await store.characters(story.id)
        assert len(checks) == 1  # idle past the limit: checked before use
    finally:
        await store.close()


async def test_a_server_restart_fails_what_is_in_flight_and_then_works(
    pg_cluster: Cluster, pg_url: str
) -> None:
    store = await open_store(pg_url)
    try:
        story = await store.ensure_story(("t", "w", "c"), ANN)
        in_flight = asyncio.create_task(store.database.query("SELECT pg_sleep(30)"))
        await asyncio.sleep(0.3)
        await asyncio.to_thread(pg_cluster.restart)
        with pytest.raises(psycopg.OperationalError):
            await in_flight
        # The pool notices broken connections itself; no restart of the bot.
        for _ in range(3):
            await store.add_character(story.id, new_character(f"After {_}"), ANN)
        names = [c.name for c in await store.characters(story.id)]
        assert names == ["After 0", "After 1", "After 2"]
        db = store.database
        assert isinstance(db, PostgresDatabase)
    finally:
        await store.close()


async def test_connections_ended_just_after_their_return_fail_no_statement(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """A restart ends connections that came back to the pool a moment before, too
    recently to be checked: the next statements go through (the first is sent again on
    a fresh connection; the pool then checks every idle one), the story is whole."""
    store = await open_store(pg_url)
    try:
        story = await store.ensure_story(("t", "w", "c"), ANN)
        await store.characters(story.id)  # both pooled connections just back
        async with await psycopg.AsyncConnection.connect(pg_url, autocommit=True) as admin:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        for i in range(3):
            await store.add_character(story.id, new_character(f"After {i}"), ANN)
        assert [c.name for c in await store.characters(story.id)] == [
            "After 0",
            "After 1",
            "After 2",
        ]
    finally:
        await store.close()
