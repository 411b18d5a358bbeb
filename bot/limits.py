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
plain functions on plain data (``Bucket``, ``judge``, ``next_utc_midnight``), the clock is
injected. The state lives in the database, so every process on it grants one allowance:
the person's bucket and image-job count are judged and the job row written in one
transaction (``Store.admit``), so two requests at once, on two processes, cannot both
take the last place.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.registry import JobKind
from bot.settings import Settings
from core.models import JobRecord
from core.types import FOLLOW_UP, ActionArgs, Invocation
from storage.api import Store
from storage.coordination import Allowance

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


def judge(
    bucket: Allowance | None,
    images: int,
    *,
    rate: int,
    image_cap: int,
    image: bool,
    now: float,
) -> tuple[Allowance | None, str | None]:
    """The rule for one generating job: its author's rate bucket (None: never used, so
    full) and image jobs queued or running. Returns the new bucket (None: unchanged) and
    the refusal, or None to admit it."""
    if image and image_cap and images >= image_cap:
        return None, (
            f"You already have {image_cap} image job(s) queued or running; wait for one "
            "to finish (or cancel one) and ask again."
        )
    if not rate:
        return None, None
    tokens, at = (float(rate), now) if bucket is None else (bucket.tokens, bucket.at)
    state = Bucket(rate, rate / 60, tokens, at)
    wait = state.wait(now)
    if wait > 0:
        return None, (
            f"You are going fast: at most {rate} writing command(s) a minute. "
            f"Try again in {in_words(wait)}."
        )
    state.take(now)
    return Allowance(state.tokens, state.at), None


@dataclass
class Limits:
    settings: Settings
    store: Store
    clock: Callable[[], float] = time.time

    async def admit(
        self, inv: Invocation, kind: JobKind, record: JobRecord
    ) -> tuple[str | None, JobRecord]:
        """Why this job may not start now (nothing written), or None with the record it
        runs as: an image job (by its spec's kind, or a button or follow-up on an image) is
        recorded with kind "image", so every process counts it. When a limit is on, the
        record is saved here, in the transaction that judged it."""
        if kind == "quick":
            return None, record
        now = self.clock()
        image = await self._is_image(inv, kind)
        if image and record.kind != "image":
            record = dataclasses.replace(record, kind="image")
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
                ), record
        rate, cap = self.settings.user_rate, self.settings.image_jobs_per_user
        if not rate and not (image and cap):
            return None, record
        key = f"rate:{inv.place.platform}:{inv.place.workspace}:{inv.author.id}"
        refusal = await self.store.admit(
            key,
            record,
            lambda bucket, images: judge(
                bucket, images, rate=rate, image_cap=cap, image=image, now=now
            ),
        )
        return refusal, record

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
