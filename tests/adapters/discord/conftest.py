from __future__ import annotations

import warnings

with warnings.catch_warnings():
    # discord.py imports the stdlib's audioop (voice), deprecated since Python 3.11; the
    # bot never uses voice. Import it once here so the warning is not an error at collection.
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord  # noqa: F401

from collections.abc import AsyncIterator  # noqa: E402

import pytest  # noqa: E402

from bot.app import App  # noqa: E402
from tests.adapters.discord.fake_discord import FakeDiscord  # noqa: E402
from tests.adapters.discord.harness import Harness, running  # noqa: E402


@pytest.fixture
def fake() -> FakeDiscord:
    return FakeDiscord()


@pytest.fixture
async def discord_bot(app: App, fake: FakeDiscord) -> AsyncIterator[Harness]:
    async with running(app, fake) as harness:
        yield harness
    # Whatever a test did, nothing the bot sent could ping anyone.
    for call in fake.sent():
        assert call.payload is not None
        mentions = call.payload.get("allowed_mentions",
                                    call.payload.get("data", {}).get("allowed_mentions"))
        assert mentions == {"parse": []}, call


# TEMP: stub engine until the offline engine lands
from generation.base import Draft  # noqa: E402
from bot.app import open_app  # noqa: E402
from bot.settings import Settings  # noqa: E402


class _Eng:
    name = "offline draft engine"

    async def write(self, task, on_text=None):  # type: ignore[no-untyped-def]
        text = ""
        for i in range(5):
            text += f"Part {i} of {task.kind}. " * 30
            if on_text:
                await on_text(text)
        data = None
        if task.kind == "character":
            data = {"name": task.params["name"], "role": "pilot", "one_line": "A pilot."}
        return Draft(text=text, engine="offline draft engine", data=data)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    async with open_app(settings, engine=_Eng()) as opened:
        yield opened
