"""One run for concurrent calls that want the same thing (a "single flight").

When five mentions reach a channel that has no story yet, each would open a write
transaction to create it; on SQLite those run one after another, and every mention's
model request waits behind them. ``Shared.run`` lets the first caller for a key do the
work and the others wait for its answer (or its error).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Shared(Generic[K, T]):
    """Concurrent ``run(key, work)`` calls for one key share the first one's run."""

    def __init__(self) -> None:
        self._running: dict[K, asyncio.Future[T]] = {}

    async def run(self, key: K, work: Callable[[], Awaitable[T]]) -> T:
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(work())
            self._running[key] = running
            running.add_done_callback(lambda done: self._done(key, done))
        # A caller that is cancelled leaves the run to the others.
        return await asyncio.shield(running)

    def _done(self, key: K, done: asyncio.Future[T]) -> None:
        if self._running.get(key) is done:
            del self._running[key]
        if not done.cancelled():
            done.exception()  # seen, even if every caller was cancelled meanwhile
