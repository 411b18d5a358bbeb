"""Exactly one reply per Slack event, however often Slack delivers it.

Slack retries an event it thinks was not acknowledged (``X-Slack-Retry-Num``), and one
message can arrive both as ``message`` and ``app_mention``. Each is claimed here by key
(an ``event_id``, or a message's channel and ts); a second claim within the time-to-live
is refused. Bounded in size and time, so a busy workspace cannot grow it without end.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

RETRY_WINDOW = 15 * 60.0
"""Slack retries after about 0 s, 1 min and 5 min; keep keys well past the last one."""


class Seen:
    def __init__(
        self,
        ttl: float = RETRY_WINDOW,
        max_keys: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_keys
        self._clock = clock
        self._keys: OrderedDict[Hashable, float] = OrderedDict()

    def first(self, key: Hashable) -> bool:
        """True the first time ``key`` is claimed within the TTL, False after that."""
        now = self._clock()
        while self._keys:
            oldest, at = next(iter(self._keys.items()))
            if now - at < self._ttl and len(self._keys) < self._max:
                break
            del self._keys[oldest]
        if key in self._keys:
            return False
        self._keys[key] = now
        return True

    def __len__(self) -> int:
        return len(self._keys)
