"""Slack's native streaming for model replies in threads: chat.startStream, appendStream,
stopStream in order, the final reply with its buttons; chat.update where Slack says no."""

from __future__ import annotations

import asyncio
import re

from bot.adapters.slack.stream import APPEND_CHARS, open_stream, stream_pieces
from core.types import Place, Reply
from tests.adapters.slack.conftest import TEAM, OpenSlack, Slack, buttons, feedback_buttons, texts
from tests.adapters.slack.doubles import StreamingEngine
from tests.adapters.slack.fake_slack import FakeSlack

STREAM_METHODS = ("chat.startStream", "chat.appendStream", "chat.stopStream")


async def draft_then_again(slack: Slack, fake: FakeSlack) -> str:
    """/synopsis in the channel, then "again" in its thread (a reply written in a thread)."""
    await slack.command("synopsis")
    await slack.idle()
    head = str(fake.posts()[-1].result["ts"])
    await slack.message("again", thread=head)
    await slack.idle()
    return head


async def test_a_reply_written_in_a_thread_streams_natively(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    fake.streaming = True
    async with open_slack(engine=StreamingEngine(steps=30, pause=0.02)) as slack:
        head = await draft_then_again(slack, fake)
    assert not [c for c in fake.calls_to("chat.startStream") if c.get("thread_ts") != head]
    calls = [c for c in fake.calls if c.method in (*STREAM_METHODS, "chat.update")]
    methods = [c.method for c in calls]
    start = methods.index("chat.startStream")
    [stream_ts] = [c.result["ts"] for c in fake.calls_to("chat.startStream")]
    streamed = [
        c for c in calls[start:] if c.get("ts") == stream_ts or c.method == "chat.startStream"
    ]
    order = [c.method for c in streamed]
    assert order[0] == "chat.startStream" and order[-2:] == ["chat.stopStream", "chat.update"]
    assert order.count("chat.appendStream") >= 1 and "chat.update" not in order[:-1]
    first = fake.calls_to("chat.startStream")[0]
    assert first["recipient_user_id"] == "U1" and first["recipient_team_id"] == "T0WRITERS"
    text = fake.streams[stream_ts]["text"]
    assert text.startswith("**") and "word0 word1" in text  # the title, then the words
    assert all(c.result.get("ok") for c in streamed)
    final = streamed[-1]
    assert "THE END" in " ".join(texts(final["blocks"]))
    assert [b["text"]["text"] for b in buttons(final["blocks"])] == [
        "Regenerate",
        "Continue",
        "Save to bible",
    ]
    assert len(feedback_buttons(final["blocks"])) == 2
    # the draft in the channel itself was not streamed: it is not in a thread
    assert fake.updates_of(head)


async def test_a_streamed_reply_with_mention_tokens_in_it_pings_nobody(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    fake.streaming = True
    hostile = StreamingEngine(steps=12, pause=0.02, word="<!channel> @here <@U9> <!subteam^S1> ")
    async with open_slack(engine=hostile) as slack:
        await draft_then_again(slack, fake)
    [stream_ts] = [c.result["ts"] for c in fake.calls_to("chat.startStream")]
    sent = [
        str(c.get("markdown_text") or "")
        for c in fake.calls
        if c.method in STREAM_METHODS and (c.get("ts") == stream_ts or "ts" not in c.args)
    ]
    streamed = fake.streams[stream_ts]["text"]
    assert "&lt;!channel&gt;" in streamed  # the words arrived, shown as written
    assert any("&lt;@U9&gt;" in text for text in sent)
    for text in (*sent, streamed):
        assert "<!" not in text and "<@" not in text and "@here" not in text


async def test_a_stream_past_slacks_limit_a_call_goes_in_pieces(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    fake.streaming = True
    huge = StreamingEngine(steps=4, pause=0.05, word="&" * 3000)  # 15,000 escaped a step
    async with open_slack(engine=huge) as slack:
        thread = fake.seed_thread("C1", [{"user": "U2", "text": "a heist, case one"}])
        await slack.mention("/synopsis short", thread=thread)  # written in a thread
        await slack.idle()
    [stream_ts] = [c.result["ts"] for c in fake.calls_to("chat.startStream")]
    calls = [c for c in fake.calls if c.method in STREAM_METHODS]
    pieces = [str(c.get("markdown_text") or "") for c in calls]
    assert all(c.result.get("ok") for c in calls)
    assert max(len(p) for p in pieces) <= APPEND_CHARS < len(fake.streams[stream_ts]["text"])
    for piece in pieces:  # no "&amp;" cut in two
        assert not re.search(r"&[a-z]{0,3}$", piece) and not re.match(r"^[a-z]{1,3};", piece)
    assert fake.streams[stream_ts]["text"].count("&amp;") >= 6000


def test_pieces_keep_to_the_limit_and_never_cut_an_escaped_character() -> None:
    for text in ("&amp;" * 5000, "a" * 11_998 + "&amp;" + "b" * 20_000, "x" * 12_000, ""):
        pieces = stream_pieces(text)
        assert "".join(pieces) == text and all(len(p) <= APPEND_CHARS for p in pieces)
        assert all(not re.search(r"&[a-z]{0,3}$", p) for p in pieces[:-1])
    assert stream_pieces("short") == ["short"]


async def test_where_slack_cannot_stream_the_reply_is_edited_as_before(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    fake.stream_refusal = "method_not_supported_for_channel_type"
    async with open_slack(engine=StreamingEngine(steps=10, pause=0.01)) as slack:
        head = await draft_then_again(slack, fake)
        await slack.message("again", thread=head)
        await slack.idle()
    [refused] = fake.calls_to("chat.startStream")  # asked once, then remembered
    assert refused.result["error"] == "method_not_supported_for_channel_type"
    replies = [p for p in fake.posts() if p.get("thread_ts") == head]
    assert len(replies) == 2
    for reply in replies:
        final = fake.updates_of(reply.result["ts"])[-1]
        assert "THE END" in " ".join(texts(final["blocks"]))
        assert next(b["text"]["text"] for b in buttons(final["blocks"])) == "Regenerate"


async def test_a_workspace_without_streaming_is_asked_once(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    fake.stream_refusal = "unknown_method"
    async with open_slack(engine=StreamingEngine(steps=5, pause=0.0)) as slack:
        head = await draft_then_again(slack, fake)
        await slack.message("again", thread=head)
        await slack.idle()
        assert "T0WRITERS" in slack.runtime.no_streaming
    assert len(fake.calls_to("chat.startStream")) == 1
    assert fake.calls_to("chat.appendStream", "chat.stopStream") == []


async def test_replies_started_together_ask_a_workspace_once_whether_it_streams(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """Five replies start at once, each in its own thread: the first asks Slack (which
    takes its time to answer), the other four wait for its answer instead of asking."""
    fake.stream_refusal = "unknown_method"
    fake.slow["chat.startStream"] = 0.3
    partial = Reply(title="Synopsis", body="_Writing…_", partial=True)
    async with open_slack() as slack:
        rt = slack.runtime
        client = await rt.client_for(TEAM)
        opened = await asyncio.gather(
            *(
                open_stream(
                    rt, client, Place("slack", TEAM, f"C{i}", None), f"1.{i}", "U1", partial
                )
                for i in range(5)
            )
        )
    assert opened == [None] * 5
    assert len(fake.calls_to("chat.startStream")) == 1
    assert TEAM in rt.no_streaming


async def test_a_stream_refused_midway_goes_on_by_chat_update(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    fake.streaming = True
    fake.fail("chat.appendStream", "message_not_in_streaming_state", times=50)
    async with open_slack(engine=StreamingEngine(steps=20, pause=0.02)) as slack:
        await draft_then_again(slack, fake)
    [stream_ts] = [c.result["ts"] for c in fake.calls_to("chat.startStream")]
    updates = fake.updates_of(stream_ts)
    assert updates and "THE END" in " ".join(texts(updates[-1]["blocks"]))
    assert all(u.result.get("ok") for u in updates)
