"""Threads from MESSAGE_CREATE payloads: follow-ups, mentions, stories of threads and DMs."""

from __future__ import annotations

from typing import Any

from tests.adapters.discord.harness import GENERAL, Harness
from tests.adapters.discord.payloads import GUILD, message_payload, snowflake, thread_channel, user


async def _draft_thread(bot: Harness) -> dict[str, Any]:
    """Run /synopsis in #writers-room and return the thread it opened."""
    await bot.command("synopsis", length="short")
    [call] = bot.fake.find("POST", r"/threads$")
    thread_id = int(call.path.split("/")[4])
    return bot.fake.channels[thread_id]


def _posts_in(bot: Harness, channel: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        c.payload
        for c in bot.fake.find("POST", rf"^/channels/{channel['id']}/messages$")
        if c.payload is not None
    ]


async def test_a_plain_message_in_the_bots_thread_is_a_follow_up(discord_bot: Harness) -> None:
    thread = await _draft_thread(discord_bot)
    await discord_bot.say("shorter", channel=thread)
    posts = _posts_in(discord_bot, thread)
    assert posts, "the revision is posted in the thread"
    final = discord_bot.fake.in_channel(int(thread["id"]))[-1]
    assert final["embeds"][0]["title"] == "Synopsis · revised"
    key = ("discord", str(GUILD), GENERAL["id"], thread["id"])
    conv = await discord_bot.app.store.conversation_at(key)
    assert conv is not None
    said = [m.text for m in await discord_bot.app.store.messages(conv.id, 10)]
    assert "shorter" in said


async def test_save_in_the_thread_saves_to_the_parent_channels_story(discord_bot: Harness) -> None:
    thread = await _draft_thread(discord_bot)
    await discord_bot.say("save", channel=thread)
    story = await discord_bot.app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
    assert story is not None and story.synopsis
    assert "Saved as the story's synopsis" in str(_posts_in(discord_bot, thread)[-1])


async def test_without_message_content_a_message_is_ignored_and_a_mention_works(
    discord_bot: Harness,
) -> None:
    thread = await _draft_thread(discord_bot)
    before = len(discord_bot.fake.calls)
    await discord_bot.say("", channel=thread)  # what arrives without the intent
    assert len(discord_bot.fake.calls) == before
    await discord_bot.say("continue", channel=thread, mention_bot=True)
    titles = [
        e.get("title") for m in discord_bot.fake.in_channel(int(thread["id"])) for e in m["embeds"]
    ]
    assert "Synopsis · continued" in titles


async def test_messages_in_threads_the_bot_did_not_start_are_left_alone(
    discord_bot: Harness,
) -> None:
    theirs = discord_bot.fake.add_channel(thread_channel(snowflake(), int(GENERAL["id"])))
    discord_bot.state.parse_thread_create(theirs | {"newly_created": True})  # type: ignore[arg-type]
    before = len(discord_bot.fake.calls)
    await discord_bot.say("make it darker", channel=theirs)
    assert len(discord_bot.fake.calls) == before


async def test_a_plain_channel_message_without_a_mention_is_ignored(discord_bot: Harness) -> None:
    before = len(discord_bot.fake.calls)
    await discord_bot.say("/synopsis", channel=GENERAL)
    await discord_bot.say("hello everyone", channel=GENERAL)
    assert len(discord_bot.fake.calls) == before


async def test_bots_and_the_bot_itself_are_dropped_at_the_door(discord_bot: Harness) -> None:
    thread = await _draft_thread(discord_bot)
    before = len(discord_bot.fake.calls)
    other_bot = user("Helper") | {"bot": True}
    await discord_bot.say("shorter", channel=thread, who=other_bot)
    assert len(discord_bot.fake.calls) == before


async def test_a_command_typed_in_a_thread_uses_the_parent_channels_story(
    discord_bot: Harness,
) -> None:
    thread = await _draft_thread(discord_bot)
    await discord_bot.command("character new", channel=thread, name="Mara", role="pilot")
    story = await discord_bot.app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
    assert story is not None
    names = [c.name for c in await discord_bot.app.store.characters(story.id)]
    assert names == ["Mara"]
    thread_story = await discord_bot.app.store.active_story(("discord", str(GUILD), thread["id"]))
    assert thread_story is None


