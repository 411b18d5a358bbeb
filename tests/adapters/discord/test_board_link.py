"""/outline board on Discord: the link goes to the person who asked alone (an ephemeral
follow-up), and nothing public is left in the channel."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from bot.settings import Settings
from tests.adapters.discord.harness import Harness


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, public_url="https://board.example")


async def test_the_board_link_is_ephemeral(discord_bot: Harness) -> None:
    payload = await discord_bot.command("outline board")
    calls = [c for c in discord_bot.calls_for(payload) if c.payload]
    link = re.compile(r"board\.example/board/[a-z0-9.]+")
    with_link = [c for c in calls if link.search(json.dumps(c.payload))]
    assert with_link, calls
    for call in with_link:
        data = call.payload.get("data", call.payload)
        assert data["flags"] & 64, call  # ephemeral
    # the deferred "thinking…" everyone would see is taken away
    assert any(
        c.method == "DELETE" and c.path.endswith("/messages/@original")
        for c in discord_bot.calls_for(payload)
    )
