"""The SQLite writer's lock, taken in turns.

One writer connection serves two kinds of work: transactions (a read-modify-write, a job
admitted under its bucket: several trips to the writer's thread each) and group commits
of single statements (bookkeeping, and the row a request is kept in before Slack gets its
200). With a plain FIFO lock a group commit waits behind every transaction queued before
it, so under a burst an acknowledgment waited for hundreds of them. Here the two wait
apart and take turns: when the holder lets go, the other kind goes next if any waits. A
group commit (which takes every statement waiting) so waits for at most one transaction,
and a transaction for at most one group commit per transaction ahead of it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator


class TurnLock:
    def __init__(self) -> None:
        self._held = False
        self._last_batch = False
        self._waiting: dict[bool, deque[asyncio.Future[None]]] = {True: deque(), False: deque()}

    def free_now(self) -> bool:
        """Nobody holds the lock or waits for it: ``hold`` would take it at once."""
        return not self._held and not any(self._waiting.values())

    @contextlib.asynccontextmanager
    async def hold(self, *, batch: bool = False) -> AsyncIterator[None]:
        """Hold the lock for a group commit (``batch``) or a transaction."""
        await self._acquire(batch)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, batch: bool) -> None:
        if not self._held and not any(self._waiting.values()):
            self._held, self._last_batch = True, batch
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[batch].append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # handed the lock, then cancelled
                self._release()
            else:
                self._waiting[batch].remove(turn)
            raise
        self._last_batch = batch

    def _release(self) -> None:
        for kind in (not self._last_batch, self._last_batch):  # the other kind first
            waiting = self._waiting[kind]
            while waiting:
                turn = waiting.popleft()
                if not turn.done():
                    turn.set_result(None)  # handed over: still held
                    return
        self._held = False
