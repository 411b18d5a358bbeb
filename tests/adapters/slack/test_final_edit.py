"""A draft's final state always reaches the person, even where chat.update of its
"_Writing…_" placeholder fails: Slack refusing the blocks (then plain text), the message
deleted meanwhile (then a new message), chat.update still rate-limited after the
client's retries or refused otherwise (then the reply below, in the thread)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.adapters.slack.conftest import OpenSlack, Slack, buttons, texts
from tests.adapters.slack.doubles import LONG, GatedEngine
from tests.adapters.slack.fake_slack import FakeSlack

WRITTEN = "A synopsis written at last."
DRAFT_BUTTONS = {"Regenerate", "Continue", "Save to bible"}
APOLOGY = "went wrong"


def shown(message: dict[str, Any]) -> str:
    """What a person reads in a message: its blocks, or its text where it has none."""
    blocks = message.get("blocks") or []
    return " ".join(texts(blocks)) if blocks else str(message.get("text") or "")


def channel_view(fake: FakeSlack, channel: str = "C1") -> list[dict[str, Any]]:
    """The channel as a person scrolls it: its messages, and thread replies also sent
    to the channel."""
    return [
        m
        for (where, _), thread in fake.threads.items()
        if where == channel
        for i, m in enumerate(thread)
        if i == 0 or m.get("subtype") == "thread_broadcast"
    ]


def everything(fake: FakeSlack, channel: str = "C1") -> list[dict[str, Any]]:
    """Every message of the channel and of its threads."""
    return [m for (where, _), thread in fake.threads.items() if where == channel for m in thread]


def labels(message: dict[str, Any]) -> set[str]:
    return {b["text"]["text"] for b in buttons(message.get("blocks") or [])}


@pytest.fixture
def engine() -> GatedEngine:
    return GatedEngine()


@pytest.fixture
async def slack(open_slack: OpenSlack, engine: GatedEngine) -> AsyncIterator[Slack]:
    async with open_slack(engine=engine) as opened:
        yield opened


async def placeholder(slack: Slack, fake: FakeSlack) -> str:
    """/synopsis, left writing: the ts of its "_Writing…_" placeholder in the channel."""
    await slack.command("synopsis")
    posted = await fake.wait_for(
        lambda: [c for c in fake.posts() if "Writing" in " ".join(texts(c.get("blocks") or []))]
    )
    return str(posted[0].result["ts"])


async def finish(slack: Slack, engine: GatedEngine) -> None:
    engine.gate.set()
    await slack.idle()
    [job] = [j for j in await slack.app.store.jobs(["done", "failed"]) if j.command == "synopsis"]
    assert job.state == "done"


def assert_nothing_stale(fake: FakeSlack) -> None:
    for message in everything(fake):
        assert "Writing" not in shown(message) and "Cancel" not in labels(message), message
        assert APOLOGY not in shown(message), message


@pytest.mark.parametrize("error", ["invalid_blocks", "msg_too_long"])
async def test_a_final_edit_slack_refuses_shows_the_reply_as_plain_text(
    slack: Slack, fake: FakeSlack, engine: GatedEngine, error: str
) -> None:
    head = await placeholder(slack, fake)
    fake.refuse_edits(head, error, blocks_only=True)
    await finish(slack, engine)
    message = fake.messages[("C1", head)]
    assert WRITTEN in message["text"] and not message["blocks"]  # in place, as text alone
    [with_buttons] = [m for m in fake.threads[("C1", head)] if labels(m)]
    assert labels(with_buttons) >= DRAFT_BUTTONS  # the buttons still come, below it
    assert_nothing_stale(fake)


async def test_a_reply_whose_placeholder_was_deleted_comes_as_a_new_message(
    slack: Slack, fake: FakeSlack, engine: GatedEngine
) -> None:
    head = await placeholder(slack, fake)
    fake.delete_message("C1", head)
    await finish(slack, engine)
    [reply] = [m for m in channel_view(fake) if WRITTEN in shown(m)]
    assert reply["ts"] != head and "thread_ts" not in reply  # a new message in the channel
    assert labels(reply) >= DRAFT_BUTTONS
    assert_nothing_stale(fake)


async def test_a_final_edit_refused_posts_the_reply_below_and_the_placeholder_says_moved(
    slack: Slack, fake: FakeSlack, engine: GatedEngine
) -> None:
    head = await placeholder(slack, fake)
    fake.refuse_edits(head, "cant_update_message", blocks_only=True)
    await finish(slack, engine)
    assert shown(fake.messages[("C1", head)]) == "_Moved below._"
    [reply] = [m for m in channel_view(fake) if WRITTEN in shown(m)]
    assert reply["thread_ts"] == head  # in its thread, and shown in the channel too
    assert labels(reply) >= DRAFT_BUTTONS
    assert_nothing_stale(fake)


async def test_a_final_edit_still_rate_limited_after_retries_posts_the_reply_anew(
    slack: Slack, fake: FakeSlack, engine: GatedEngine
) -> None:
    head = await placeholder(slack, fake)
    fake.rate_limit("chat.update", times=4, retry_after=0)  # the first try and 3 retries
    await finish(slack, engine)
    [reply] = [m for m in channel_view(fake) if WRITTEN in shown(m)]
    assert reply["thread_ts"] == head and labels(reply) >= DRAFT_BUTTONS
    assert ("C1", head) not in fake.messages  # the placeholder was taken away
    assert_nothing_stale(fake)


async def test_a_long_reply_whose_first_message_is_refused_loses_no_word(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack(specs=[LONG]) as slack:
        fake.fail("chat.update", "msg_too_long")  # the final edit of the placeholder, once
        await slack.command("long", "30000")
        await slack.idle(within=30)
    [head] = [c.result["ts"] for c in fake.posts() if "thread_ts" not in c.args]
    words = re.findall(r"\bw\d+\b", " ".join(shown(m) for m in fake.threads[("C1", head)]))
    assert words == [f"w{i}" for i in range(30_000)]
    [last] = [m for m in fake.threads[("C1", head)] if labels(m)]
    assert labels(last) == {"Continue"}
    assert_nothing_stale(fake)
