"""A command whose job waited in the queue past the interaction token's 15 minutes: its
webhook refuses everything, so the reply comes by the bot's own routes (the channel, or
the asker's direct messages for a reply meant for them alone)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import re
from typing import Any

import pytest

from bot.adapters.discord import outbox
from bot.adapters.discord.responder import SENT_PRIVATELY
from bot.app import open_app
from bot.settings import Settings
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import ALICE, GENERAL, OTHER, Harness, running
from tests.adapters.slack.doubles import GatedEngine

LATE = dt.timedelta(minutes=16)
LINK = re.compile(r"board\.example/board/[a-z0-9.]+")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, public_url="https://board.example")


async def late_command(bot: Harness, name: str, sub: str | None, **options: Any) -> None:
    """A slash command answered only after its token expired."""
    payload = bot.interaction(2, bot.command_data(name, sub, options))
    await bot.deliver(bot.fake.age(payload, LATE))


def bot_messages(bot: Harness, channel: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in bot.fake.in_channel(int(channel["id"])) if m["author"]["bot"]]


def dm_of(bot: Harness, who: dict[str, Any]) -> list[dict[str, Any]]:
    """What the bot sent to ``who``'s direct messages."""
    channels = [c for c in bot.fake.channels.values() if c["type"] == 1]
    return [
        m
        for c in channels
        if bot.fake.dm_with(int(c["id"])) == int(who["id"])
        for m in bot.fake.in_channel(int(c["id"]))
    ]


async def test_a_draft_answered_after_the_token_expired_is_posted_in_the_channel(
    discord_bot: Harness,
) -> None:
    await late_command(discord_bot, "synopsis", None, length="short")
    [head] = [m for m in bot_messages(discord_bot, GENERAL) if m["embeds"]]
    assert not head.get("webhook_id")  # sent by the bot's own route, not the webhook
    [embed] = head["embeds"]
    assert embed["title"].startswith("Synopsis") and embed["description"] != "_Writing…_"
    labels = {b["label"] for row in head["components"] for b in row["components"]}
    assert {"Regenerate", "Continue", "Save to bible"} <= labels
    assert discord_bot.fake.find("POST", rf"/messages/{head['id']}/threads$")  # its thread
    assert discord_bot.fake.refused == 0  # nothing was tried on the dead webhook


async def test_a_private_reply_after_the_token_expired_goes_to_direct_messages(
    discord_bot: Harness,
) -> None:
    await late_command(discord_bot, "outline", "board")
    [dm] = dm_of(discord_bot, ALICE)
    assert LINK.search(json.dumps(dm))
    in_channel = json.dumps(bot_messages(discord_bot, GENERAL))
    assert not LINK.search(in_channel)  # never where the channel reads it
    assert SENT_PRIVATELY in in_channel
    assert discord_bot.fake.refused == 0


async def test_a_late_private_reply_to_someone_who_takes_no_dms_is_not_shown_publicly(
    discord_bot: Harness,
) -> None:
    discord_bot.fake.no_dms.add(int(ALICE["id"]))
    await late_command(discord_bot, "outline", "board")
    posted = json.dumps(list(discord_bot.fake.messages.values()))
    assert not LINK.search(posted)
    said = [m["content"] for m in bot_messages(discord_bot, GENERAL)]
    assert any("can't send you a direct message" in text for text in said), said


async def test_an_error_for_a_late_button_press_goes_to_the_pressers_direct_messages(
    discord_bot: Harness,
) -> None:
    await discord_bot.command("synopsis")
    [head] = [m for m in bot_messages(discord_bot, GENERAL) if m.get("webhook_id")]
    save = next(
        b["custom_id"]
        for row in head["components"]
        for b in row["components"]
        if b["label"] == "Save to bible"
    )
    forged = dict(head, channel_id=OTHER["id"])  # the button, shown in another channel
    channel = discord_bot.fake.channels[int(OTHER["id"])]
    data = {"custom_id": save, "component_type": 2}
    press = discord_bot.interaction(3, data, channel=channel, message=forged)
    await discord_bot.deliver(discord_bot.fake.age(press, LATE))
    [dm] = dm_of(discord_bot, ALICE)
    assert "no longer exists in this channel" in json.dumps(dm)
    told = [m["content"] for m in discord_bot.fake.in_channel(int(head["id"]))]  # its thread
    assert SENT_PRIVATELY in told


async def test_a_command_that_waited_past_its_token_answers_in_its_thinking_message(
    settings: Settings, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job queued behind another until its token lapsed: its deferred "thinking…"
    response was looked up before the token lapsed, and the answer goes into it by the
    bot's own routes (it used to stay up for good beside a new message)."""
    monkeypatch.setattr(outbox, "TOKEN_LIFETIME", dt.timedelta(minutes=10, seconds=3))
    engine = GatedEngine()
    one_at_a_time = dataclasses.replace(settings, text_concurrency=1)
    async with open_app(one_at_a_time, engine=engine) as app, running(app, fake) as bot:
        fake.activate()
        first = bot.interaction(2, bot.command_data("synopsis", None, {}))
        second = bot.fake.age(
            bot.interaction(2, bot.command_data("synopsis", None, {})), dt.timedelta(minutes=10)
        )
        try:
            bot.state.parse_interaction_create(first)  # type: ignore[arg-type]
            await asyncio.wait_for(engine.started.wait(), 10)  # it holds the one text slot
            bot.state.parse_interaction_create(second)  # type: ignore[arg-type]
            await fake.wait_for(lambda _: second["token"] in fake.responded)
            thinking = fake.originals[second["token"]]
            await fake.wait_for(
                lambda calls: any(c.method == "GET" and second["token"] in c.path for c in calls)
            )
            await asyncio.sleep(3.5)  # the bot's token for it has lapsed meanwhile
        finally:
            engine.gate.set()
        await bot.client.router.idle()
        answered = fake.messages[thinking]
        assert answered["embeds"] and answered["embeds"][0]["title"].startswith("Synopsis")
        assert fake.find("PATCH", rf"/channels/\d+/messages/{thinking}$")  # the bot's route
        assert fake.refused == 0
