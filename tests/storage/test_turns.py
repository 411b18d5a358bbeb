"""The SQLite writer's lock: group commits and transactions take turns (storage/turns.py)."""

from __future__ import annotations

import asyncio

from storage.turns import TurnLock


async def _take(lock: TurnLock, name: str, order: list[str], *, batch: bool = False) -> None:
    async with lock.hold(batch=batch):
        order.append(name)
        await asyncio.sleep(0)


async def test_a_group_commit_waits_for_one_transaction_not_the_whole_queue() -> None:
    lock, order = TurnLock(), []
    async with lock.hold():  # a transaction holds it
        waiting = [asyncio.create_task(_take(lock, f"tx{i}", order)) for i in range(3)]
        await asyncio.sleep(0)
        waiting.append(asyncio.create_task(_take(lock, "batch", order, batch=True)))
        await asyncio.sleep(0)
    await asyncio.gather(*waiting)
    assert order == ["batch", "tx0", "tx1", "tx2"]


async def test_the_two_kinds_alternate_so_neither_starves() -> None:
    lock, order = TurnLock(), []
    async with lock.hold(batch=True):
        tasks = [
            asyncio.create_task(_take(lock, name, order, batch=name.startswith("b")))
            for name in ("b1", "b2", "t1", "t2")
        ]
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    assert order == ["t1", "b1", "t2", "b2"]


async def test_a_cancelled_waiter_neither_holds_nor_blocks_the_lock() -> None:
    lock, order = TurnLock(), []
    async with lock.hold():
        gone = asyncio.create_task(_take(lock, "gone", order, batch=True))
        after = asyncio.create_task(_take(lock, "after", order))
        await asyncio.sleep(0)
        gone.cancel()
    await asyncio.gather(gone, after, return_exceptions=True)
    assert order == ["after"]
    async with asyncio.timeout(1):
        async with lock.hold():  # free again
            pass


async def test_a_waiter_cancelled_once_handed_the_lock_passes_it_on() -> None:
    lock, order = TurnLock(), []
    async with lock.hold():
        handed = asyncio.create_task(_take(lock, "handed", order, batch=True))
        after = asyncio.create_task(_take(lock, "after", order))
        await asyncio.sleep(0)
    handed.cancel()  # the lock was handed to it at release; it never ran
    await asyncio.gather(handed, after, return_exceptions=True)
    assert order == ["after"]
