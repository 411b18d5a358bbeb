"""Slack's assistant panel and feedback: prompts from the channel's story, the thread's
status while a job runs, and Good / Not good votes that App Home adds up."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from bot.adapters.slack.app import resume_jobs
from bot.adapters.slack.translate import slack_to_plain
from core.models import Character
from core.types import Author
from tests.adapters.slack.conftest import OpenSlack, Slack, feedback_buttons, texts
from tests.adapters.slack.fake_slack import BOT_USER, TEAM, FakeSlack

DANA = Author("U1", "Dana")
DM, PANEL = "D0PANEL", "1700009999.000100"


async def story_with_beats(slack: Slack) -> None:
    store = slack.app.store
    story = await store.ensure_story(("slack", TEAM, "C1"), DANA)
    await store.add_character(story.id, Character(name="Mara"), DANA)
    await store.add_character(story.id, Character(name="Jonah"), DANA)
    await store.replace_beats(
        story.id, [(1, "Mara finds the wreck"), (1, "Jonah lies about the salvage")], DANA
    )


async def open_panel(slack: Slack, looking_at: str = "C1") -> None:
    event = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": "U1",
            "channel_id": DM,
            "thread_ts": PANEL,
            "context": {"channel_id": looking_at, "team_id": TEAM},
        },
        "event_ts": PANEL,
    }
    assert (await slack.event(event)).status == 200
    await slack.idle()


async def test_the_panel_suggests_prompts_from_the_channels_story(
    slack: Slack, fake: FakeSlack
) -> None:
    await story_with_beats(slack)
    await open_panel(slack)
    [call] = fake.calls_to("assistant.threads.setSuggestedPrompts")
    assert call.result["ok"] and call["channel_id"] == DM and call["thread_ts"] == PANEL
    prompts = {p["title"]: p["message"] for p in call["prompts"]}
    assert prompts["Write the scene for beat 1"] == "/dialogue Mara Jonah: Mara finds the wreck"
    assert prompts["Summarize today's threads"] == "/summarize channel since:today"
    assert "Deepen Mara's backstory" in prompts and len(prompts) <= 4


async def test_prompts_from_a_story_with_mention_tokens_in_it_ping_nobody(
    slack: Slack, fake: FakeSlack
) -> None:
    store = slack.app.store
    story, _ = await store.new_story(("slack", TEAM, "C1"), DANA, "<!here> The Heist")
    await store.add_character(story.id, Character(name="<!channel>"), DANA)
    await store.replace_beats(
        story.id, [(1, "<!channel> finds <@U999> and <!subteam^S1|@cast>, @everyone runs")], DANA
    )
    await open_panel(slack)
    [call] = fake.calls_to("assistant.threads.setSuggestedPrompts")
    sent = [call["title"], *(p[k] for p in call["prompts"] for k in ("title", "message"))]
    for text in sent:
        assert "<!" not in text and "<@" not in text and "@everyone" not in text
    prompts = {p["title"]: p["message"] for p in call["prompts"]}
    scene = prompts["Write the scene for beat 1"]
    assert scene.startswith("/dialogue &lt;!channel&gt;: &lt;!channel&gt; finds &lt;@U999&gt;")
    assert call["title"] == "For \u2039!here\u203a The Heist"
    assert "Deepen \u2039!channel\u203a's backstory" in prompts
    # Clicked, the message comes back as the person's message: the command as written.
    assert slack_to_plain(scene).startswith("/dialogue <!channel>: <!channel> finds <@U999>")


async def test_a_channel_without_a_story_gets_prompts_to_start_one(
    slack: Slack, fake: FakeSlack
) -> None:
    await open_panel(slack, looking_at="C9")
    [call] = fake.calls_to("assistant.threads.setSuggestedPrompts")
    assert "Start a story here" in [p["title"] for p in call["prompts"]]


async def test_a_prompt_in_the_panel_works_on_the_channels_story_and_shows_status(
    slack: Slack, fake: FakeSlack
) -> None:
    await story_with_beats(slack)
    await open_panel(slack)
    await slack.message(
        "/dialogue Mara Jonah: Mara finds the wreck",
        channel=DM,
        thread=PANEL,
        channel_type="im",
        parent="U1",  # the panel's thread: the person's, not the bot's
    )
    await slack.idle()
    [reply] = [p for p in fake.posts() if p.get("thread_ts") == PANEL]
    assert reply["channel"] == DM
    final = " ".join(texts(fake.updates_of(reply.result["ts"])[-1]["blocks"]))
    assert "MARA" in final.upper() and "JONAH" in final.upper()
    statuses = [c["status"] for c in fake.calls_to("assistant.threads.setStatus")]
    assert statuses[0] == "is writing the scene…" and statuses[-1] == ""
    conv = await slack.app.store.conversation_at(("slack", TEAM, "C1", PANEL))
    assert conv is not None and conv.kind == "dialogue"  # the channel's story, this thread
    # and a follow-up in the panel thread revises that draft
    await slack.message("shorter", channel=DM, thread=PANEL, channel_type="im")
    await slack.idle()
    assert len([p for p in fake.posts() if p.get("thread_ts") == PANEL]) == 2


async def look_at(slack: Slack, channel: str) -> None:
    """The person moves to another channel with the panel open."""
    event = {
        "type": "assistant_thread_context_changed",
        "assistant_thread": {
            "user_id": "U1",
            "channel_id": DM,
            "thread_ts": PANEL,
            "context": {"channel_id": channel, "team_id": TEAM},
        },
        "event_ts": "1700009999.000200",
    }
    assert (await slack.event(event)).status == 200
    await slack.idle()


async def test_moving_to_a_channel_without_a_story_lets_go_of_the_last_one(
    slack: Slack, fake: FakeSlack
) -> None:
    await story_with_beats(slack)  # C1's story: Mara and Jonah
    await open_panel(slack, looking_at="C1")
    await look_at(slack, "C9")  # no story there
    await slack.message("/story show", channel=DM, thread=PANEL, channel_type="im", parent="U1")
    await slack.idle()
    shown = [
        " ".join(texts(call.get("blocks") or []))
        for post in fake.posts()
        if post["channel"] == DM
        for call in (post, *fake.updates_of(post.result["ts"]))
    ]
    assert shown and not any("Mara" in text or "Jonah" in text for text in shown)
    # back on C1, the panel works on its story again
    await look_at(slack, "C1")
    await slack.message("/story show", channel=DM, thread=PANEL, channel_type="im", parent="U1")
    await slack.idle()
    [*_, last] = [post for post in fake.posts() if post["channel"] == DM]
    final = [last, *fake.updates_of(last.result["ts"])][-1]
    assert "Mara" in " ".join(texts(final.get("blocks") or []))


def press(
    blocks: list[dict[str, Any]], verdict: str, ts: str, user: str, channel: str = "C1"
) -> dict[str, Any]:
    [button] = [b for b in feedback_buttons(blocks) if b["action_id"].endswith(verdict)]
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "writers"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0WR",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel},
        "channel": {"id": channel, "name": "writers"},
        "message": {"type": "message", "ts": ts, "user": BOT_USER, "text": "…"},
        "actions": [{"type": "button", **button, "action_ts": "1.0"}],
    }


async def test_feedback_is_recorded_with_command_engine_and_model(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.command("synopsis")
    await slack.idle()
    head = fake.posts()[-1].result["ts"]
    final = fake.updates_of(head)[-1]["blocks"]
    labels = [b["text"]["text"] for b in feedback_buttons(final)]
    assert labels == [":thumbsup: Good", ":thumbsdown: Not good"]
    await slack.interaction(press(final, "good", head, "U1"))
    await slack.interaction(press(final, "good", head, "U2"))
    await slack.interaction(press(final, "bad", head, "U2"))  # changes Sam's vote
    await slack.idle()
    [count] = await slack.app.store.feedback_counts("slack", TEAM)
    assert (count.command, count.engine, count.model) == (
        "synopsis",
        "offline",
        "offline draft engine",
    )
    assert (count.good, count.bad) == (1, 1)
    notes = [" ".join(texts(n["blocks"])) for n in fake.calls_to("chat.postEphemeral")]
    assert "noted as good" in notes[0] and "your vote is changed" in notes[-1]

    fake.member_of["U1"] = [{"id": "C1", "name": "writers"}]
    await slack.event({"type": "app_home_opened", "user": "U1", "tab": "home", "ts": "1.0"})
    [published] = await fake.wait_for(lambda: fake.calls_to("views.publish"))
    shown = json.dumps(published["view"])
    assert "How the models do" in shown and "/synopsis" in shown and "50% good" in shown


async def test_a_tampered_feedback_press_records_nothing(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("synopsis")
    await slack.idle()
    head = fake.posts()[-1].result["ts"]
    payload = press(fake.updates_of(head)[-1]["blocks"], "good", head, "U1")
    payload["actions"][0]["value"] = "not json"
    await slack.interaction(payload)
    await slack.idle()
    assert await slack.app.store.feedback_counts("slack", TEAM) == []


async def test_replies_that_are_not_generated_carry_no_feedback(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.command("story", "show")
    await slack.idle()
    [post] = fake.posts()
    assert feedback_buttons(post["blocks"]) == []


async def test_a_panel_job_resumed_after_a_restart_answers_in_the_panel(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    async with open_slack() as slack:
        await story_with_beats(slack)
        await open_panel(slack)
        await slack.message("/synopsis", channel=DM, thread=PANEL, channel_type="im", parent="U1")
        await slack.idle()
        [done] = [j for j in await slack.app.store.jobs(["done"]) if j.command == "synopsis"]
        assert done.place == ("slack", TEAM, "C1", PANEL)  # it works on the channel's story
        # the same request, as if its process had died before running it
        owner = slack.app.lease.id  # this process: it stops, the next one takes over
        lost = dataclasses.replace(done, id="j-panel", state="queued", owner=owner, reply=None)
        await slack.app.store.save_job(lost)
    async with open_slack() as slack:
        before = len(fake.posts())
        await resume_jobs(slack.app, slack.runtime)
        await slack.idle()
        resumed = fake.posts()[before:]
        assert resumed and all(p["channel"] == DM and p["thread_ts"] == PANEL for p in resumed)
        final = [resumed[-1], *fake.updates_of(resumed[-1].result["ts"])][-1]
        assert "Mara" in " ".join(texts(final.get("blocks") or []))  # still C1's story


async def test_summarize_thread_in_the_panel_reads_the_panels_thread(
    slack: Slack, fake: FakeSlack
) -> None:
    await story_with_beats(slack)
    await open_panel(slack)
    said = ["We agreed the wreck is found in act one.", "Does Jonah lie to Mara?"]
    fake.threads[(DM, PANEL)] = [
        {"type": "message", "user": "U1", "text": text, "ts": ts, "thread_ts": PANEL}
        for text, ts in zip(said, (PANEL, "1700009999.000300"), strict=True)
    ]
    await slack.message("/summarize thread", channel=DM, thread=PANEL, channel_type="im")
    await slack.idle()
    read = [(c["channel"], c["ts"]) for c in fake.calls_to("conversations.replies")]
    assert read and set(read) == {(DM, PANEL)}  # never C1 with the panel's ts
    [*_, reply] = [p for p in fake.posts() if p.get("thread_ts") == PANEL]
    final = [reply, *fake.updates_of(reply.result["ts"])][-1]
    assert "wreck" in " ".join(texts(final.get("blocks") or []))
