"""The message menus (right-click a message, Apps), from INTERACTION_CREATE payloads of
command type 3: Summarize thread, Summarize from here, Save to bible."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.adapters.discord.harness import ALICE, BOB, GENERAL, Harness, seed, thread_from
from tests.adapters.discord.payloads import GUILD

STORY = ("discord", str(GUILD), GENERAL["id"])
SCENE = "INT. AIRLOCK - NIGHT\n\nMara braces against the door.\n\nMARA\nIt holds. For now."


async def _discussion(bot: Harness) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A thread the room started from a channel message, with three messages a minute
    apart (the bot takes no part in it)."""
    at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    starter = seed(bot, GENERAL, BOB, "Notes on the heist episode", at)
    thread = thread_from(bot, starter, "heist notes")
    lines = [
        (BOB, "We decided the heist happens at the lighthouse."),
        (BOB, "We decided the brother is the villain after all."),
        (ALICE, "Action item: Alice rewrites act two by Friday."),
    ]
    said = [
        bot.fake.messages[seed(bot, thread, who, text, at + (i + 1) * dt.timedelta(minutes=1))]
        for i, (who, text) in enumerate(lines)
    ]
    return thread, said


def _answer(bot: Harness, payload: dict[str, Any]) -> dict[str, Any]:
    """The menu's own response (Discord's type 4 callback): its message data."""
    [call] = [c for c in bot.calls_for(payload) if c.path.endswith("/callback")]
    assert call.payload is not None and call.payload["type"] == 4
    data: dict[str, Any] = call.payload["data"]
    return data


def _buttons(data: dict[str, Any]) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for row in data["components"] for b in row["components"]}


async def _choose(bot: Harness, asked: dict[str, Any], label: str) -> dict[str, Any]:
    """Press one of the question's buttons (on the ephemeral message the menu answered)."""
    question = bot.fake.messages[bot.fake.originals[asked["token"]]]
    custom_id = _buttons(_answer(bot, asked))[label]
    return await bot.press(question, custom_id)


def _in_thread(bot: Harness, thread: dict[str, Any]) -> str:
    """What everyone in the thread sees (ephemeral messages left out)."""
    seen = [m for m in bot.fake.in_channel(int(thread["id"])) if not m["flags"] & 64]
    return " ".join(f"{m['content']} {m['embeds']}" for m in seen)


async def test_summarize_thread_asks_where_the_summary_goes(discord_bot: Harness) -> None:
    thread, said = await _discussion(discord_bot)
    asked = await discord_bot.menu("Summarize thread", said[1])
    data = _answer(discord_bot, asked)
    assert data["flags"] & 64  # only the one who asked sees the question
    assert data["content"] == "Where should the summary go?"
    buttons = _buttons(data)
    assert list(buttons) == ["In the thread (everyone sees it)", "Only to me"]
    assert all(thread["id"] in custom_id for custom_id in buttons.values())
    assert "Thread summary" not in _in_thread(discord_bot, thread)  # nothing yet


async def test_in_the_thread_posts_the_digest_there_for_everyone(discord_bot: Harness) -> None:
    thread, said = await _discussion(discord_bot)
    asked = await discord_bot.menu("Summarize thread", said[0], who=BOB)
    pressed = await _choose(discord_bot, asked, "In the thread (everyone sees it)")
    posted = _in_thread(discord_bot, thread)
    assert "Thread summary" in posted and "lighthouse" in posted and "villain" in posted
    [update] = [c for c in discord_bot.calls_for(pressed) if c.path.endswith("/callback")]
    assert update.payload is not None and update.payload["type"] == 7  # the question is answered
    assert update.payload["data"]["components"] == []  # and cannot be pressed again
    key = (*STORY, thread["id"])
    conv = await discord_bot.app.store.conversation_at(key)
    assert conv is not None and conv.kind == "summary"


async def test_only_to_me_answers_ephemerally_and_posts_nothing_in_the_thread(
    discord_bot: Harness,
) -> None:
    thread, said = await _discussion(discord_bot)
    before = _in_thread(discord_bot, thread)
    asked = await discord_bot.menu("Summarize thread", said[2])
    await _choose(discord_bot, asked, "Only to me")
    assert _in_thread(discord_bot, thread) == before
    question = discord_bot.fake.messages[discord_bot.fake.originals[asked["token"]]]
    assert question["flags"] & 64
    shown = str(question["embeds"])
    assert "Thread summary" in shown and "lighthouse" in shown


