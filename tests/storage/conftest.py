"""Fixtures for the storage tests.

The Store contract suite (test_contract_*.py, with contract_helpers.py) only uses ``store``,
``reopen``, ``actor``, ``key`` and ``story``, and runs once per engine: ``target`` is a
SQLite file in a temp dir, then a fresh database on the test PostgreSQL cluster.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from core.models import Story, StoryKey
from core.types import Author
from storage import open_store
from storage.api import Store

Opener = Callable[[], Awaitable[Store]]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "writersroom.db"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, db_path: Path) -> str | Path:
    """The database a contract test runs on: each engine in turn."""
    if request.param == "sqlite":
        return db_path
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
async def open_driver(target: str | Path) -> AsyncIterator[Opener]:
    """Opens a store on one database, as often as asked; closes them all afterwards."""
    opened: list[Store] = []

    async def opener() -> Store:
        store = await open_store(target)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        await store.close()


@pytest.fixture
async def store(open_driver: Opener) -> Store:
    return await open_driver()


@pytest.fixture
def reopen(store: Store, open_driver: Opener) -> Opener:
    """Close the store and open the same database again."""

    async def again() -> Store:
        await store.close()
        return await open_driver()

    return again


@pytest.fixture
def actor() -> Author:
    return Author("U1", "Ann")


@pytest.fixture
def key() -> StoryKey:
    return ("slack", "T1", "C1")


@pytest.fixture
async def story(store: Store, key: StoryKey, actor: Author) -> Story:
    return await store.ensure_story(key, actor)
