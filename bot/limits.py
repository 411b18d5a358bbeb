"""Cost and abuse limits, checked in one place before a generating job is queued.

Three limits, each off at 0 (see bot/settings.py):

- per person, a token bucket of WRITERSROOM_USER_RATE generating commands a minute
  (bursts up to the rate, then one more every 60/rate seconds);
- per workspace, WRITERSROOM_DAILY_TOKENS model tokens a UTC day, read from the usage
  table (a job already running may finish past it; the next one is refused);
- per person, WRITERSROOM_IMAGE_JOBS_PER_USER image jobs queued or running at once: the
  commands whose spec says ``job="image"``, and the Regenerate / Variations buttons and
  thread follow-ups of an image.

Bible reads and edits ("quick" jobs) are never limited. A refusal is a sentence saying
which limit and when it resets; nothing is queued, written or charged. The rules are
plain functions on plain data (``Bucket``, ``next_utc_midnight``), the clock is injected.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.registry import JobKind
from bot.settings import Settings
from core.types import FOLLOW_UP, ActionArgs, Invocation
from storage.api import Store

if TYPE_CHECKING:
    from bot.jobs import Job

IMAGE_ACTIONS = ("regenerate", "variations")
IMAGE_REF_PREFIX = "img."


@dataclass
class Bucket:
    """A token bucket: ``capacity`` tokens, refilled at ``per_second``."""

    capacity: float
    per_second: float
    tokens: float
    at: float

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0: one is there now). Changes nothing."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_second

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.at) * self.per_second)
        self.at = now


def next_utc_midnight(now: float) -> float:
    day = datetime.fromtimestamp(now, UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return (day + timedelta(days=1)).timestamp()


def in_words(seconds: float) -> str:
    """ "40 s", "3 min", "5 h 12 min": how long until a limit lets go."""
    s = max(1, math.ceil(round(seconds, 3)))  # 10.0000001 s reads as 10 s
    if s < 90:
        return f"{s} s"
    minutes = math.ceil(s / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def _reservation(inv: Invocation) -> str:
    return f"pending-{id(inv)}"


@dataclass
class Limits:
    settings: Settings
    store: Store
    clock: Callable[[], float] = time.time
    _buckets: dict[tuple[str, str, str], Bucket] = field(default_factory=dict)
    _images: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)

    async def check(self, inv: Invocation, kind: JobKind) -> str | None:
        """Why this invocation may not start now, or None (then it has been counted:
        call ``started`` with its job)."""
        if kind == "quick":
            return None
        who = (inv.place.platform, inv.place.workspace, inv.author.id)
        now = self.clock()
        cap = self.settings.image_jobs_per_user
        image = bool(cap) and await self._is_image(inv, kind)
        if image and len(self._images.get(who, ())) >= cap:
            return (
                f"You already have {cap} image job(s) queued or running; wait for one "
                "to finish (or cancel one) and ask again."
            )
        budget = self.settings.daily_tokens
        if budget:
            midnight = next_utc_midnight(now)
            used = await self.store.workspace_tokens_since(
                inv.place.platform, inv.place.workspace, midnight - 86_400
            )
            if used >= budget:
                return (
                    f"This workspace has used its daily model budget ({used:,} of "
                    f"{budget:,} tokens). It resets at 00:00 UTC (in "
                    f"{in_words(midnight - now)}). Bible commands still work."
                )
        rate = self.settings.user_rate
        if rate:
            bucket = self._buckets.setdefault(who, Bucket(rate, rate / 60, rate, now))
            wait = bucket.wait(now)
            if wait > 0:
                return (
                    f"You are going fast: at most {rate} writing command(s) a minute. "
                    f"Try again in {in_words(wait)}."
                )
            bucket.take(now)
        if image:  # held from now, so two requests at once cannot both pass
            self._images.setdefault(who, set()).add(_reservation(inv))
        return None

    def started(self, inv: Invocation, job: Job | None) -> None:
        """Hold a queued image job's place against its author until its task ends."""
        who = (inv.place.platform, inv.place.workspace, inv.author.id)
        mine = self._images.get(who)
        if mine is None or _reservation(inv) not in mine:
            return
        mine.discard(_reservation(inv))
        if job is not None and job.task is not None and not job.task.done():
            mine.add(job.id)
            job.task.add_done_callback(lambda _task: mine.discard(job.id))

    async def _is_image(self, inv: Invocation, kind: JobKind) -> bool:
        """An image job: by its spec's kind, or a button / follow-up on an image."""
        if kind == "image":
            return True
        if isinstance(inv.args, ActionArgs):
            return inv.args.ref.startswith(IMAGE_REF_PREFIX) and inv.args.action in IMAGE_ACTIONS
        if inv.command == FOLLOW_UP and inv.place.thread is not None:
            story = await self.store.active_story(inv.place.story_key)
            return (
                story is not None
                and (await self.store.image_in_thread(story.id, inv.place.thread)) is not None
            )
        return False
