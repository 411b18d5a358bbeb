"""Threads, mentions and buttons: follow-ups where the bot started a thread, nothing else."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from tests.adapters.slack.conftest import TEAM, OpenSlack, Slack, buttons, texts
from tests.adapters.slack.fake_slack import BOT_USER, FakeSlack


async def draft(slack: Slack, fake: FakeSlack) -> str:
    """Run /synopsis and return the ts of its thread head."""
    await slack.command("synopsis")
    await slack.idle()
    return str(fake.posts()[-1].result["ts"])


async def test_a_reply_in_the_bots_thread_is_a_follow_up(slack: Slack, fake: FakeSlack) -> None:
    head = await draft(slack, fake)
    await slack.message("shorter", thread=head)
    await slack.idle()
    revised = fake.posts()[-1]
    assert revised["thread_ts"] == head and revised["channel"] == "C1"
    final = fake.updates_of(revised.result["ts"])[-1]
    assert "revised" in texts(final["blocks"])[0]


async def test_other_messages_cost_nothing(slack: Slack, fake: FakeSlack) -> None:
    head = await draft(slack, fake)
    before = len(fake.calls)
    await slack.message("just chatting")  # top level in a channel
    await slack.message("not for the bot", thread=head, parent="U2")  # someone else's thread
    await slack.message("a bot", thread=head, bot_id="B2")
    await slack.message("edited", thread=head, subtype="message_changed")
    await slack.message("", thread=head, subtype="message_deleted")
    await slack.message("shorter", thread=head, user=BOT_USER)  # the bot itself
    await slack.idle()
    assert fake.calls[before:] == []


async def test_a_thread_without_a_draft_is_ignored(slack: Slack, fake: FakeSlack) -> None:
    await slack.message("shorter", thread="1699999999.000100")
    await slack.idle()
    assert fake.posts() == []


async def test_a_mention_runs_the_text_after_it_as_a_command(slack: Slack, fake: FakeSlack) -> None:
    await slack.event(
        {
            "type": "app_mention",
            "channel": "C1",
            "user": "U1",
            "team": "T0WRITERS",
            "text": f"<@{BOT_USER}> dialogue Mara Jonah the airlock",
            "ts": fake.next_ts(),
        }
    )
    [post] = await fake.wait_for(fake.posts)
    assert post.get("thread_ts") is None
    assert "No character named Mara" in " ".join(texts(post["blocks"]))


async def test_a_mention_in_a_thread_answers_in_that_thread(slack: Slack, fake: FakeSlack) -> None:
    thread = fake.seed_thread("C1", [{"user": "U2", "text": "what did we decide?"}])
    await slack.event(
        {
            "type": "app_mention",
            "channel": "C1",
            "user": "U1",
            "team": "T0WRITERS",
            "text": f"<@{BOT_USER}> help",
            "ts": fake.next_ts(),
            "thread_ts": thread,
        }
    )
    [post] = await fake.wait_for(fake.posts)
    assert post["thread_ts"] == thread


async def test_a_mention_and_its_message_event_give_one_reply(
    slack: Slack, fake: FakeSlack
) -> None:
    head = await draft(slack, fake)
    ts = fake.next_ts()
    text = f"<@{BOT_USER}> shorter"
    common = {
        "channel": "C1",
        "user": "U1",
        "team": "T0WRITERS",
        "text": text,
        "ts": ts,
        "thread_ts": head,
    }
    await slack.event({"type": "message", "parent_user_id": BOT_USER, **common})
    await slack.event({"type": "app_mention", **common})
    await slack.idle()
    assert [p["thread_ts"] for p in fake.posts()[1:]] == [head]


async def test_a_direct_message_reads_like_a_mention(slack: Slack, fake: FakeSlack) -> None:
    await slack.message("help", channel="D1", channel_type="im")
    [post] = await fake.wait_for(fake.posts)
    assert post["channel"] == "D1"


async def test_buttons_work_after_a_restart(open_slack: OpenSlack, fake: FakeSlack) -> None:
    async with open_slack() as slack:
        head = await draft(slack, fake)
    final = fake.updates_of(head)[-1]
    regenerate = next(b for b in buttons(final["blocks"]) if b["text"]["text"] == "Regenerate")
    async with open_slack() as slack:  # a new process on the same database
        sent = await slack.click(regenerate, head)
        assert sent.status == 200
        await slack.idle()
    again = fake.posts()[-1]
    assert again["thread_ts"] == head
    assert "another take" in texts(fake.updates_of(again.result["ts"])[-1]["blocks"])[0]


async def test_a_forged_button_for_another_channel_does_nothing_harmful(
    slack: Slack, fake: FakeSlack
) -> None:
    head = await draft(slack, fake)
    final = fake.updates_of(head)[-1]
    save = next(b for b in buttons(final["blocks"]) if b["text"]["text"] == "Save to bible")
    await slack.click(save, head, channel="C2")
    await slack.idle()
    error = fake.posts()[-1]
    assert "no longer exists" in " ".join(texts(error["blocks"]))


async def test_continue_and_save_buttons_work_after_a_restart(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack() as slack:
        head = await draft(slack, fake)
    final = fake.updates_of(head)[-1]
    by_label = {b["text"]["text"]: b for b in buttons(final["blocks"])}
    async with open_slack() as slack:  # a new process on the same database
        await slack.click(by_label["Continue"], head)
        await slack.idle()
        more = fake.posts()[-1]
        assert more["thread_ts"] == head

        def continued() -> bool:
            updates = fake.updates_of(more.result["ts"])
            return bool(updates) and "continued" in texts(updates[-1]["blocks"])[0]

        await until(continued)
        await slack.click(by_label["Save to bible"], head)
        await slack.idle()

        async def saved() -> bool:
            story = await slack.app.store.active_story(("slack", TEAM, "C1"))
            return story is not None and bool(story.synopsis.strip())

        await until_async(saved)
        story = await slack.app.store.active_story(("slack", TEAM, "C1"))
        assert story is not None
        history = await slack.app.store.history(story.id)
        assert "synopsis" in history[0].summary


async def until(test: Callable[[], bool], within: float = 5.0) -> None:
    """Wait for what an edit throttle may still be about to send."""
    deadline = time.monotonic() + within
    while not test():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def until_async(test: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not await test():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_a_scene_and_its_follow_ups_are_laid_out_as_a_screenplay(
    slack: Slack, fake: FakeSlack
) -> None:
    for name in ("Mara", "Jonah"):
        await slack.command("character", f"new {name}")
        await slack.idle()
    await slack.command("dialogue", "Mara Jonah: the airlock argument")
    await slack.idle()
    scene = fake.posts()[-1]
    head = str(scene.result["ts"])
    await slack.message("shorter", thread=head)
    await slack.idle()
    revised = fake.posts()[-1]
    for post in (scene, revised):
        body = "\n".join(texts(fake.updates_of(post.result["ts"])[-1]["blocks"])[1:])
        lines = body.split("\n")
        # cues are bold lines of their own, each after a blank line and before its speech
        cues = [i for i, line in enumerate(lines) if line in ("*MARA*", "*JONAH*")]
        assert len(cues) >= 2, body
        assert all(lines[i - 1] == "" and lines[i + 1] for i in cues), body