async def test_a_mention_in_a_channel_runs_a_command_and_opens_a_thread(
    discord_bot: Harness,
) -> None:
    said = await discord_bot.say("/outline", channel=GENERAL, mention_bot=True)
    [post] = _posts_in(discord_bot, GENERAL)[:1]
    assert str(post["message_reference"]["message_id"]) == said["id"]
    assert discord_bot.fake.find("POST", r"/threads$")


async def test_a_dm_has_its_own_story_and_plain_lines_continue_the_latest_draft(
    discord_bot: Harness,
) -> None:
    dana = user("Dana")
    dm = discord_bot.dm(dana)
    await discord_bot.command("synopsis", who=dana, channel=dm)
    assert not discord_bot.fake.find("POST", r"/threads$")  # a DM has no threads
    await discord_bot.say("save", channel=dm, who=dana)
    dm_story = await discord_bot.app.store.active_story(("discord", "dm", dm["id"]))
    assert dm_story is not None and dm_story.synopsis
    guild_story = await discord_bot.app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
    assert guild_story is None or not guild_story.synopsis


async def test_thread_history_reads_every_page_oldest_first(discord_bot: Harness) -> None:
    import discord

    from bot.adapters.discord.interaction_responders import InteractionResponder
    from bot.adapters.discord.translate import interaction_where

    thread = await _draft_thread(discord_bot)
    for i in range(230):  # more than two of Discord's 100-message pages
        mid = snowflake()
        discord_bot.fake.messages[mid] = message_payload(
            mid, thread, user(f"W{i % 3}"), f"line {i}", "2026-01-01T00:00:00+00:00"
        )
    payload = discord_bot.interaction(2, discord_bot.command_data("help", None, {}), channel=thread)
    interaction = discord.Interaction(data=payload, state=discord_bot.state)  # type: ignore[arg-type]
    responder = InteractionResponder(
        discord_bot.client, interaction_where(interaction, {}), set(), interaction
    )
    history = await responder.thread_history()
    lines = [m.text for m in history if m.text.startswith("line ")]
    assert lines == [f"line {i}" for i in range(230)]
    first = history[0]
    assert first.link is not None
    assert first.link.startswith(f"https://discord.com/channels/{GUILD}/{thread['id']}/")
    assert len(discord_bot.fake.find("GET", rf"/channels/{thread['id']}/messages$")) >= 3


async def test_summarize_thread_in_a_discord_thread_reads_its_messages(
    discord_bot: Harness,
) -> None:
    thread = await _draft_thread(discord_bot)
    await discord_bot.say(
        "We decided the pilot ends on the airlock.", channel=thread, mention_bot=False
    )
    payload = await discord_bot.command("summarize thread", channel=thread)
    said = " ".join(str(c.payload) for c in discord_bot.calls_for(payload) if c.sends_message)
    assert discord_bot.fake.find("GET", rf"/channels/{thread['id']}/messages$")
    assert "Sorry" not in said and said


async def test_a_scene_and_its_follow_ups_are_laid_out_as_a_screenplay(
    discord_bot: Harness,
) -> None:
    for name in ("Mara", "Jonah"):
        await discord_bot.command("character new", name=name)
    payload = await discord_bot.command("dialogue", characters="Mara Jonah", situation="airlock")
    scene = discord_bot.fake.messages[discord_bot.fake.originals[payload["token"]]]
    call = discord_bot.fake.find("POST", r"/threads$")[-1]
    thread = discord_bot.fake.channels[int(call.path.split("/")[4])]
    await discord_bot.say("shorter", channel=thread)
    revised = discord_bot.fake.in_channel(int(thread["id"]))[-1]
    for message in (scene, revised):
        lines = str(message["embeds"][0]["description"]).split("\n")
        # cues are bold lines of their own, each after a blank line, their speech quoted
        cues = [i for i, line in enumerate(lines) if line in ("**MARA**", "**JONAH**")]
        assert len(cues) >= 2, lines
        assert all(lines[i - 1] == "" and lines[i + 1].startswith(("> ", "_(")) for i in cues)
