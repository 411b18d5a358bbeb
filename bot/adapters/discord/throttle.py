"""At most one edit a second per message; the final state is never dropped.

Partial states (streaming text, progress) that arrive too soon wait; a newer one replaces a
waiting one, and the newest is sent when the second is up. A final state cancels whatever
waits and goes out at once, after any edit already in flight, so nothing stale can land
after it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable

from bot.runtime import sleep_until
from core.types import Reply

log = logging.getLogger(__name__)

EDIT_INTERVAL = 1.0


class Throttle:
    def __init__(
        self,
        send: Callable[[Reply], Awaitable[None]],
        tasks: set[asyncio.Task[None]],
        interval: float = EDIT_INTERVAL,
    ) -> None:
        self._send = send
        self._tasks = tasks  # owned by the bot, cancelled when it closes
        self._interval = interval
        self._lock = asyncio.Lock()
        self._last = -math.inf
        self._pending: Reply | None = None
        self._timer: asyncio.Task[None] | None = None

    async def submit(self, reply: Reply) -> None:
        if not reply.partial:
            self._pending = None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            async with self._lock:
                await self._send(reply)
                self._last = time.monotonic()
            return
        if not self._lock.locked() and time.monotonic() - self._last >= self._interval:
            async with self._lock:
                await self._send_partial(reply)
            return
        self._pending = reply
        if self._timer is None:
            self._timer = asyncio.create_task(self._flush_later(), name="discord-edit-throttle")
            self._tasks.add(self._timer)
            self._timer.add_done_callback(self._tasks.discard)

    def sent_now(self) -> None:
        """Something was just sent by another route: the next edit waits its interval."""
        self._last = time.monotonic()

    async def stop(self) -> None:
        """Drop what waits and let an edit in flight finish; nothing is sent after this."""
        self._pending = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        async with self._lock:
            pass

    async def _flush_later(self) -> None:
        try:
            await sleep_until(self._last + self._interval)
            async with self._lock:
                reply, self._pending = self._pending, None
                self._timer = None
                if reply is not None:
                    await self._send_partial(reply)
        except asyncio.CancelledError:
            raise
        except Exception:  # a lost preview is harmless; the final state still comes
            log.exception("a throttled preview edit failed")

    async def _send_partial(self, reply: Reply) -> None:
        await self._send(reply)
        self._last = time.monotonic()
