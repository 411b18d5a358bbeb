"""Shards across processes: IDENTIFY calls spaced as Discord requires, whoever makes them.

Past one process, each runs a subset of a fixed shard count (``--shards N --shard-ids
0,1``). Discord lets a bot IDENTIFY once per 5 seconds per bucket, and shard ``i`` is in
bucket ``i % max_concurrency`` (``max_concurrency`` comes from GET /gateway/bot); a
process only knows its own shards, so the turns are kept in the database every process
shares: each IDENTIFY reserves the next free moment of its bucket, in one transaction
under the bucket's lock (``Store.take``), then waits for it. No lock is held while
waiting, and two processes never IDENTIFY in one bucket less than 5 seconds apart.

The rule is a plain function (``next_turn``); the clock and the sleep are injected.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from storage.api import Store
from storage.coordination import Allowance

IDENTIFY_SPACING = 5.0
"""Seconds between two IDENTIFYs in one bucket (Discord's limit)."""


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that receives a guild's events (Discord's formula)."""
    return (guild_id >> 22) % shard_count


def bucket_of(shard_id: int, max_concurrency: int) -> int:
    return shard_id % max(1, max_concurrency)


def next_turn(
    last: Allowance | None, now: float, spacing: float = IDENTIFY_SPACING
) -> tuple[Allowance, float]:
    """Given the bucket's last reserved IDENTIFY (``at``; None: never), reserve the next
    one: the new reservation, and how long to wait for it."""
    turn = now if last is None else max(now, last.at + spacing)
    return Allowance(0.0, turn), turn - now


@dataclass
class IdentifyGate:
    """Waits for a shard's turn to IDENTIFY, in turns every process on the database keeps."""

    store: Store
    max_concurrency: int = 1
    spacing: float = IDENTIFY_SPACING
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    waited: list[tuple[int, float]] = field(default_factory=list)
    """(shard, seconds waited) for each IDENTIFY, for logs and tests."""

    async def wait(self, shard_id: int) -> float:
        bucket = bucket_of(shard_id, self.max_concurrency)
        now = self.clock()
        wait = await self.store.take(
            f"discord:identify:{bucket}", lambda last: next_turn(last, now, self.spacing)
        )
        if wait > 0:
            await self.sleep(wait)
        self.waited.append((shard_id, wait))
        return wait
