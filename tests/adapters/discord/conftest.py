from __future__ import annotations

import warnings

with warnings.catch_warnings():
    # discord.py imports the stdlib's audioop (voice), deprecated since Python 3.11; the
    # bot never uses voice. Import it once here so the warning is not an error at collection.
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord  # noqa: F401

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import Harness, running


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
        mentions = call.payload.get(
            "allowed_mentions", call.payload.get("data", {}).get("allowed_mentions")
        )
        assert mentions == {"parse": []}, call
