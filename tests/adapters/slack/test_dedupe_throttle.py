"""Claims expire and stay bounded; edits wait their turn."""

from __future__ import annotations

import time

import pytest

from bot.adapters.slack.dedupe import Seen
from bot.adapters.slack.throttle import EditThrottle


def test_a_key_is_claimed_once_within_the_ttl() -> None:
    now = [0.0]
    seen = Seen(ttl=10, clock=lambda: now[0])
    assert seen.first("Ev1") and not seen.first("Ev1")
    now[0] = 11
    assert seen.first("Ev1")


def test_seen_is_bounded() -> None:
    seen = Seen(max_keys=100)
    for i in range(1000):
        seen.first(i)
    assert len(seen) <= 100


def test_streaming_skips_edits_inside_the_interval_and_over_the_budget() -> None:
    now = [100.0]
    throttle = EditThrottle(interval=1.0, per_minute=3, clock=lambda: now[0])
    a = throttle.state("C1", "1.0")
    throttle.touched("T", a)
    assert not throttle.may_stream("T", a)
    now[0] += 1.0
    assert throttle.may_stream("T", a)
    throttle.touched("T", a)
    throttle.touched("T", throttle.state("C1", "2.0"))
    now[0] += 5
    assert not throttle.may_stream("T", a)  # 3 edits in the last minute
    now[0] += 60
    assert throttle.may_stream("T", a)
    a.final = True
    assert not throttle.may_stream("T", a)


@pytest.mark.both_loops
async def test_a_final_edit_never_goes_before_its_interval_whatever_the_timers() -> None:
    # uvloop's timers have millisecond granularity and may wake early; the throttle
    # checks the clock, so the gap is never shorter than the interval.
    throttle = EditThrottle(interval=0.0205)
    state = throttle.state("C1", "1.0")
    gaps = []
    for _ in range(40):
        state.last_edit = time.monotonic()
        await throttle.wait_turn(state)
        gaps.append(time.monotonic() - state.last_edit)
    assert min(gaps) >= 0.0205
