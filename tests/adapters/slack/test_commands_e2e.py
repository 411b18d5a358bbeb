"""Slash commands over real HTTP: fast acks, a visible thread head, streaming, splitting."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from bot.adapters.slack.throttle import FINAL_GAP
from tests.adapters.slack.conftest import OpenSlack, Slack, buttons, texts
from tests.adapters.slack.doubles import LONG, STREAM, GatedEngine, StreamingEngine
from tests.adapters.slack.fake_slack import FakeSlack

# The loop-sensitive paths (HTTP streams, sockets, threads) run on both event loops.
pytestmark = pytest.mark.both_loops


async def test_ack_is_fast_while_the_engine_is_still_writing(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    engine = GatedEngine()
    async with open_slack(engine=engine) as slack:
        sent = await slack.command("synopsis", "page")
        assert sent.status == 200 and sent.text == ""
        assert sent.elapsed < 0.5, f"ack took {sent.elapsed * 1000:.0f} ms"
        await asyncio.wait_for(engine.started.wait(), 5)
        placeholder = await fake.wait_for(fake.posts)
        assert placeholder[0].get("thread_ts") is None  # visible in the channel
        again = await slack.command("outline")  # still acked at once while both write
        assert again.status == 200 and again.elapsed < 0.5
        engine.gate.set()
        await slack.idle()
    for post in fake.posts():
        final = fake.updates_of(post.result["ts"])[-1]
        assert "written at last" in " ".join(texts(final["blocks"]))


async def test_result_becomes_thread_head_with_buttons(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack(engine=StreamingEngine(steps=3)) as slack:
        await slack.command("synopsis", "short the brother is the villain")
        await slack.idle()
    [post] = fake.posts()
    assert post["channel"] == "C1" and post.get("thread_ts") is None
    final = fake.calls_to("chat.update")[-1]
    shown = " ".join(texts(final["blocks"]))
    assert "THE END" in shown and "streaming test engine" in shown
    assert {b["text"]["text"] for b in buttons(final["blocks"])} >= {"Regenerate", "Save to bible"}


async def test_streaming_edits_are_throttled_and_the_final_one_arrives(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    interval = 0.3
    async with open_slack(specs=[STREAM], edit_interval=interval) as slack:
        await slack.command("stream", "80")
        await slack.idle()
    updates = fake.calls_to("chat.update")
    assert 1 <= len(updates) < 40, "most partial states were skipped"
    post_at = fake.posts()[0].at
    times = [post_at, *(u.at for u in updates)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # partial states an interval apart; the final one after at most the final gap
    assert min(gaps[:-1], default=interval) >= interval * 0.95, gaps
    assert gaps[-1] >= min(FINAL_GAP, interval) * 0.95, gaps
    assert "all done" in " ".join(texts(updates[-1]["blocks"]))


async def test_a_parse_error_is_posted_as_a_marked_error(slack: Slack, fake: FakeSlack) -> None:
    sent = await slack.command("character", "explode Mara")
    assert sent.status == 200
    [post] = await fake.wait_for(fake.posts)
    assert post["blocks"][0]["text"]["text"].startswith(":warning:")
    assert "explode" in post["blocks"][0]["text"]["text"]


async def test_a_long_reply_is_split_into_thread_messages_with_nothing_lost(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack(specs=[LONG]) as slack:
        await slack.command("long", "30000")
        await slack.idle()
    head = fake.posts()[0]
    head_ts = head.result["ts"]
    continuations = fake.posts()[1:]
    assert continuations and all(c["thread_ts"] == head_ts for c in continuations)
    messages = [fake.updates_of(head_ts)[-1], *continuations]
    for m in messages:
        assert len(m["blocks"]) <= 50 and len(m["text"]) <= 40_000
        assert all(len(t) <= 3000 for t in texts(m["blocks"]))
    words = [
        w
        for m in messages
        for t in texts(m["blocks"])
        for w in t.split()
        if w.startswith("w") and w[1:].isdigit()
    ]
    assert words == [f"w{i}" for i in range(30_000)]
    assert buttons(messages[-1]["blocks"]) and not buttons(messages[0]["blocks"])
    assert head.get("thread_ts") is None


async def test_rate_limited_posts_are_retried_after_retry_after(
    slack: Slack, fake: FakeSlack
) -> None:
    fake.rate_limit("chat.postMessage", retry_after=1)
    await slack.command("help")
    await slack.idle()
    attempts = fake.calls_to("chat.postMessage")
    assert len(attempts) == 2
    assert attempts[1].at - attempts[0].at >= 1.0


async def test_a_slash_command_is_parsed_once_and_its_spec_answers_the_rest(
    open_slack: OpenSlack, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listener parses the line; whether the role matters (a destructive command) and
    whether it needs a thread come from the parsed spec; the dispatcher looks up nothing."""
    import bot.parsing

    counted = {"tokenize": 0, "resolve": 0}
    tokenize = bot.parsing.tokenize

    def counting_tokenize(line: str) -> list[bot.parsing.Token]:
        counted["tokenize"] += 1
        return tokenize(line)

    monkeypatch.setattr(bot.parsing, "tokenize", counting_tokenize)
    async with open_slack() as slack:
        resolve = slack.app.registry.resolve

        def counting_resolve(name: str, subcommand: str | None) -> Any:
            counted["resolve"] += 1
            return resolve(name, subcommand)

        monkeypatch.setattr(slack.app.registry, "resolve", counting_resolve)
        await slack.command("story", "forget")
        await slack.idle()
        assert counted == {"tokenize": 1, "resolve": 1}
        assert any("permanently deletes" in " ".join(texts(p["blocks"])) for p in fake.posts())
        await slack.command("summarize", "thread")  # needs a thread Slack does not name
        await slack.idle()
    [hint] = fake.calls_to("chat.postEphemeral")
    assert "Summarize thread" in hint["text"]
