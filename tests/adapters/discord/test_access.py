"""Who may do what, what autocomplete shows whom, and that nothing the bot sends can ping."""

from __future__ import annotations

from typing import Any

import discord

from bot.adapters.discord.interaction_responders import InteractionResponder
from bot.adapters.discord.translate import interaction_where
from core.types import Reply
from tests.adapters.discord.fake_discord import Call
from tests.adapters.discord.harness import ALICE, BOB, GENERAL, OTHER, Harness
from tests.adapters.discord.payloads import GUILD, user

NO_PINGS: dict[str, list[str]] = {"parse": []}
PINGS = "@everyone @here <@&555555555555555555> <@999999999999999999>"


def _refusals(bot: Harness, payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        c.payload
        for c in bot.calls_for(payload)
        if c.sends_message and c.payload and "Only the story's creator" in str(c.payload)
    ]


async def test_replacing_a_story_needs_its_creator_or_manage_channels(discord_bot: Harness) -> None:
    await discord_bot.command("story set", who=ALICE, field="title", value="Salt Road")
    refused = await discord_bot.command("story new", who=BOB, title="Mine Now")
    [refusal] = _refusals(discord_bot, refused)
    assert refusal["flags"] & 64  # only Bob sees it
    story = await discord_bot.app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
    assert story is not None and story.title == "Salt Road"

    await discord_bot.command("story new", who=BOB, manager=True, title="Moderated")
    story = await discord_bot.app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
    assert story is not None and story.title == "Moderated"

    await discord_bot.command("story new", who=BOB, title="Bob's Own")  # Bob created it now
    story = await discord_bot.app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
    assert story is not None and story.title == "Bob's Own"


async def test_a_mention_cannot_replace_someone_elses_story(discord_bot: Harness) -> None:
    await discord_bot.command("story set", who=ALICE, field="title", value="Salt Road")
    await discord_bot.say("/story new Hijacked", channel=GENERAL, who=BOB, mention_bot=True)
    story = await discord_bot.app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
    assert story is not None and story.title == "Salt Road"
    said = [m["content"] for m in discord_bot.fake.in_channel(int(GENERAL["id"]))]
    assert any("Only the story's creator" in text for text in said)


async def test_character_names_autocomplete_from_this_channels_bible_only(
    discord_bot: Harness,
) -> None:
    for name in ("Mara", "Jonah", "Marek"):
        await discord_bot.command("character new", name=name)
    await discord_bot.command("character new", channel=OTHER, name="Mallory")
    assert await discord_bot.autocomplete("character show", "name", name="ma") == ["Mara", "Marek"]
    assert await discord_bot.autocomplete("character show", "name", channel=OTHER, name="ma") == [
        "Mallory"
    ]
    assert await discord_bot.autocomplete("dialogue", "characters", characters="Mara, jo") == [
        "Mara, Jonah"
    ]


async def test_autocomplete_in_a_thread_uses_the_parent_channels_bible(
    discord_bot: Harness,
) -> None:
    await discord_bot.command("character new", name="Mara")
    await discord_bot.command("synopsis")
    call = discord_bot.fake.find("POST", r"/threads$")[-1]
    thread = discord_bot.fake.channels[int(call.path.split("/")[4])]
    assert await discord_bot.autocomplete("character show", "name", channel=thread, name="") == [
        "Mara"
    ]


async def test_an_unknown_name_from_a_stale_suggestion_is_refused_clearly(
    discord_bot: Harness,
) -> None:
    await discord_bot.command("character new", name="Mara")
    payload = await discord_bot.command("character show", name="Nobody")
    said = " ".join(str(c.payload) for c in discord_bot.calls_for(payload) if c.sends_message)
    assert "No character named Nobody in this channel's story. It has: Mara." in said


def _route(call: Call) -> str:
    if call.path.endswith("/callback"):
        return "interaction response"
    if "/webhooks/" in call.path:
        edit = call.method == "PATCH"
        original = "/@original" in call.path
        return {
            (True, True): "original edit",
            (False, False): "follow-up",
            (True, False): "follow-up edit",
        }.get((edit, original), "webhook")
    return "channel edit" if call.method == "PATCH" else "channel message"


async def test_no_send_path_can_ping_whatever_the_text_says(discord_bot: Harness) -> None:
    eve = user("Eve")
    # user text echoed back: content pages (follow-ups) and an embed
    await discord_bot.command("story set", who=eve, field="synopsis", value=(PINGS + " ") * 200)
    await discord_bot.command("character new", who=eve, name="Mara", brief=PINGS)
    # a typing mistake answered at once, with the writer's text in it
    await discord_bot.command("outline generate", who=eve, acts=9)
    # a draft streamed into the original, then thread messages and their edits
    await discord_bot.command("dialogue", who=eve, characters="Mara", situation=PINGS)
    call = discord_bot.fake.find("POST", r"/threads$")[-1]
    thread = discord_bot.fake.channels[int(call.path.split("/")[4])]
    await discord_bot.say(f"make it louder {PINGS}", channel=thread, who=eve)
    # a mention in a channel: a channel message that replies
    await discord_bot.say(f"/help {PINGS}", channel=GENERAL, who=eve, mention_bot=True)
    # a button press answered in the thread and, for errors, by an ephemeral follow-up
    head = [
        m
        for m in discord_bot.fake.in_channel(int(GENERAL["id"]))
        if m.get("webhook_id") and m["components"]
    ][-1]
    save = next(
        b["custom_id"]
        for row in head["components"]
        for b in row["components"]
        if b["label"] == "Save to bible"
    )
    await discord_bot.press(head, save, who=eve)
    await discord_bot.press(dict(head, channel_id=OTHER["id"]), save, who=eve)

    # a long reply edited after it was posted: its later pages are edited follow-ups
    await _edit_a_long_reply(discord_bot, eve)

    sends = discord_bot.fake.sent()
    routes = {_route(c) for c in sends}
    assert routes >= {
        "interaction response",
        "original edit",
        "follow-up",
        "follow-up edit",
        "channel message",
        "channel edit",
    }
    for c in sends:
        assert c.payload is not None
        mentions = c.payload.get("allowed_mentions") or c.payload["data"]["allowed_mentions"]
        assert mentions == NO_PINGS, (_route(c), c.path)
    assert any("@everyone" in str(c.payload) for c in sends)  # the text itself is kept


async def _edit_a_long_reply(bot: Harness, who: dict[str, Any]) -> None:
    payload = bot.interaction(2, bot.command_data("help", None, {}), who=who)
    interaction = discord.Interaction(data=payload, state=bot.state)  # type: ignore[arg-type]
    bot.fake.activate()
    await interaction.response.defer(thinking=True)
    responder = InteractionResponder(
        bot.client, interaction_where(interaction, {}), bot.client.router.tasks, interaction
    )
    handle = await responder.post(Reply.info((PINGS + " ") * 150))
    await responder.update(handle, Reply.info(("edited " + PINGS + " ") * 150))
    await bot.client.router.idle()
    assert any(
        c.method == "PATCH" and "/messages/@original" not in c.path for c in bot.calls_for(payload)
    )
