"""One press of a button does its work once, however often it arrives, on any process.

A double click, or one press delivered twice, reaches an adapter as two presses, maybe on
two processes of one database: Regenerate made two takes, Save saved twice. So a press
first holds its button: a lease in the database (``Store.hold_task``, one conditional
write) named by the message, the button's action id and the person who pressed. Another
press of that button by that person, while the job of the press holding it has not
ended, finds it held and is dropped. The job's end gives the lease back, so the button
works again afterwards (Regenerate pressed later makes another take). While the job runs
its lease is kept every third of ``HOLD``, however long it takes (a draft written
beat by beat on a slow model); a process that dies before giving it back leaves the
lease to run out after ``HOLD`` seconds.

Each person holds a button of their own: two writers pressing Regenerate on one draft
each get a take.

A Slack form's Save is held the same way (bot/adapters/slack/interactions.py), for a few
seconds while it saves and for a quarter of an hour once it has: a save that failed gives the hold
back, so the same values submitted again are saved then, not dropped as a repeat.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from bot import accepted
from bot.jobs import Job
from storage.api import Store

log = logging.getLogger(__name__)

HOLD = 120.0
"""Seconds a press's lease runs from its last keeping: the longest a button stays dead for
its presser when their press's process died."""
ALREADY_ON_IT = "Already on it: your last press of that button is still being worked on."

Spawn = Callable[[Coroutine[Any, Any, None]], None]
"""Starts a task the adapter owns (so shutdown and tests wait for it)."""


@dataclass(frozen=True, slots=True)
class Press:
    """A press that holds its button until ``give_back``."""

    store: Store
    name: str
    holder: str

    async def release(self) -> None:
        """The lease ends now (the next press of the button holds it again)."""
        await self.store.hold_task(self.name, self.holder, time.time(), 0.0)

    async def keep(self, seconds: float | None = None) -> None:
        """The lease runs for ``seconds`` (``HOLD``) from now."""
        now = time.time()
        await self.store.hold_task(self.name, self.holder, now, now + (seconds or HOLD))

    def give_back(self, job: Job | None, spawn: Spawn) -> None:
        """Release the button when ``job`` ends, or now when the press started none.

        The release runs in a context of its own: it belongs to no request (a request
        accepted durably is done once its listener's work is, bot/accepted.py)."""
        task = job.task if job is not None else None
        fresh = contextvars.Context()
        if task is None or task.done():
            fresh.run(spawn, self.release())
        else:
            fresh.run(spawn, self._held_while(task))

    async def _held_while(self, task: asyncio.Future[Any]) -> None:
        """Keep the lease while ``task`` runs, then give it back."""
        while not task.done():
            await asyncio.wait({task}, timeout=HOLD / 3)
            if not task.done():
                try:
                    await self.keep()
                except Exception as exc:  # kept at the next turn, or run out
                    log.warning("could not keep a press's lease (%s)", type(exc).__name__)
        await self.release()


async def hold(store: Store, *where: str, seconds: float | None = None) -> Press | None:
    """Hold the button at ``where`` (platform, workspace, channel, message, action id,
    presser) for this press, for ``seconds`` (``HOLD``) until it is kept again; None
    while an earlier press of it is being worked on."""
    name = "press:" + "\x1f".join(where)
    # A request a surviving process runs again holds as the request it was.
    holder = accepted.claimant() or uuid.uuid4().hex
    now = time.time()
    if not await store.hold_task(name, holder, now, now + (seconds or HOLD)):
        return None
    return Press(store, name, holder)
