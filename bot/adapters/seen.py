"""Exactly one reply per event, however often the platform delivers it, to whichever process.

Slack retries an event it thinks was not acknowledged (``X-Slack-Retry-Num``), and one
message can arrive both as ``message`` and ``app_mention``. Discord sends a message to
every session of its shard: during a rolling deploy the old process and the new one both
hold one, and a misconfigured pair of processes can run the same shard. Each event is
claimed by key (an ``event_id``, a slash command's trigger, a message's channel and ts, a
Discord message id) before the work starts: an insert-if-absent in the database
(``Store.first_seen``), so a repeat that reaches another bot process on the same
database is dropped there too. Keys this process has claimed (or found claimed) are also
remembered here, bounded in size and time, once the database has them, so a repeat it
already saw costs no round trip.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from bot import accepted
from storage.api import Store

RETRY_WINDOW = 15 * 60.0
"""Slack retries after about 0 s, 1 min and 5 min; keep keys well past the last one (a
Discord repeat comes within seconds)."""


class Seen:
    def __init__(
        self,
        store: Store,
        platform: str,
        ttl: float = RETRY_WINDOW,
        max_keys: int = 50_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._prefix = platform + ":"
        self._ttl = ttl
        self._max = max_keys
        self._clock = clock
        self._keys: OrderedDict[str, float] = OrderedDict()

    async def first(self, *key: str) -> bool:
        """True the first time ``key`` is claimed, by any process, within the TTL."""
        now = self._clock()
        while self._keys:
            oldest, at = next(iter(self._keys.items()))
            if now - at < self._ttl and len(self._keys) < self._max:
                break
            del self._keys[oldest]
        name = self._prefix + "\x1f".join(key)
        if name in self._keys:
            return False
        first = await self._store.first_seen(name, now, self._ttl, accepted.claimant())
        # Remembered only once the database has it: after a failed write, Slack's retry
        # of the event must reach the database again, not be dropped here unanswered.
        self._keys[name] = now
        return first

    def __len__(self) -> int:
        return len(self._keys)
