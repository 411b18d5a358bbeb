"""Slack's edit limits, applied with the adapters' one edit policy (bot/adapters/throttle.py).

chat.update is Tier 3 (about 50 a minute per workspace, whichever process sends them):
each message is edited at most once per ``interval``, final states included, and partial
states wait while the workspace's budget is spent. The budget is a token bucket in the
database (``per_minute`` tokens, refilled over a minute) that every bot process draws from;
a process takes a few tokens at a time (``BATCH``) and spends them locally, so most edits
need no round trip. Posts and final edits always go, and are charged (the bucket may go
below zero, so partial edits wait longer); the charge is written after them, off their
path, and the charges that come while one is written go together in the next (a burst
of 100 replies is a handful of writes, not 100 transactions in a row that every post
waited behind). Every message the adapter posted has its
``Throttle`` here, shared by whichever responder edits it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.adapters.throttle import Throttle
from storage.api import Store
from storage.coordination import Allowance

log = logging.getLogger(__name__)

EDIT_INTERVAL = 1.0
FINAL_GAP = 0.25
"""Seconds a final edit waits after the message's last write. Partial states keep a second
apart; the finished reply need not wait out that second behind a partial that showed the
first words (Slack limits chat.update per workspace, Tier 3, not per message)."""
EDITS_PER_MINUTE = 45
BATCH = 3
"""Tokens a process takes from the shared bucket at a time."""
HOLD = 2.0
"""Seconds a process may keep tokens it took before they lapse (unspent ones are lost,
so the budget is never overspent by tokens a process sat on)."""


def draw(
    bucket: Allowance | None, *, want: int, force: bool, capacity: float, now: float
) -> tuple[Allowance, int]:
    """The bucket rule: refill at ``capacity`` a minute, then give up to ``want`` tokens
    (all of them when ``force``, going below zero if need be). Returns the bucket and how
    many were given."""
    tokens, at = (capacity, now) if bucket is None else (bucket.tokens, bucket.at)
    tokens = min(capacity, tokens + max(0.0, now - at) * capacity / 60)
    given = want if force else max(0, min(want, int(tokens)))
    return Allowance(tokens - given, now), given


@dataclass
class _Held:
    tokens: int = 0
    until: float = 0.0


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
        store: Store,
        interval: float = EDIT_INTERVAL,
        per_minute: int = EDITS_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        max_messages: int = 10_000,
    ) -> None:
        self.interval = interval
        self.per_minute = per_minute
        self._store = store
        self._clock = clock
        self._wall = wall  # the shared bucket's time: the same on every machine
        self._max = max_messages
        self._messages: OrderedDict[tuple[str, str], MessageState] = OrderedDict()
        self._held: dict[str, _Held] = {}
        self._timers: set[asyncio.Task[None]] = set()
        self._owed: dict[str, int] = {}
        """Charges not yet written, by workspace."""
        self._charging: dict[str, asyncio.Task[None]] = {}

    def message(self, team: str, channel: str, ts: str) -> MessageState:
        key = (channel, ts)
        found = self._messages.get(key)
        if found is None:
            throttle = Throttle(
                self.interval,
                final_gap=min(FINAL_GAP, self.interval),
                settle=min(FINAL_GAP, self.interval),
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

    def stream_throttle(self) -> Throttle:
        """The pace of a native stream's appends: one per ``interval``, newest state
        first, owned here (closed with the rest) but outside the chat.update budget."""
        return Throttle(self.interval, tasks=self._timers, clock=self._clock)

    async def close(self) -> None:
        """Cancel the partial edits still waiting for their turn (at shutdown); the
        charges being written are finished."""
        timers = list(self._timers)
        for timer in timers:
            timer.cancel()
        await asyncio.gather(*timers, return_exceptions=True)
        await self.settled()

    def touched(self, team: str) -> None:
        """A post or a final edit of the workspace was just sent: charge it, from the
        tokens this process holds, else in the shared bucket (written beside the sender,
        together with the charges that come meanwhile)."""
        if self._spend(team):
            return
        self._owed[team] = self._owed.get(team, 0) + 1
        if team not in self._charging:
            self._charging[team] = asyncio.create_task(self._charge(team), name="edit-charge")

    async def settled(self) -> None:
        """Every charge so far is written (for tests and shutdown)."""
        while self._charging:
            await asyncio.gather(*self._charging.values(), return_exceptions=True)

    async def _charge(self, team: str) -> None:
        try:
            while owed := self._owed.pop(team, 0):
                try:
                    await self._draw(team, owed, force=True)
                except Exception as exc:  # the budget is advice: a reply never fails for it
                    log.warning("could not charge %d Slack edits (%s)", owed, type(exc).__name__)
        finally:
            del self._charging[team]

    async def within_budget(self, team: str) -> bool:
        """Whether a partial edit may go now (and then it is charged); otherwise it waits
        (also while the budget cannot be read: a preview is not worth an error)."""
        if self._spend(team):
            return True
        try:
            given = await self._draw(team, BATCH, force=False)
        except Exception as exc:
            log.warning("could not read the Slack edit budget (%s)", type(exc).__name__)
            return False
        if not given:
            return False
        self._held[team] = _Held(given - 1, self._clock() + HOLD)
        return True

    def _spend(self, team: str) -> bool:
        held = self._held.get(team)
        if held is None or held.tokens <= 0 or held.until < self._clock():
            return False
        held.tokens -= 1
        return True

    async def _draw(self, team: str, want: int, *, force: bool) -> int:
        now, capacity = self._wall(), float(self.per_minute)

        def decide(bucket: Allowance | None) -> tuple[Allowance | None, int]:
            after, given = draw(bucket, want=want, force=force, capacity=capacity, now=now)
            # Nothing given, nothing written: the bucket refills the same from either
            # state, and the partial edits that wait on a spent budget (each looks again
            # every quarter second) read it without racing each other to write it.
            return (after if given else None), given

        return await self._store.take(f"slack-edits:{team}", decide)
