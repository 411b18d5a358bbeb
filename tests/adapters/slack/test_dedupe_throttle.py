"""Claims expire and stay bounded; edits keep to the workspace's budget."""

from __future__ import annotations

import asyncio

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


def test_partial_edits_wait_while_the_workspace_budget_is_spent() -> None:
    now = [100.0]
    edits = EditThrottle(interval=1.0, per_minute=3, clock=lambda: now[0])
    assert edits.within_budget("T")
    for _ in range(3):
        edits.touched("T")
    assert not edits.within_budget("T")  # 3 writes in the last minute
    assert edits.within_budget("T2")  # another workspace has its own budget
    now[0] += 61
    assert edits.within_budget("T")


def test_each_message_has_one_throttle_shared_by_its_responders() -> None:
    edits = EditThrottle(interval=1.0, max_messages=2)
    first = edits.message("T", "C1", "1.0")
    assert edits.message("T", "C1", "1.0") is first
    assert first.edits.interval == first.edits.final_gap == 1.0  # finals keep the interval
    edits.message("T", "C1", "2.0")
    edits.message("T", "C1", "3.0")
    assert edits.message("T", "C1", "1.0") is not first  # the oldest was forgotten


async def test_close_cancels_the_partial_edits_still_waiting() -> None:
    edits = EditThrottle(interval=60.0)
    state = edits.message("T", "C1", "1.0")
    state.edits.sent_now()
    shown: list[str] = []

    async def show() -> None:
        shown.append("partial")

    await state.edits.edit(show, final=False)  # waits its minute
    await edits.close()
    waiting = [t for t in asyncio.all_tasks() if t.get_name() == "edit-throttle"]
    assert shown == [] and waiting == []
