"""Slack's edit limits, applied with the adapters' one edit policy (bot/adapters/throttle.py).

chat.update is Tier 3 (about 50 a minute per workspace): each message is edited at most
once per ``interval``, final states included, and partial states wait while the
workspace's writes in the last minute reach ``per_minute``. Every message the adapter
posted has its ``Throttle`` here, shared by whichever responder edits it.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.adapters.throttle import Throttle

EDIT_INTERVAL = 1.0
EDITS_PER_MINUTE = 45


@dataclass
class MessageState:
    """What the adapter remembers about one message it posted."""

    edits: Throttle
    continuations: list[str] = field(default_factory=list)
    """Messages posted in the thread for the parts that did not fit in this one."""


class EditThrottle:
    """The workspace's edit budget and a ``Throttle`` per message (the newest 10,000)."""

    def __init__(
        self,
        interval: float = EDIT_INTERVAL,
        per_minute: int = EDITS_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        max_messages: int = 10_000,
    ) -> None:
        self.interval = interval
        self.per_minute = per_minute
        self._clock = clock
        self._max = max_messages
        self._messages: OrderedDict[tuple[str, str], MessageState] = OrderedDict()
        self._writes: dict[str, deque[float]] = {}
        self._timers: set[asyncio.Task[None]] = set()

    def message(self, team: str, channel: str, ts: str) -> MessageState:
        key = (channel, ts)
        found = self._messages.get(key)
        if found is None:
            throttle = Throttle(
                self.interval,
                tasks=self._timers,
                ready=lambda: self.within_budget(team),
                clock=self._clock,
            )
            found = self._messages[key] = MessageState(throttle)
            while len(self._messages) > self._max:
                self._messages.popitem(last=False)
        else:
            self._messages.move_to_end(key)
        return found

    async def close(self) -> None:
        """Cancel the partial edits still waiting for their turn (at shutdown)."""
        timers = list(self._timers)
        for timer in timers:
            timer.cancel()
        await asyncio.gather(*timers, return_exceptions=True)

    def touched(self, team: str) -> None:
        """A post or an edit of a message of the workspace was just sent."""
        now = self._clock()
        window = self._writes.setdefault(team, deque())
        window.append(now)
        while window and now - window[0] > 60.0:
            window.popleft()

    def within_budget(self, team: str) -> bool:
        """Whether a partial edit may go now; otherwise it waits (final edits always go)."""
        now = self._clock()
        window = self._writes.get(team, deque())
        return sum(1 for t in window if now - t <= 60.0) < self.per_minute
