"""Helpers for the tests of the event loop's own SQLite connections."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path


class Ticks:
    """How many turns the event loop took while a ``ticking()`` block ran."""

    def __init__(self) -> None:
        self.count = 0


@contextlib.asynccontextmanager
async def ticking() -> AsyncIterator[Ticks]:
    """Count the loop's turns during the block: more than one means the loop ran other
    work meanwhile (the block's statement was not holding it)."""
    ticks = Ticks()
    stop = asyncio.Event()

    async def tick() -> None:
        while not stop.is_set():
            ticks.count += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0)
    ticks.count = 0
    try:
        yield ticks
    finally:
        stop.set()
        await ticker


@contextlib.contextmanager
def held_by_another_process(path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the file's write lock (BEGIN IMMEDIATE) for the block,
    committed at its end."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
        other.execute("COMMIT")
    finally:
        other.close()
