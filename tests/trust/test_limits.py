"""Per-person rate, per-workspace daily token budget, image jobs per person: a clear
refusal saying when it lets go, and nothing queued, written or charged."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.terminal import TerminalResponder
from bot.app import App, open_app
from bot.limits import Bucket, in_words, next_utc_midnight
from bot.settings import Settings
from core.models import Usage
from core.types import Author, Place
from generation.images.base import ImageRequest, ImageResult
from generation.images.offline import OfflineBackend
from tests.bot.helpers import Session
from tests.conftest import counting_seeds

pytestmark = pytest.mark.timeout(30)

KEY = ("terminal", "local", "general")


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(time.time())


@contextlib.asynccontextmanager
async def opened(settings: Settings, clock: Clock, **overrides: Any) -> AsyncIterator[App]:
    images = overrides.pop("images", None)
    async with open_app(
        dataclasses.replace(settings, **overrides), seeds=counting_seeds(), images=images
    ) as app:
        app.dispatcher.limits.clock = clock
        yield app


async def state(app: App) -> tuple[int, int]:
    """(conversations of the channel, jobs ever recorded): what a refusal must not change."""
    conv = await app.store.latest_conversation(KEY)
    jobs = await app.store.jobs(["queued", "running", "done", "failed", "cancelled", "interrupted"])
    return (0 if conv is None else conv.id), len(jobs)


async def test_user_rate_refuses_with_seconds_to_wait_then_lets_go(
    settings: Settings, clock: Clock
) -> None:
    async with opened(settings, clock, user_rate=2) as app:
        dana, lee = Session(app, user="dana"), Session(app, user="lee")
        await dana.say("/story set logline A lighthouse keeper hears the sea speak.")
        assert "Synopsis" in await dana.say("/synopsis")
        assert "Synopsis" in await dana.say("/synopsis")
        before = await state(app)
        out = await dana.say("/synopsis")
        assert "at most 2 writing command(s) a minute" in out and "Try again in 30 s" in out
        assert await state(app) == before  # nothing queued, nothing written
        # Bible edits are never limited; other people have their own bucket.
        assert "is now" in await dana.say("/story set genre folk horror")
        assert "Synopsis" in await lee.say("/synopsis")
        clock.now += 20
        assert "Try again in 10 s" in await dana.say("/synopsis")
        clock.now += 10
        assert "Synopsis" in await dana.say("/synopsis")


async def test_daily_token_budget_refuses_until_midnight_utc(
    settings: Settings, clock: Clock
) -> None:
    async with opened(settings, clock, daily_tokens=1000) as app:
        s = Session(app)
        await s.say("/story set logline Two couriers, one parcel, no brakes.")
        await app.store.record_usage(KEY, "terminal:dana", Usage("fake", 600, 400))
        # Another workspace's spending is not ours.
        await app.store.record_usage(("slack", "T9", "C1"), "U9", Usage("fake", 10**6, 0))
        before = await state(app)
        out = await s.say("/synopsis")
        left = in_words(next_utc_midnight(clock.now) - clock.now)
        assert "daily model budget (1,000 of 1,000 tokens)" in out
        assert f"resets at 00:00 UTC (in {left})" in out
        assert await state(app) == before
        assert "is now" in await s.say("/story set tone wry")
        clock.now = next_utc_midnight(clock.now) + 1
        assert "Synopsis" in await s.say("/synopsis")


class GatedImages(OfflineBackend):
    """The offline card, drawn only once the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.started = 0

    async def generate(
        self, request: ImageRequest, on_progress: Any = None, on_queue: Any = None
    ) -> ImageResult:
        self.started += 1
        await self.gate.wait()
        return await super().generate(request, on_progress, on_queue)


async def test_image_jobs_are_limited_per_person_in_the_queue(
    settings: Settings, clock: Clock
) -> None:
    backend = GatedImages()
    async with opened(settings, clock, image_jobs_per_user=1, images=backend) as app:
        await Session(app).say("/character new Mara")
        place = Place(*KEY)
        dana = Author("terminal:dana", "dana", manager=True)
        lee = Author("terminal:lee", "lee")

        async def ask(author: Author, line: str) -> tuple[str, Any]:
            out = io.StringIO()
            job = await app.dispatcher.handle_text(
                line, place, author, TerminalResponder(out, place)
            )
            return out.getvalue(), job

        _, first = await ask(dana, "/portrait Mara")
        out, second = await ask(dana, "/portrait Mara noir")
        assert second is None and "already have 1 image job(s) queued or running" in out
        out, other = await ask(lee, "/portrait Mara")  # someone else's place in line
        assert other is not None
        _, history = await ask(dana, "/portrait Mara history")  # no image made: not counted
        assert history is not None
        await history.wait()
        backend.gate.set()
        await first.wait()
        await other.wait()
        _, again = await ask(dana, "/portrait Mara noir")
        assert again is not None
        await again.wait()


def test_bucket_refills_at_its_rate_and_never_past_capacity() -> None:
    b = Bucket(3, 3 / 60, 3, 0.0)
    for _ in range(3):
        assert b.wait(0.0) == 0
        b.take(0.0)
    assert b.wait(0.0) == pytest.approx(20.0)
    assert b.wait(600.0) == 0 and b.tokens == 3


def test_reset_times_read_well() -> None:
    assert in_words(39.2) == "40 s"
    assert in_words(600) == "10 min"
    assert in_words(5 * 3600 + 12 * 60) == "5 h 12 min"
    assert next_utc_midnight(86_400 * 3 + 5) == 86_400 * 4


def test_trust_settings_are_read_with_their_defaults_and_checked() -> None:
    from bot.settings import load_settings
    from core.errors import ConfigError

    defaults = load_settings({}, dotenv=None)
    assert (
        defaults.retention_days,
        defaults.redact_pii,
        defaults.user_rate,
        defaults.daily_tokens,
        defaults.image_jobs_per_user,
    ) == (0, False, 0, 0, 2)
    s = load_settings(
        {
            "WRITERSROOM_RETENTION_DAYS": "30",
            "WRITERSROOM_REDACT_PII": "yes",
            "WRITERSROOM_USER_RATE": "20",
            "WRITERSROOM_DAILY_TOKENS": "200000",
            "WRITERSROOM_IMAGE_JOBS_PER_USER": "1",
        },
        dotenv=None,
    )
    assert (s.retention_days, s.redact_pii, s.user_rate, s.daily_tokens, s.image_jobs_per_user) == (
        30,
        True,
        20,
        200_000,
        1,
    )
    for key, bad in (
        ("WRITERSROOM_REDACT_PII", "maybe"),
        ("WRITERSROOM_USER_RATE", "-1"),
        ("WRITERSROOM_RETENTION_DAYS", "a week"),
    ):
        with pytest.raises(ConfigError, match=key):
            load_settings({key: bad}, dotenv=None)
