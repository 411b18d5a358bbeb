"""Retention: reply-thread conversations idle longer than WRITERSROOM_RETENTION_DAYS go.

The app's lifespan prunes once at startup and then every ``INTERVAL`` seconds in a task
it owns (bot/app.py). With several processes on one database, one prunes at a time: a
round runs only for the holder of the "retention" task lease (``Store.hold_task``).
A conversation's age is its last activity (``updated_at``: the
last message or draft), so a thread still in use is kept whatever its first message's
age. Its messages go with it (ON DELETE CASCADE); the story bible is not touched.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from storage.api import Store

log = logging.getLogger(__name__)

DAY = 86_400.0
INTERVAL = 3600.0


async def prune_once(
    store: Store, days: int, clock: Callable[[], float], holder: str = "this process"
) -> int:
    """Delete conversations idle for more than ``days`` days; 0 days keeps everything.
    Does nothing while another process holds the retention lease."""
    if days <= 0:
        return 0
    now = clock()
    if not await store.hold_task("retention", holder, now, now + INTERVAL * 1.5):
        return 0
    pruned = await store.prune_conversations(clock() - days * DAY)
    if pruned:
        log.info("retention: deleted %d conversation(s) idle over %d day(s)", pruned, days)
    return pruned


async def keep_pruning(
    store: Store,
    days: int,
    clock: Callable[[], float],
    interval: float = INTERVAL,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    holder: str = "this process",
) -> None:
    """Prune every ``interval`` seconds until cancelled; a failed round is logged and the
    next one tries again."""
    while True:
        await sleep(interval)
        try:
            await prune_once(store, days, clock, holder)
        except Exception:
            log.exception("retention round failed; trying again in %.0f s", interval)
