"""The beat board, names and /dialogue through the real CommandTree: typed options in,
the board out as a list per act in an embed; what writers type into one option is read
the way the same words typed in Slack are."""

from __future__ import annotations

import re
from typing import Any

import pytest

from core.models import Character
from core.types import Author
from tests.adapters.discord.harness import GENERAL, Harness
from tests.adapters.discord.payloads import GUILD

pytestmark = pytest.mark.both_loops

KEY = ("discord", str(GUILD), GENERAL["id"])


def shown(bot: Harness, payload: dict[str, Any]) -> str:
    """Everything the writer sees of the interaction's last message: content and embeds."""
    messages = [c.payload for c in bot.calls_for(payload) if c.sends_message and c.payload]
    last = messages[-1].get("data", messages[-1])
    parts = [last.get("content") or ""]
    for e in last.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f"{f['name']}: {f['value']}" for f in e.get("fields", [])]
    return "\n".join(parts)


async def test_the_board_reads_per_act_through_add_edit_move_remove_and_undo(
    discord_bot: Harness,
) -> None:
    for act, text in ((1, "Isla finds the logbook"), (1, "Callum lies"), (2, "Morag talks")):
        await discord_bot.command("outline add", act=act, text=text)
    start = shown(discord_bot, await discord_bot.command("outline show"))
    assert "**Act 1**\n1. Isla finds the logbook\n2. Callum lies\n\n**Act 2**\n3. Morag talks" in (
        start
    )

    edited = shown(
        discord_bot, await discord_bot.command("outline edit", number=2, text="Callum lies badly")
    )
    assert "2. Callum lies badly" in edited
    moved = shown(discord_bot, await discord_bot.command("outline move", number=1, to="act:2"))
    assert "**Act 1**\n1. Callum lies badly\n\n**Act 2**\n2. Morag talks\n3. Isla finds" in moved
    removed = shown(discord_bot, await discord_bot.command("outline remove", number=2))
    assert "Removed beat 2: “Morag talks”" in removed

    for _ in range(3):
        await discord_bot.command("story undo")
    after = shown(discord_bot, await discord_bot.command("outline show"))
    assert re.findall(r"^\d\. .*$", after, re.M) == re.findall(r"^\d\. .*$", start, re.M)


async def test_a_name_typed_with_its_description_is_the_name_alone(discord_bot: Harness) -> None:
    await discord_bot.command("character new", name="Mara Quell, a disgraced oxygen engineer")
    story = await discord_bot.app.store.active_story(KEY)
    assert story is not None
    mara = await discord_bot.app.store.find_character(story.id, "Mara Quell")
    assert mara is not None and mara.name == "Mara Quell"
    assert mara.one_line == "A disgraced oxygen engineer"
    out = shown(discord_bot, await discord_bot.command("character show", name="Mara Quell"))
    assert "Mara Quell" in out and "No character named" not in out


async def test_dialogue_names_typed_into_the_characters_option_read_as_in_slack(
    discord_bot: Harness,
) -> None:
    story = await discord_bot.app.store.ensure_story(KEY, Author("u", "Alice"))
    for name in ("Mara Quell", "Old Tom", "Tom Vale"):
        await discord_bot.app.store.add_character(story.id, Character(name), Author("u", "A"))

    payload = await discord_bot.command("dialogue", characters="Mara Quell: the airlock")
    out = shown(discord_bot, payload)
    assert "No character named" not in out and "MARA" in out
    assert "Mara Quell: the airlock" in out  # the title: one speaker, the situation
    payload = await discord_bot.command("dialogue", characters="Old Tom, Mara Quell: the debt")
    out = shown(discord_bot, payload)
    assert "Old Tom & Mara Quell: the debt" in out and "No character named" not in out


async def test_a_draft_posts_its_scenes_in_the_thread_it_opens(discord_bot: Harness) -> None:
    for act, text in ((1, "Isla finds the logbook"), (2, "Callum puts out the lamp")):
        await discord_bot.command("outline add", act=act, text=text)
    await discord_bot.command("draft")
    [thread_call] = discord_bot.fake.find("POST", r"/threads$")
    assert thread_call.payload is not None and thread_call.payload["name"].startswith("Draft")
    thread_id = int(thread_call.path.split("/")[4])
    in_thread = discord_bot.fake.in_channel(thread_id)
    titles = [e.get("title") for m in in_thread for e in m.get("embeds", [])]
    assert titles == ["Scene 1 · Isla finds the logbook", "Scene 2 · Callum puts out the lamp"]
    [head] = [
        m
        for m in discord_bot.fake.in_channel(int(GENERAL["id"]))
        if any(str(e.get("title")).startswith("Draft") for e in m.get("embeds", []))
    ]
    assert "Wrote 2 scenes from the board" in str(head["embeds"])
