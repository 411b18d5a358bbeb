from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from bot import runtime
from bot.app import App, open_app
from bot.settings import Settings, load_settings
from generation.base import TextEngine
from tests.pg import Cluster, require_postgres, running_cluster


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"WRITERSROOM_DATA_DIR": str(tmp_path / "data")}, dotenv=None)


def counting_seeds(start: int = 1) -> Callable[[], int]:
    counter = itertools.count(start)
    return lambda: next(counter)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    async with open_app(settings, seeds=counting_seeds()) as opened:
        yield opened


@pytest.fixture
def make_app(settings: Settings) -> Callable[..., object]:
    """Open an app with a chosen engine: ``async with make_app(engine=...) as app``."""

    def factory(engine: TextEngine | None = None, **overrides: object) -> object:
        import dataclasses

        s = dataclasses.replace(settings, **overrides) if overrides else settings
        return open_app(s, engine=engine, seeds=counting_seeds())

    return factory


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the whole run (tests/pg.py); skips without PostgreSQL."""
    require_postgres()
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh, migrated database on the test cluster, dropped afterwards."""
    url = pg_cluster.database()
    yield url
    pg_cluster.drop(url)


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Every async test runs on the loop production uses (bot/runtime.py: uvloop where it
    is installed); modules marked ``both_loops`` run on asyncio's own loop as well, the
    fallback for WRITERSROOM_EVENT_LOOP=asyncio and platforms without uvloop."""
    name, factory = runtime.loop_factory("auto")
    loops = {name: factory}
    if name != "asyncio" and item.get_closest_marker("both_loops") is not None:
        loops["asyncio"] = asyncio.new_event_loop
    return loops
