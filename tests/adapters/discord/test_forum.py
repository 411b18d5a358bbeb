"""Forum channels: in a post everything stays in the post and the story is the forum's;
a reply that must start at a forum's top level starts a new post, tagged by what it is
(with the forum's own tags only, matched case-insensitively)."""

from __future__ import annotations

from typing import Any

from bot.adapters.discord.responder import DiscordResponder, Where
from bot.adapters.discord.translate import guild_place
from core.types import Action, Reply
from tests.adapters.discord.harness import FORUM, Harness
from tests.adapters.discord.payloads import GUILD, forum_post, snowflake

FORUM_KEY = ("discord", str(GUILD), FORUM["id"])


def a_post(bot: Harness) -> dict[str, Any]:
    return bot.fake.add_channel(forum_post(snowflake(), int(FORUM["id"])))


def tag_id(name: str) -> str:
    return next(t["id"] for t in FORUM["available_tags"] if t["name"] == name)


def forum_responder(bot: Harness, topic: str | None) -> DiscordResponder:
    where = Where(guild_place(GUILD, int(FORUM["id"])), GUILD, int(FORUM["id"]), topic=topic)
    return DiscordResponder(bot.client, where, bot.client.router.tasks)


async def test_a_command_in_a_post_answers_in_the_post_for_the_forums_story(
    discord_bot: Harness,
) -> None:
    post = a_post(discord_bot)
    await discord_bot.command("story set", channel=post, field="genre", value="space noir")
    story = await discord_bot.app.store.active_story(FORUM_KEY)
    assert story is not None and story.genre == "space noir"

    await discord_bot.command("synopsis", channel=post, length="short")
    assert discord_bot.fake.find("POST", r"/threads$") == []  # no thread, no new post
    in_post = discord_bot.fake.in_channel(int(post["id"]))
    assert in_post[-1]["embeds"][0]["title"].startswith("Synopsis")
    key = (*FORUM_KEY, post["id"])
    assert await discord_bot.app.store.conversation_at(key) is not None

    await discord_bot.say("shorter", channel=post)  # a follow-up in the post
    said = discord_bot.fake.in_channel(int(post["id"]))
    titles = [m["embeds"][0]["title"] for m in said if m["embeds"]]
    assert titles[-1] == "Synopsis · revised"
    assert discord_bot.fake.find("POST", r"/threads$") == []


async def test_a_reply_at_a_forums_top_level_starts_a_tagged_post(discord_bot: Harness) -> None:
    responder = forum_responder(discord_bot, "synopsis")
    draft = Reply(
        title="Synopsis · The Long Dark",
        body="A salvage pilot finds her brother's ship.",
        actions=(Action("regenerate", "Regenerate", "c1"),),
    )
    handle = await responder.post(draft)
    [call] = discord_bot.fake.find("POST", rf"^/channels/{FORUM['id']}/threads$")
    assert call.payload is not None
    assert call.payload["name"] == "Synopsis · The Long Dark"
    assert call.payload["applied_tags"] == [tag_id("Synopsis")]
    message = call.payload["message"]
    assert message["embeds"][0]["title"] == "Synopsis · The Long Dark"
    assert message["components"] and message["allowed_mentions"] == {"parse": []}
    post_id = int(discord_bot.fake.messages[int(handle.id)]["channel_id"])
    assert handle.thread == handle.id == str(post_id)  # keyed like a text channel's thread

    await responder.post(Reply(title="Synopsis · continued", body="More."))
    assert len(discord_bot.fake.find("POST", r"/threads$")) == 1  # the same post goes on
    assert discord_bot.fake.find("POST", rf"^/channels/{post_id}/messages$")
    assert discord_bot.fake.find("PATCH", rf"^/channels/{FORUM['id']}$") == []  # no tag made


async def test_tags_match_case_insensitively_and_are_left_off_when_none_fits(
    discord_bot: Harness,
) -> None:
    await forum_responder(discord_bot, "character").post(Reply(title="Mara", body="Sheet."))
    await forum_responder(discord_bot, "summarize").post(Reply(title="Recap", body="Today."))
    await forum_responder(discord_bot, None).post(Reply(body="First line\nsecond"))
    posts = [c.payload for c in discord_bot.fake.find("POST", r"/threads$") if c.payload]
    assert [p["applied_tags"] for p in posts] == [[tag_id("CHARACTER")], [], []]
    assert [p["name"] for p in posts] == ["Mara", "Recap", "First line"]
