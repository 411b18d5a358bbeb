"""How often one message is edited: the one policy every adapter uses.

A message the bot sent shows a run of states: partial ones (text still being written,
progress, previews) and then a final one. Platforms limit how often a message may be
edited (about once a second), so:

- two edits of a message are at least ``interval`` apart (its post counts as an edit);
- a partial state that comes too soon waits, and a newer one replaces it: partial states
  are coalesced, the newest wins, and an older state is never shown after a newer one;
- a partial state also waits while ``ready()`` says no (Slack's per-workspace budget,
  shared by every process on the database);
- a partial state that is due waits ``settle`` seconds first, so that a final state
  coming right behind it (a stream that ends) replaces it and need not wait its gap;
- the final state drops whatever partial waits, goes after any edit in flight and after
  ``final_gap`` since the last edit (Slack: the interval; Discord: none, discord.py queues
  on the platform's rate-limit buckets itself), and is never skipped; nothing partial is
  shown after it.

Waits are deadlines on the clock (bot.runtime.sleep_until), so a timer that wakes early,
as uvloop's may, never makes two edits closer than the interval.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable

from bot.runtime import sleep_until

log = logging.getLogger(__name__)

Send = Callable[[], Awaitable[None]]
"""Makes the message show one state (an edit, or a set of edits for a message in parts)."""

_BUDGET_RETRY = 0.25
"""Seconds between looks at ``ready()`` while a partial state waits for the budget."""


async def _always() -> bool:
    return True


class Throttle:
    """The edits of one message (see the module docstring for the policy)."""

    def __init__(
        self,
        interval: float,
        *,
        tasks: set[asyncio.Task[None]],
        final_gap: float | None = None,
        settle: float = 0.0,
        ready: Callable[[], Awaitable[bool]] = _always,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.final_gap = interval if final_gap is None else final_gap
        self.settle = settle
        self._tasks = tasks  # owned by the adapter, cancelled when it closes
        self._ready = ready
        self._clock = clock
        self._lock = asyncio.Lock()  # held while an edit is in flight
        self._last = -math.inf
        self._pending: Send | None = None
        self._timer: asyncio.Task[None] | None = None
        self._settled = -math.inf  # a waiting partial goes no sooner than this
        self.finished = False
        """The final state was shown (or posted): partial states are dropped from now on."""

    async def edit(self, send: Send, *, final: bool) -> None:
        """Show a state: a final one always (it returns once shown), a partial one now or
        when its turn comes, unless a newer state replaces it first."""
        if final:
            await self._final(send)
        elif not self.finished:
            await self._partial(send)

    def sent_now(self, *, final: bool = False) -> None:
        """The message was just written by another route (its post): the next edit waits
        its interval, and after a final post nothing partial follows."""
        self._last = self._clock()
        self.finished = self.finished or final

    async def stop(self) -> None:
        """Drop what waits and let an edit in flight finish; nothing waiting is sent."""
        self._drop_pending()
        async with self._lock:
            pass

    async def _partial(self, send: Send) -> None:
        if (
            self.settle <= 0
            and self._pending is None
            and not self._lock.locked()
            and await self._due()
        ):
            async with self._lock:
                await self._send(send)
            return
        self._pending = send
        if self._timer is None:
            self._settled = self._clock() + self.settle
            self._timer = asyncio.create_task(self._flush_later(), name="edit-throttle")
            self._tasks.add(self._timer)
            self._timer.add_done_callback(self._tasks.discard)

    async def _final(self, send: Send) -> None:
        self.finished = True
        self._drop_pending()
        async with self._lock:
            await sleep_until(self._last + self.final_gap, self._clock)
            await self._send(send)

    async def _due(self) -> bool:
        return self._clock() - self._last >= self.interval and await self._ready()

    def _drop_pending(self) -> None:
        self._pending = None
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    async def _flush_later(self) -> None:
        """Send the newest waiting partial state when its turn comes."""
        try:
            while True:
                await sleep_until(max(self._last + self.interval, self._settled), self._clock)
                if not await self._ready():
                    await asyncio.sleep(_BUDGET_RETRY)
                    continue
                async with self._lock:
                    if self._clock() - self._last < self.interval:
                        continue  # an edit went out while this one waited for the lock
                    send, self._pending = self._pending, None
                    self._timer = None  # from here on, a final state waits for this edit
                    if send is not None:
                        await self._send(send)
                    return
        except asyncio.CancelledError:
            raise
        except Exception:  # a lost preview is harmless; the final state still comes
            log.exception("a throttled preview edit failed")

    async def _send(self, send: Send) -> None:
        await send()
        self._last = self._clock()
