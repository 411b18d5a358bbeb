"""/outline board on Discord: the link goes to the person who asked alone (an ephemeral
follow-up), and nothing public is left in the channel."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from bot.settings import Settings
from tests.adapters.discord.harness import BOB, GENERAL, Harness


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


LINK = re.compile(r"board\.example/board/[a-z0-9.]+")


def _sent_to(bot: Harness) -> dict[str, list[str]]:
    """Channel id -> the contents the bot sent there by its own routes."""
    out: dict[str, list[str]] = {}
    for c in bot.fake.calls:
        m = re.fullmatch(r"/channels/(\d+)/messages(?:/\d+)?", c.path)
        if m and c.method in ("POST", "PATCH") and c.payload:
            out.setdefault(m[1], []).append(json.dumps(c.payload))
    return out


async def test_asked_by_a_mention_the_link_goes_to_a_direct_message(discord_bot: Harness) -> None:
    await discord_bot.say("/outline board", channel=GENERAL, who=BOB, mention_bot=True)
    sent = _sent_to(discord_bot)
    in_channel = " ".join(sent.get(GENERAL["id"], []))
    assert not LINK.search(in_channel)  # never where the channel reads it
    assert "direct messages" in in_channel  # said where it went
    [dm] = [c for c in discord_bot.fake.channels.values() if c["type"] == 1]
    assert discord_bot.fake.dm_with(int(dm["id"])) == int(BOB["id"])
    assert LINK.search(" ".join(sent[dm["id"]]))


async def test_a_person_who_takes_no_direct_messages_is_told_how_and_shown_no_link(
    discord_bot: Harness,
) -> None:
    discord_bot.fake.no_dms.add(int(BOB["id"]))
    await discord_bot.say("/outline board", channel=GENERAL, who=BOB, mention_bot=True)
    posted = json.dumps(list(discord_bot.fake.messages.values()))  # what Discord took
    assert not LINK.search(posted)
    said = " ".join(_sent_to(discord_bot)[GENERAL["id"]])
    assert "slash command" in said and "can't send you a direct message" in said
