"""A press of a reply's button does its work once, however often it arrives."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.adapters.presses import ALREADY_ON_IT
from bot.app import open_app
from bot.settings import Settings
from core.models import Character
from core.types import Author
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import BOB, GENERAL, Harness, running
from tests.adapters.discord.payloads import GUILD
from tests.adapters.slack.doubles import GatedEngine

KEY = ("discord", str(GUILD), GENERAL["id"])


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for row in message["components"] for b in row["components"]}


def _head(fake: FakeDiscord) -> dict[str, Any]:
    """The newest draft's message in #writers-room (an interaction's original response)."""
    return [m for m in fake.in_channel(int(GENERAL["id"])) if m.get("webhook_id")][-1]


def _takes(fake: FakeDiscord, head: dict[str, Any]) -> int:
    """New takes of the draft in its thread."""
    return sum(
        any("another take" in (e.get("title") or "") for e in m.get("embeds", []))
        for m in fake.in_channel(int(head["id"]))
    )


def _press(bot: Harness, head: dict[str, Any], label: str, who: Any = None) -> dict[str, Any]:
    channel = bot.fake.channels[int(head["channel_id"])]
    data = {"custom_id": _buttons(head)[label], "component_type": 2}
    options = {"who": who} if who is not None else {}
    return bot.interaction(3, data, channel=channel, message=dict(head), **options)


def _told(bot: Harness, press: dict[str, Any]) -> list[dict[str, Any]]:
    """What the press was answered with, if it was answered with a message."""
    return [c.payload for c in bot.calls_for(press) if c.sends_message]


async def test_regenerate_clicked_twice_at_once_writes_one_take(discord_bot: Harness) -> None:
    await discord_bot.command("synopsis")
    head = _head(discord_bot.fake)
    first, second = _press(discord_bot, head, "Regenerate"), _press(discord_bot, head, "Regenerate")
    await asyncio.gather(discord_bot.deliver(first), discord_bot.deliver(second))
    assert _takes(discord_bot.fake, head) == 1
    [[already]] = [_told(discord_bot, p) for p in (first, second) if _told(discord_bot, p)]
    assert already["data"]["content"] == ALREADY_ON_IT
    assert already["data"]["flags"] & 64  # only the presser sees it


async def test_regenerate_pressed_again_after_its_take_writes_another(
    discord_bot: Harness,
) -> None:
    await discord_bot.command("synopsis")
    head = _head(discord_bot.fake)
    for _ in range(2):
        await discord_bot.deliver(_press(discord_bot, head, "Regenerate"))
    assert _takes(discord_bot.fake, head) == 2


async def test_two_writers_pressing_regenerate_each_get_a_take(discord_bot: Harness) -> None:
    await discord_bot.command("synopsis")
    head = _head(discord_bot.fake)
    alice, bob = (
        _press(discord_bot, head, "Regenerate"),
        _press(discord_bot, head, "Regenerate", BOB),
    )
    await asyncio.gather(discord_bot.deliver(alice), discord_bot.deliver(bob))
    assert _takes(discord_bot.fake, head) == 2


async def test_save_clicked_twice_on_a_dialogue_adds_one_scene(discord_bot: Harness) -> None:
    store = discord_bot.app.store
    alice = Author("1", "Alice")
    story = await store.ensure_story(KEY, alice)
    await store.add_character(story.id, Character(name="Mara", role="pilot"), alice)
    await store.add_character(story.id, Character(name="Jonah", role="brother"), alice)
    await discord_bot.command("dialogue", characters="Mara, Jonah", situation="the airlock")
    head = _head(discord_bot.fake)
    first, second = (
        _press(discord_bot, head, "Save to bible"),
        _press(discord_bot, head, "Save to bible"),
    )
    await asyncio.gather(discord_bot.deliver(first), discord_bot.deliver(second))
    assert len(await store.scenes(story.id)) == 1


async def test_a_press_held_on_one_process_is_dropped_on_another(
    settings: Settings, fake: FakeDiscord
) -> None:
    engine = GatedEngine()
    engine.gate.set()
    async with (
        open_app(settings, engine=engine) as app_one,
        open_app(settings, engine=engine) as app_two,
        running(app_one, fake) as one,
        running(app_two, fake) as two,
    ):
        await one.command("synopsis")
        head = _head(fake)
        engine.gate.clear()
        engine.started.clear()
        fake.activate()
        try:
            one.state.parse_interaction_create(_press(one, head, "Regenerate"))  # type: ignore[arg-type]
            await asyncio.wait_for(engine.started.wait(), 10)  # its take is being written
            again = _press(two, head, "Regenerate")
            two.state.parse_interaction_create(again)  # type: ignore[arg-type]
            await fake.wait_for(lambda _: again["token"] in fake.responded)
        finally:
            engine.gate.set()
        await one.client.router.idle()
        await two.client.router.idle()
        assert [t["data"]["content"] for t in _told(two, again)] == [ALREADY_ON_IT]
        assert _takes(fake, head) == 1

        await two.deliver(_press(two, head, "Regenerate"))  # done: the button works again
        assert _takes(fake, head) == 2
