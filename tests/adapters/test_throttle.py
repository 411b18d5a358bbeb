"""The one edit policy: partial states coalesce (the newest wins), edits keep their interval,
the final state is never skipped and nothing partial follows it."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable

import pytest

from bot.adapters.throttle import Throttle

# uvloop's timers have millisecond granularity: the intervals must hold on both loops.
pytestmark = pytest.mark.both_loops


class Message:
    """A message that records what it showed, and when."""

    def __init__(
        self,
        interval: float,
        final_gap: float | None = None,
        ready: Callable[[], bool] = lambda: True,
        settle: float = 0.0,
    ) -> None:
        self.tasks: set[asyncio.Task[None]] = set()

        async def is_ready() -> bool:
            return ready()

        self.throttle = Throttle(
            interval, tasks=self.tasks, final_gap=final_gap, ready=is_ready, settle=settle
        )
        self.shown: list[str] = []
        self.at: list[float] = []

    async def show(self, state: str, *, final: bool = False) -> None:
        async def send() -> None:
            await asyncio.sleep(0)
            self.shown.append(state)
            self.at.append(time.monotonic())

        await self.throttle.edit(send, final=final)

    async def settled(self) -> None:
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def test_partials_inside_the_interval_are_coalesced_and_the_final_wins() -> None:
    m = Message(0.2, final_gap=0)
    for i in range(50):
        await m.show(f"draft {i}")
    await m.show("final", final=True)
    assert m.shown == ["draft 0", "final"]  # the 48 waiting partials were never sent
    await m.settled()
    assert m.shown[-1] == "final"


async def test_a_final_right_behind_a_settling_partial_replaces_it_and_does_not_wait() -> None:
    m = Message(1.0, final_gap=0.5, settle=0.5)
    await m.show("the whole text")
    assert m.shown == []  # due, but settling
    t0 = time.monotonic()
    await m.show("the whole text, with buttons", final=True)
    assert time.monotonic() - t0 < 0.25  # no final gap to keep: nothing went before it
    await m.settled()
    assert m.shown == ["the whole text, with buttons"]


async def test_a_settling_partial_goes_when_no_final_comes() -> None:
    m = Message(1.0, final_gap=0.1, settle=0.1)
    await m.show("half")
    await asyncio.sleep(0.25)
    assert m.shown == ["half"]
    t0 = time.monotonic()
    await m.show("all", final=True)
    assert m.shown == ["half", "all"]
    assert m.at[1] - m.at[0] >= 0.1 - 0.002  # the final still keeps its gap
    assert time.monotonic() - t0 < 0.5


async def test_the_newest_waiting_partial_is_sent_when_the_interval_is_up() -> None:
    m = Message(0.05)
    for state in ("one", "two", "three"):
        await m.show(state)
    await m.settled()
    assert m.shown == ["one", "three"]


async def test_edits_are_at_least_an_interval_apart() -> None:
    m = Message(0.05)
    for i in range(20):
        await m.show(str(i))
        await asyncio.sleep(0.01)
    await m.settled()
    await m.show("final", final=True)
    gaps = [b - a for a, b in itertools.pairwise(m.at)]
    assert len(gaps) >= 3 and min(gaps) >= 0.05
    assert m.shown[-1] == "final" and m.shown[-2] == "19"  # the newest partial was shown


async def test_a_final_edit_never_goes_before_its_interval_whatever_the_timers() -> None:
    # uvloop's timers may wake early; the throttle checks the clock, so the gap between
    # two edits is never shorter than the interval.
    m = Message(0.0205)
    for i in range(40):
        await m.show(str(i), final=True)
    gaps = [b - a for a, b in itertools.pairwise(m.at)]
    assert min(gaps) >= 0.0205


async def test_the_post_counts_as_an_edit() -> None:
    m = Message(0.05)
    posted = time.monotonic()
    m.throttle.sent_now()
    await m.show("partial")
    await m.show("final", final=True)
    assert m.shown == ["final"] and m.at[0] - posted >= 0.05


async def test_nothing_partial_is_shown_after_the_final_state() -> None:
    m = Message(0.01)
    await m.show("final", final=True)
    await m.show("late progress")
    await m.settled()
    assert m.shown == ["final"]
    posted = Message(0.01)
    posted.throttle.sent_now(final=True)  # a final reply was posted
    await posted.show("late progress")
    await posted.settled()
    assert posted.shown == []


async def test_the_final_state_waits_for_an_edit_in_flight() -> None:
    tasks: set[asyncio.Task[None]] = set()
    throttle = Throttle(0.0, tasks=tasks, final_gap=0)
    shown: list[str] = []
    release = asyncio.Event()

    async def slow() -> None:
        await release.wait()
        shown.append("partial")

    async def final() -> None:
        shown.append("final")

    in_flight = asyncio.create_task(throttle.edit(slow, final=False))
    await asyncio.sleep(0.01)
    finishing = asyncio.create_task(throttle.edit(final, final=True))
    await asyncio.sleep(0.01)
    assert shown == []  # the final waits for the edit in flight...
    release.set()
    await asyncio.gather(in_flight, finishing)
    assert shown == ["partial", "final"]  # ...so the older state cannot land after it


async def test_a_partial_waits_while_the_budget_is_spent_and_the_final_does_not() -> None:
    open_ = [False]
    m = Message(0.01, ready=lambda: open_[0])
    await m.show("one")
    await m.show("two")
    await asyncio.sleep(0.1)
    assert m.shown == []  # held back, not dropped
    open_[0] = True
    await m.settled()
    assert m.shown == ["two"]
    open_[0] = False
    await m.show("final", final=True)
    assert m.shown == ["two", "final"]


async def test_stop_drops_what_waits() -> None:
    m = Message(0.05)
    await m.show("one")
    await m.show("two")
    await m.throttle.stop()
    await m.settled()
    assert m.shown == ["one"]
