from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from bot.adapters.discord.throttle import Throttle
from core.types import Reply

# uvloop's timers have millisecond granularity: the intervals must hold on both loops.
pytestmark = pytest.mark.both_loops


def _throttle(sent: list[str], interval: float) -> tuple[Throttle, set[asyncio.Task[None]]]:
    tasks: set[asyncio.Task[None]] = set()

    async def send(reply: Reply) -> None:
        await asyncio.sleep(0)
        sent.append(reply.body)

    return Throttle(send, tasks, interval), tasks


async def test_partials_inside_the_interval_are_coalesced_and_the_final_wins() -> None:
    sent: list[str] = []
    throttle, tasks = _throttle(sent, interval=0.2)
    for i in range(50):
        await throttle.submit(Reply(body=f"draft {i}", partial=True))
    await throttle.submit(Reply(body="final"))
    assert sent == ["draft 0", "final"]  # the 48 waiting partials were never sent
    await asyncio.gather(*tasks, return_exceptions=True)
    assert sent[-1] == "final"


async def test_the_newest_waiting_partial_is_sent_when_the_interval_is_up() -> None:
    sent: list[str] = []
    throttle, tasks = _throttle(sent, interval=0.05)
    await throttle.submit(Reply(body="one", partial=True))
    await throttle.submit(Reply(body="two", partial=True))
    await throttle.submit(Reply(body="three", partial=True))
    await asyncio.gather(*tasks)
    assert sent == ["one", "three"]


async def test_edits_are_at_least_an_interval_apart() -> None:
    sent: list[float] = []
    tasks: set[asyncio.Task[None]] = set()

    async def send(reply: Reply) -> None:
        sent.append(time.monotonic())

    throttle = Throttle(send, tasks, interval=0.05)
    for i in range(20):
        await throttle.submit(Reply(body=str(i), partial=True))
        await asyncio.sleep(0.01)
    await asyncio.gather(*tasks)
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert gaps and min(gaps) >= 0.05
