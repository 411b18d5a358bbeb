"""Slash commands from raw interaction payloads, through the real CommandTree."""

from __future__ import annotations

import time

import pytest

from bot.adapters.discord.buttons import CUSTOM_ID
from bot.adapters.discord.feedback import TEMPLATE as FEEDBACK_ID
from tests.adapters.discord.harness import GENERAL, Harness
from tests.adapters.discord.payloads import GUILD, user

# The loop-sensitive paths (HTTP streams, sockets, threads) run on both event loops.
pytestmark = pytest.mark.both_loops

PARSE_NONE: dict[str, list[str]] = {"parse": []}


async def test_a_draft_is_deferred_then_streamed_into_the_original_response(
    discord_bot: Harness,
) -> None:
    payload = await discord_bot.command("synopsis", length="short")
    calls = discord_bot.calls_for(payload)
    assert calls[0].path.endswith("/callback") and calls[0].payload == {"type": 5}  # thinking…
    edits = [c for c in calls if c.method == "PATCH" and c.path.endswith("/@original")]
    assert len(edits) >= 2  # the placeholder, then the final reply
    placeholder, final = edits[0].payload, edits[-1].payload
    assert placeholder is not None and final is not None
    assert placeholder["embeds"][0]["description"] == "_Writing…_"
    embed = final["embeds"][0]
    assert embed["title"].startswith("Synopsis")
    assert embed["footer"]["text"].startswith(("Offline draft engine", "Written by"))
    buttons = [b for row in final["components"] for b in row["components"]]
    assert {b["label"] for b in buttons} >= {"Regenerate", "Continue", "Save to bible"}
    ids = [b["custom_id"] for b in buttons]
    assert all(len(i) <= 100 for i in ids)
    assert all(CUSTOM_ID.fullmatch(i) or FEEDBACK_ID.fullmatch(i) for i in ids)
    assert sum(bool(FEEDBACK_ID.fullmatch(i)) for i in ids) == 2  # Good / Not good


async def test_the_defer_comes_first_and_fast(discord_bot: Harness) -> None:
    payload = discord_bot.interaction(2, discord_bot.command_data("outline", "generate", {}))
    t0 = time.perf_counter()
    await discord_bot.deliver(payload)
    first = discord_bot.calls_for(payload)[0]
    assert first.payload == {"type": 5}
    assert first.at - t0 < 0.5  # Discord allows 3 s


async def test_a_draft_opens_a_public_thread_from_its_message(discord_bot: Harness) -> None:
    payload = await discord_bot.command("outline generate", acts=2)
    [original] = [m for m in discord_bot.fake.in_channel(int(GENERAL["id"])) if m.get("webhook_id")]
    [thread_call] = discord_bot.fake.find("POST", r"/threads$")
    assert thread_call.path == f"/channels/{GENERAL['id']}/messages/{original['id']}/threads"
    assert thread_call.payload is not None and thread_call.payload["name"].startswith("Outline")
    key = ("discord", str(GUILD), GENERAL["id"], original["id"])
    conversation = await discord_bot.app.store.conversation_at(key)
    assert conversation is not None and conversation.kind == "outline"
    assert discord_bot.calls_for(payload)


async def test_a_typing_mistake_is_answered_at_once_and_only_to_the_writer(
    discord_bot: Harness,
) -> None:
    payload = await discord_bot.command("outline generate", acts=9)
    [call] = discord_bot.calls_for(payload)
    assert call.payload is not None and call.payload["type"] == 4
    assert call.payload["data"]["flags"] & 64  # ephemeral
    assert "acts must be between 1 and 5" in call.payload["data"]["content"]


async def test_long_content_is_split_into_messages_with_nothing_lost(discord_bot: Harness) -> None:
    value = " ".join(f"word{i}" for i in range(700))  # ~5,500 characters, echoed back
    payload = await discord_bot.command("story set", field="synopsis", value=value)
    messages = [c.payload for c in discord_bot.calls_for(payload) if c.sends_message]
    assert len(messages) >= 3
    contents = [m["content"] for m in messages if m]
    assert all(len(c) <= 2000 for c in contents)
    assert " ".join(contents).split()[-700:] == value.split()
    followups = [
        c
        for c in discord_bot.calls_for(payload)
        if c.method == "POST" and c.path.endswith(payload["token"])
    ]
    assert len(followups) == len(messages) - 1  # page 1 edits the original, the rest follow


async def test_a_long_bible_entry_is_shown_in_embeds_within_their_limits(
    discord_bot: Harness,
) -> None:
    synopsis = "\n\n".join(f"Part {i}. " + "Mara follows the signal home. " * 40 for i in range(6))
    await discord_bot.command("story set", field="synopsis", value=synopsis)
    payload = await discord_bot.command("story show")
    messages = [c.payload for c in discord_bot.calls_for(payload) if c.sends_message]
    embeds = [e for m in messages if m for e in m["embeds"]]
    shown = " ".join(
        f["value"] for e in embeds for f in e.get("fields", []) if f["name"].startswith("Synopsis")
    )
    assert shown.split() == synopsis.split()  # the fake refused nothing over a limit


async def test_a_command_in_a_dm_uses_the_dms_own_story(discord_bot: Harness) -> None:
    dana = user("Dana")
    dm = discord_bot.dm(dana)
    await discord_bot.command(
        "story set", who=dana, channel=dm, field="title", value="Private Notes"
    )
    assert await discord_bot.app.store.active_story(("discord", "dm", dm["id"])) is not None
    guild_story = await discord_bot.app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
    assert guild_story is None or guild_story.title != "Private Notes"


async def test_help_answers_without_a_thread(discord_bot: Harness) -> None:
    payload = await discord_bot.command("help")
    assert not discord_bot.fake.find("POST", r"/threads$")
    edits = [c for c in discord_bot.calls_for(payload) if c.method == "PATCH"]
    assert edits and "synopsis" in str(edits[-1].payload)
