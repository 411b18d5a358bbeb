"""The bot driven to Slack's limits, against a FakeSlack that refuses what Slack refuses:
a bible entry that needs more than 50 sections, an indent longer than a section, a Home
tab for many channels with long model names, a long private reply, a response_url that
refuses: each reply arrives whole, in messages Slack takes the first time."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

import pytest

from bot.adapters.slack import delivery
from bot.context import Context
from bot.registry import CommandSpec
from core.types import Author, NoArgs, Reply
from storage.feedback import Vote
from tests.adapters.slack.conftest import OpenSlack, Slack, texts
from tests.adapters.slack.fake_slack import TEAM, Call, FakeSlack
from tests.adapters.slack.slack_limits import MESSAGE_BLOCKS, TEXT_CHARS, VIEW_BLOCKS

DANA = Author("U1", "Dana")


def refused(fake: FakeSlack) -> list[Call]:
    """Every call Slack would have refused (the bot then had to try again, plainer)."""
    return [c for c in fake.calls if c.result.get("ok") is False]


def numbered(text: str) -> list[str]:
    return re.findall(r"\bw\d+\b", text)


async def show_story(slack: Slack, **fields: str) -> list[dict[str, Any]]:
    """The channel's story with ``fields`` saved (as if before any limit), shown by
    /story show: the messages of the reply, in order."""
    story, _ = await slack.app.store.new_story(("slack", TEAM, "C1"), DANA, "The Lamp Room")
    await slack.app.store.update_story(
        story.id, lambda s: dataclasses.replace(s, **fields), DANA, "set"
    )
    await slack.command("story", "show")
    await slack.idle()
    return [c.args for c in slack.fake.posts()]


async def test_a_synopsis_that_needs_more_than_50_sections_arrives_whole(
    slack: Slack, fake: FakeSlack
) -> None:
    words = [f"w{i}" for i in range(40_000)]
    synopsis = "\n\n".join(" ".join(words[i : i + 200]) for i in range(0, len(words), 200))
    messages = await show_story(slack, synopsis=synopsis)
    assert not refused(fake)
    assert len(messages) > 1  # 280,000 characters: more than one message holds
    for m in messages:
        assert len(m["blocks"]) <= MESSAGE_BLOCKS
        assert all(0 < len(t) <= TEXT_CHARS for t in texts(m["blocks"]))
    assert numbered(" ".join(t for m in messages for t in texts(m["blocks"]))) == words


async def test_an_indent_longer_than_a_section_makes_no_empty_section(
    slack: Slack, fake: FakeSlack
) -> None:
    synopsis = "Mara waits by the lamp. " * 60 + "\n\n" + " " * 3500 + "Jonah knocks twice."
    [message] = await show_story(slack, synopsis=synopsis)
    assert not refused(fake)  # taken as blocks the first time, not as plain text after
    shown = " ".join(texts(message["blocks"]))
    assert "Jonah knocks twice." in shown and shown.count("Mara waits") == 60


async def test_app_home_for_many_channels_and_long_model_names_fits_one_view(
    slack: Slack, fake: FakeSlack
) -> None:
    store = slack.app.store
    channels = [f"C{i:03d}" for i in range(70)]
    for channel in channels:
        await store.new_story(("slack", TEAM, channel), DANA, "A story " + "&" * 150)
    for i in range(9):  # nine rows: eight shown, "and 1 more"
        vote = Vote(
            ("slack", TEAM, channels[i]),
            f"1.{i}",
            "U1",
            "synopsis",
            "openai",
            f"{i}-" + "&" * 198,  # as long as a button's value carries, all escaped
            good=True,
        )
        await store.record_feedback(vote)
    fake.member_of["U1"] = [{"id": c, "name": c.lower()} for c in channels]
    home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    assert (await slack.event({**home, "ts": fake.next_ts()})).status == 200
    [published] = await fake.wait_for(lambda: fake.calls_to("views.publish"))
    await slack.idle()
    assert published.result["ok"], published.result
    blocks = published["view"]["blocks"]
    assert len(blocks) <= VIEW_BLOCKS and "and 30 more channels" in str(blocks)
    rows = [t for t in texts(blocks) if ":thumbsup:" in t]
    assert len(rows) == 1 and rows[0].count(":thumbsup:") == 8 and "and 1 more" in rows[0]
    assert all(len(t) <= TEXT_CHARS for t in texts(blocks))


async def _private(ctx: Context[NoArgs]) -> None:
    words = [f"w{i}" for i in range(20_000)]
    body = "\n\n".join(" ".join(words[i : i + 250]) for i in range(0, len(words), 250))
    await ctx.reply(Reply(title="Only for you", body=body, private=True))


PRIVATE = CommandSpec("private", "A long private reply (test).", _private, NoArgs)


async def test_a_long_private_reply_arrives_whole_in_ephemeral_messages(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack(specs=[PRIVATE]) as slack:
        await slack.command("private")
        await slack.idle()
    sent = fake.calls_to("chat.postEphemeral")
    assert len(sent) > 1 and not refused(fake)
    shown = " ".join(t for c in sent for t in texts(c["blocks"]))
    assert numbered(shown) == [f"w{i}" for i in range(20_000)]


async def test_a_hint_the_response_url_refuses_is_logged(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    await delivery.hint(f"{fake.url}/response/1", "x" * 40_001, None)
    [call] = fake.calls_to("response_url")
    assert call.result == {"ok": False, "error": "msg_too_long"}
    assert "response_url refused a hint: 400 msg_too_long" in caplog.text
