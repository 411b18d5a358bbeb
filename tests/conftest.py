from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.app import App, open_app
from bot.settings import Settings, load_settings
from generation.base import TextEngine


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
