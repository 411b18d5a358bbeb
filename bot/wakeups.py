"""The lease loop's cancel notifications, opened again when they die.

On PostgreSQL the store announces cancel requests with LISTEN/NOTIFY
(``Store.cancel_wakeups``), so a /cancel reaches the process running the job at once;
on SQLite there is nothing to listen to and the loop polls (bot/app.py, ``keep_lease``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Callable

log = logging.getLogger(__name__)

WAKEUP_RETRY = (1.0, 30.0)
"""Seconds before lost cancel notifications are listened for again: the first wait, and
the most it grows to while listening keeps failing (cancels are polled meanwhile)."""


class CancelWakeups:
    """The store's cancel notifications for the lease loop, opened again when they die.

    A LISTEN ends with its connection (a database restart, a dropped link), and a dead
    stream must not end every wait at once: the loop would look for cancels thousands of
    times a second. So a failed stream is said once, closed, and opened again after a
    wait that doubles while it keeps failing (WAKEUP_RETRY); meanwhile ``wait`` sleeps,
    and cancels are seen by polling, as on a database that cannot notify at all."""

    def __init__(self, open_stream: Callable[[], AsyncGenerator[str, None] | None]) -> None:
        self._open = open_stream
        self._stream = open_stream()
        self._listens = self._stream is not None  # False on SQLite: always poll
        self._waiter: asyncio.Future[str] | None = None
        self._retry_wait = 0.0  # the wait before the next opening; 0 while streams work
        self._retry_at = 0.0
        self._opened_at = 0.0

    async def wait(self, seconds: float) -> None:
        """Return when a cancel is announced, else after ``seconds``."""
        deadline = time.monotonic() + seconds
        if self._stream is None and self._listens and time.monotonic() >= self._retry_at:
            self._stream = self._open()
            self._opened_at = time.monotonic()
        if self._stream is None:
            await asyncio.sleep(seconds)
            return
        if self._waiter is None:
            self._waiter = asyncio.ensure_future(anext(self._stream))
        done, _ = await asyncio.wait({self._waiter}, timeout=seconds)
        if not done:
            # Opened again and not failed for a second: taken to be listening (there is
            # no sign of it; a database that is down refuses the connection at once).
            if self._retry_wait and time.monotonic() - self._opened_at >= WAKEUP_RETRY[0]:
                log.info("cancel notifications work again")
                self._retry_wait = 0.0
            return
        waiter, self._waiter = self._waiter, None
        try:
            waiter.result()
            return  # a cancel was announced: the caller looks at once
        except Exception as error:  # StopAsyncIteration too: the stream ended
            await self._lost(error)
        await asyncio.sleep(max(0.0, deadline - time.monotonic()))

    async def _lost(self, error: Exception) -> None:
        first, most = WAKEUP_RETRY
        if not self._retry_wait:
            # The type only: a driver's message can quote the server's address.
            log.warning(
                "cancel notifications stopped (%s); polling for cancels and listening "
                "again in %.0f s",
                type(error).__name__,
                first,
            )
        else:
            log.debug("cancel notifications still down (%s)", type(error).__name__)
        self._retry_wait = min(most, self._retry_wait * 2 or first)
        self._retry_at = time.monotonic() + self._retry_wait
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                await stream.aclose()

    async def aclose(self) -> None:
        """Stop listening (the loop is done)."""
        if self._waiter is not None:
            self._waiter.cancel()
            await asyncio.gather(self._waiter, return_exceptions=True)
            self._waiter = None
        if self._stream is not None:
            with contextlib.suppress(Exception):  # the database may be what went away
                await self._stream.aclose()
            self._stream = None
