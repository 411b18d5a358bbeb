"""One job per device, first come first served, telling each waiter how many are ahead.

``async with queue.turn(on_queue):`` waits for the device. While it waits, ``on_queue(n)``
is awaited each time the number of jobs ahead of it changes (n >= 1), so a writer reads
"2 ahead of you", then "1 ahead of you". Cancelling a waiter takes it out of the line and
moves everyone behind it up.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from generation.images.base import OnQueue


class DeviceQueue:
    def __init__(self) -> None:
        self._line: list[asyncio.Event] = []
        """Everyone holding or waiting for the device, in order; [0] holds it."""
        self._changed = asyncio.Condition()

    @property
    def busy(self) -> bool:
        return bool(self._line)

    def __len__(self) -> int:
        return len(self._line)

    @contextlib.asynccontextmanager
    async def turn(self, on_queue: OnQueue | None = None) -> AsyncIterator[None]:
        me = asyncio.Event()
        self._line.append(me)
        try:
            told: int | None = None
            while (ahead := self._line.index(me)) > 0:
                if on_queue is not None and ahead != told:
                    told = ahead
                    await on_queue(ahead)
                async with self._changed:
                    if self._line.index(me) == ahead:
                        await self._changed.wait()
            yield
        finally:
            self._line.remove(me)
            async with self._changed:
                self._changed.notify_all()