async def test_summarize_from_here_leaves_out_the_earlier_messages(discord_bot: Harness) -> None:
    _thread, said = await _discussion(discord_bot)
    asked = await discord_bot.menu("Summarize from here", said[1])
    await _choose(discord_bot, asked, "Only to me")
    question = discord_bot.fake.messages[discord_bot.fake.originals[asked["token"]]]
    shown = str(question["embeds"])
    assert "villain" in shown and "act two" in shown
    assert "lighthouse" not in shown


async def test_a_channel_message_that_started_a_thread_summarizes_that_thread(
    discord_bot: Harness,
) -> None:
    thread, _said = await _discussion(discord_bot)
    starter = discord_bot.fake.messages[int(thread["id"])]
    asked = await discord_bot.menu("Summarize from here", starter | {"thread": thread})
    await _choose(discord_bot, asked, "In the thread (everyone sees it)")
    assert "lighthouse" in _in_thread(discord_bot, thread)  # the whole thread, from its start


async def test_the_bots_own_draft_message_summarizes_its_thread(discord_bot: Harness) -> None:
    await discord_bot.command("synopsis", length="short")
    [call] = discord_bot.fake.find("POST", r"/threads$")
    thread = discord_bot.fake.channels[int(call.path.split("/")[4])]
    await discord_bot.say("We decided the pilot ends on the airlock.", channel=thread)
    draft = discord_bot.fake.messages[int(thread["id"])]  # the router knows it opened a thread
    asked = await discord_bot.menu("Summarize thread", draft)
    await _choose(discord_bot, asked, "Only to me")
    question = discord_bot.fake.messages[discord_bot.fake.originals[asked["token"]]]
    assert "airlock" in str(question["embeds"])


async def test_a_message_outside_any_thread_says_how_to_use_the_menu(
    discord_bot: Harness,
) -> None:
    said = await discord_bot.say("just chatting", channel=GENERAL)
    asked = await discord_bot.menu("Summarize thread", said)
    data = _answer(discord_bot, asked)
    assert data["flags"] & 64 and "on a message in a thread" in data["content"]
    assert "/summarize channel" in data["content"] and not data.get("components")


async def test_save_to_bible_keeps_a_message_as_a_note(discord_bot: Harness) -> None:
    said = await discord_bot.say("Mara never learned to swim.", channel=GENERAL, who=BOB)
    payload = await discord_bot.menu("Save to bible", said, who=ALICE)
    story = await discord_bot.app.store.active_story(STORY)
    assert story is not None
    [note] = (await discord_bot.app.store.bible(story.id)).notes
    assert note.text.startswith("Mara never learned to swim. (from Bob's message: https://")
    assert said["id"] in note.text
    answer = discord_bot.fake.messages[discord_bot.fake.originals[payload["token"]]]
    assert answer["flags"] & 64 and "Saved a note" in f"{answer['content']} {answer['embeds']}"


async def test_save_to_bible_keeps_fountain_as_a_scene(discord_bot: Harness) -> None:
    said = await discord_bot.say(SCENE, channel=GENERAL, who=BOB)
    await discord_bot.menu("Save to bible", said)
    story = await discord_bot.app.store.active_story(STORY)
    assert story is not None
    [scene] = await discord_bot.app.store.scenes(story.id)
    assert scene.title == "INT. AIRLOCK - NIGHT" and scene.text == SCENE
    assert not (await discord_bot.app.store.bible(story.id)).notes


async def test_save_to_bible_refuses_a_message_without_text(discord_bot: Harness) -> None:
    said = await discord_bot.say("", channel=GENERAL)
    pictured = dict(
        said,
        attachments=[
            {
                "id": "1",
                "filename": "map.png",
                "size": 3,
                "url": "https://cdn.discordapp.com/x/map.png",
                "proxy_url": "https://media.discordapp.net/map.png",
            }
        ],
    )
    for message in (said, pictured):
        payload = await discord_bot.menu("Save to bible", message)
        data = _answer(discord_bot, payload)
        assert data["flags"] & 64 and "nothing was saved" in data["content"]
    assert "only an attachment" in _answer(discord_bot, payload)["content"]
    assert await discord_bot.app.store.active_story(STORY) is None  # not even a story
