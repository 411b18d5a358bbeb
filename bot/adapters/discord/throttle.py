"""Discord's edit limits, applied with the adapters' one edit policy (bot/adapters/throttle.py).

A message is edited at most once a second while it streams; its final state goes at once
(after any edit in flight), because discord.py waits on 429s per rate-limit bucket itself,
so the final reply never waits for a second it does not need.
"""

from __future__ import annotations

import asyncio

from bot.adapters.throttle import Throttle

EDIT_INTERVAL = 1.0
FINAL_GAP = 0.0


def message_throttle(tasks: set[asyncio.Task[None]]) -> Throttle:
    """The throttle of one message; its timers join ``tasks`` (the bot cancels them)."""
    return Throttle(EDIT_INTERVAL, tasks=tasks, final_gap=FINAL_GAP)
