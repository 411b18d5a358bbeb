"""How often the bot edits a message: Slack's rate limits are never the writer's problem.

chat.update is Tier 3 (about 50 a minute per workspace), so a streamed draft edits its
message at most once per ``interval`` and streaming pauses when the workspace's edits in
the last minute reach ``per_minute``. Partial states may be skipped; a final one waits for
its turn and is always sent, and nothing partial is sent after it.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.runtime import sleep_until

EDIT_INTERVAL = 1.0
EDITS_PER_MINUTE = 45


@dataclass
class MessageState:
    """What the adapter remembers about one message it posted."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_edit: float = float("-inf")
    final: bool = False
    continuations: list[str] = field(default_factory=list)
    """Messages posted in the thread for the parts that did not fit in this one."""


class EditThrottle:
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
        self._edits: dict[str, deque[float]] = {}

    def state(self, channel: str, ts: str) -> MessageState:
        key = (channel, ts)
        found = self._messages.get(key)
        if found is None:
            found = self._messages[key] = MessageState()
            while len(self._messages) > self._max:
                self._messages.popitem(last=False)
        else:
            self._messages.move_to_end(key)
        return found

    def touched(self, team: str, state: MessageState) -> None:
        """A post or an edit of the message was just sent."""
        now = self._clock()
        state.last_edit = now
        window = self._edits.setdefault(team, deque())
        window.append(now)
        while window and now - window[0] > 60.0:
            window.popleft()

    def may_stream(self, team: str, state: MessageState) -> bool:
        """Whether a partial edit may go now; otherwise it is skipped."""
        if state.final or state.lock.locked():
            return False
        now = self._clock()
        if now - state.last_edit < self.interval:
            return False
        window = self._edits.get(team, deque())
        recent = sum(1 for t in window if now - t <= 60.0)
        return recent < self.per_minute

    async def wait_turn(self, state: MessageState) -> None:
        """Sleep until the message may be edited again (for final states)."""
        await sleep_until(state.last_edit + self.interval, self._clock)
