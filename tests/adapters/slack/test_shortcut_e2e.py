"""The "Summarize thread" and "Summarize from here" shortcuts: a modal for the delivery,
then the whole thread read, or the thread from the chosen reply on."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.adapters.slack.shortcuts import (
    SUMMARIZE_CALLBACK,
    SUMMARIZE_FROM_HERE_CALLBACK,
    SUMMARIZE_VIEW,
)
from tests.adapters.slack.conftest import OpenSlack, Slack, texts
from tests.adapters.slack.doubles import SUMMARIZE
from tests.adapters.slack.fake_slack import TEAM, WORKSPACE_URL, FakeSlack


def shortcut_payload(
    thread: str, message_ts: str, callback: str = SUMMARIZE_CALLBACK
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": callback,
        "trigger_id": "13.42.trig",
        "team": {"id": TEAM, "domain": "writers"},
        "channel": {"id": "C1", "name": "writers"},
        "user": {"id": "U1", "username": "dana", "name": "dana", "team_id": TEAM},
        "message_ts": message_ts,
        "response_url": "http://127.0.0.1:9/unused",
        "message": {
            "type": "message",
            "user": "U2",
            "ts": message_ts,
            "thread_ts": thread,
            "text": "the last word",
        },
    }


def submission(view: dict[str, Any], choice: str) -> dict[str, Any]:
    submitted = {
        **view,
        "id": "V1",
        "team_id": TEAM,
        "state": {
            "values": {
                "delivery": {
                    "choice": {"type": "radio_buttons", "selected_option": {"value": choice}}
                }
            }
        },
    }
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "writers"},
        "user": {"id": "U1", "username": "dana", "name": "dana", "team_id": TEAM},
        "view": submitted,
        "api_app_id": "A0WR",
    }


async def choose(
    slack: Slack,
    fake: FakeSlack,
    thread: str,
    choice: str,
    *,
    on: str | None = None,
    callback: str = SUMMARIZE_CALLBACK,
) -> dict[str, Any]:
    """Use a shortcut on a message of ``thread`` (``on``: its ts, default the first one),
    pick ``choice`` in its modal; returns the modal as opened."""
    sent = await slack.interaction(shortcut_payload(thread, on or thread, callback))
    assert sent.status == 200
    [opened] = await fake.wait_for(lambda: fake.calls_to("views.open"))
    assert opened["trigger_id"] == "13.42.trig"
    view = opened["view"]
    assert view["callback_id"] == SUMMARIZE_VIEW
    sent = await slack.interaction(submission(view, choice))
    assert sent.status == 200 and sent.text == ""  # the modal closes
    await slack.idle()
    return dict(view)


def long_thread(fake: FakeSlack, n: int = 450) -> str:
    people = ["U1", "U2", "U3"]
    fake.add_user("U3", "Priya")
    return fake.seed_thread(
        "C1", [{"user": people[i % 3], "text": f"point {i} &lt;!here&gt;"} for i in range(n)]
    )


async def test_private_summary_reads_every_page_and_goes_only_to_the_asker(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    thread = long_thread(fake)
    async with open_slack(specs=[SUMMARIZE]) as slack:
        await choose(slack, fake, thread, "private")
    pages = fake.calls_to("conversations.replies")
    assert len(pages) == 3 and all(p["ts"] == thread for p in pages)
    assert fake.posts() == []
    [note] = fake.calls_to("chat.postEphemeral")
    assert note["user"] == "U1" and note["thread_ts"] == thread and note["channel"] == "C1"
    shown = " ".join(texts(note["blocks"]))
    assert "450 messages by Dana, Priya, Sam" in shown
    first = f"{WORKSPACE_URL}archives/C1/p{thread.replace('.', '')}"
    assert first in shown and f"?thread_ts={thread}&amp;cid=C1" in shown
    assert "&lt;!here&gt;" in shown  # the thread's own text, echoed, stays inert


async def test_thread_summary_is_posted_in_the_thread(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    thread = long_thread(fake, 5)
    async with open_slack(specs=[SUMMARIZE]) as slack:
        await choose(slack, fake, thread, "thread")
    [post] = fake.posts()
    assert post["thread_ts"] == thread
    assert "5 messages" in " ".join(texts(post["blocks"]))


def writers_thread(fake: FakeSlack) -> str:
    fake.add_user("U3", "Priya")
    lines = [
        ("U1", "Pitch: Mara owes the harbour master, and the storm season is coming."),
        ("U2", "We decided the brother is the villain, not the harbour master."),
        ("U3", "Open question: does Jonah know about the debt before episode two?"),
        ("U1", "Agreed, the airlock scene moves to act two. <!channel> please read it."),
        ("U2", "Action item: Sam rewrites the cold open by Friday."),
        ("U3", "What if the storm arrives early? Still undecided."),
    ]
    return fake.seed_thread("C1", [{"user": u, "text": t} for u, t in lines])


async def test_the_shortcut_runs_the_real_summarize_privately(
    slack: Slack, fake: FakeSlack
) -> None:
    thread = writers_thread(fake)
    await choose(slack, fake, thread, "private")
    assert [p["ts"] for p in fake.calls_to("conversations.replies")] == [thread]
    assert fake.posts() == []  # nothing in the channel or the thread
    notes = fake.calls_to("chat.postEphemeral")
    assert notes and all(n["user"] == "U1" and n["thread_ts"] == thread for n in notes)
    shown = " ".join(t for n in notes for t in texts(n["blocks"]))
    assert "Thread summary" in shown and "villain" in shown
    assert not re.search(r"<[!@#]|@(here|channel|everyone)\b", shown)  # quoted, never pings


async def test_the_shortcut_runs_the_real_summarize_into_the_thread(
    slack: Slack, fake: FakeSlack
) -> None:
    thread = writers_thread(fake)
    await choose(slack, fake, thread, "thread")
    [head] = fake.posts()
    assert head["thread_ts"] == thread
    final = " ".join(texts(fake.updates_of(head.result["ts"])[-1]["blocks"]))
    assert "Thread summary" in final and "villain" in final
    assert not re.search(r"<[!@#]|@(here|channel|everyone)\b", final)
    assert fake.calls_to("chat.postEphemeral") == []


async def test_a_mention_of_summarize_in_a_thread_summarizes_that_thread(
    slack: Slack, fake: FakeSlack
) -> None:
    thread = writers_thread(fake)
    await slack.mention("summarize", thread=thread)
    await slack.idle()
    [head] = fake.posts()
    assert head["thread_ts"] == thread
    assert "villain" in " ".join(texts(fake.updates_of(head.result["ts"])[-1]["blocks"]))


async def test_slash_summarize_thread_explains_how_to_reach_a_thread(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.command("summarize", "thread")
    await slack.idle()
    assert fake.posts() == [] and fake.calls_to("conversations.replies") == []
    [hint] = fake.calls_to("chat.postEphemeral")
    assert hint["user"] == "U1" and "Summarize thread" in " ".join(texts(hint["blocks"]))


async def test_a_tampered_modal_does_nothing(slack: Slack, fake: FakeSlack) -> None:
    view = {
        "callback_id": SUMMARIZE_VIEW,
        "private_metadata": '{"team": "T1", "channel": "C1; DROP", "thread": "x"}',
        "type": "modal",
    }
    sent = await slack.interaction(submission(view, "thread"))
    assert sent.status == 200
    await slack.idle()
    assert fake.posts() == [] and fake.calls_to("chat.postEphemeral") == []


async def test_summarize_from_here_reads_the_thread_from_that_reply_on(
    slack: Slack, fake: FakeSlack
) -> None:
    thread = writers_thread(fake)
    here = fake.threads[("C1", thread)][3]["ts"]  # "Agreed, the airlock scene moves…"
    view = await choose(
        slack, fake, thread, "private", on=here, callback=SUMMARIZE_FROM_HERE_CALLBACK
    )
    assert view["title"]["text"] == "Summarize from here"
    notes = fake.calls_to("chat.postEphemeral")
    shown = " ".join(t for n in notes for t in texts(n["blocks"]))
    assert "3 messages" in shown and "airlock" in shown
    assert "villain" not in shown  # said before the chosen reply


async def test_summarize_from_here_on_the_threads_first_message_is_the_whole_thread(
    slack: Slack, fake: FakeSlack
) -> None:
    thread = writers_thread(fake)
    view = await choose(slack, fake, thread, "private", callback=SUMMARIZE_FROM_HERE_CALLBACK)
    assert view["title"]["text"] == "Summarize thread"
    shown = " ".join(t for n in fake.calls_to("chat.postEphemeral") for t in texts(n["blocks"]))
    assert "6 messages" in shown and "villain" in shown


async def test_a_tampered_start_does_nothing(slack: Slack, fake: FakeSlack) -> None:
    view = {
        "callback_id": SUMMARIZE_VIEW,
        "private_metadata": json.dumps(
            {"team": TEAM, "channel": "C1", "thread": "1700000000.000100", "start": "x; y"}
        ),
        "type": "modal",
    }
    sent = await slack.interaction(submission(view, "thread"))
    assert sent.status == 200
    await slack.idle()
    assert fake.posts() == [] and fake.calls_to("chat.postEphemeral") == []
