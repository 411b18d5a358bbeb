"""/summarize channel and the thread catch-up, through Slack's real path: signed requests
in, conversations.history and conversations.replies paged at the fake Web API."""

from __future__ import annotations

import time

from tests.adapters.slack.conftest import Slack, texts
from tests.adapters.slack.fake_slack import FakeSlack


def shown(fake: FakeSlack) -> str:
    """Everything the bot showed: its posts and the final state of each."""
    out = []
    for post in fake.posts():
        updates = fake.updates_of(post.result["ts"])
        out.extend(texts((updates[-1] if updates else post)["blocks"]))
    return "\n".join(out)


def busy_channel(fake: FakeSlack, now: float) -> tuple[str, str]:
    """Two threads today, one last month that goes on today, and 250 loose messages."""
    fake.add_user("U3", "Priya")
    finale = fake.seed_thread(
        "C1",
        [
            {"user": "U1", "text": "Finale: where does the chase end?"},
            {"user": "U2", "text": "We decided the chase ends in the flooded subway."},
            {"user": "U3", "text": "Action item: Priya drafts the subway scene by Friday."},
        ],
        at=now - 3000,
    )
    casting = fake.seed_thread(
        "C1",
        [
            {"user": "U2", "text": "Casting the detective: open call or offers only?"},
            {"user": "U1", "text": "Offers only, we agreed."},
        ],
        at=now - 40 * 86400,
    )
    fake.threads[("C1", casting)].append(
        {
            "type": "message",
            "user": "U3",
            "text": "Update: the offer went out today.",
            "ts": f"{now - 100:.6f}",
            "thread_ts": casting,
        }
    )
    for i in range(250):
        fake.seed_message(
            "C1",
            {"user": "U1" if i % 2 else "U2", "text": f"loose note {i}"},
            ts=f"{now - 2000 + i:.6f}",
        )
    fake.seed_message("C1", {"user": "U1", "text": "from last year"}, ts=f"{now - 400 * 86400:.6f}")
    return finale, casting


async def test_summarize_channel_pages_history_and_recaps_by_thread(
    slack: Slack, fake: FakeSlack
) -> None:
    now = time.time()
    finale, casting = busy_channel(fake, now)
    sent = await slack.command("summarize", "channel since:yesterday")
    assert sent.status == 200 and sent.elapsed < 1.0
    await slack.idle()
    pages = fake.calls_to("conversations.history")
    forward = [p for p in pages if p.get("oldest")]
    assert len(forward) == 2 and forward[1]["cursor"] == "200"  # 252 top-level messages
    assert float(forward[0]["oldest"]) <= now - 86400
    assert any(p.get("latest") for p in pages)  # one page back, for threads still going
    replied = {c["ts"] for c in fake.calls_to("conversations.replies")}
    assert replied == {finale, casting}
    body = shown(fake)
    assert "Channel recap" in body and "3 threads" in body
    assert "Finale: where does the chase end?" in body and "flooded subway" in body
    # started last month, named by its first message, only today's reply in the recap
    assert "Casting the detective: open call or offers only?*" in body
    assert "offers only?* (https://writers.slack.com/archives/C1/p" in body
    assert "· 1 messages" in body and "Offers only" not in body
    assert "In the channel" in body and "from last year" not in body
    assert "Traceback" not in body


async def test_summarize_channel_where_the_bot_is_not_a_member_says_how_to_fix_it(
    slack: Slack, fake: FakeSlack
) -> None:
    fake.fail("conversations.history", "not_in_channel")
    await slack.command("summarize", "channel")
    await slack.idle()
    body = shown(fake)
    assert "I'm not in this channel" in body and "/invite @writersroom" in body
    assert "something went wrong" not in body


async def test_summarize_channel_without_the_history_scope_names_it(
    slack: Slack, fake: FakeSlack
) -> None:
    fake.fail("conversations.history", "missing_scope")
    await slack.command("summarize", "channel since:monday")
    await slack.idle()
    body = shown(fake)
    assert "missing a permission" in body and "channels:history" in body


async def test_summarize_channel_with_a_bad_period_reads_nothing(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.command("summarize", "channel since:someday")
    await slack.idle()
    assert fake.calls_to("conversations.history") == []
    assert "since:2026-11-30" in shown(fake)


async def test_summarize_channel_of_a_quiet_period_says_so(slack: Slack, fake: FakeSlack) -> None:
    fake.seed_message("C1", {"user": "U1", "text": "old news"}, ts=f"{time.time() - 9e6:.6f}")
    await slack.command("summarize", "channel since:today")
    await slack.idle()
    assert "Nothing was posted in this period" in shown(fake)


async def test_a_thread_summarized_twice_answers_what_changed(
    slack: Slack, fake: FakeSlack
) -> None:
    fake.add_user("U3", "Priya")
    thread = fake.seed_thread(
        "C1",
        [
            {"user": "U1", "text": "Pitch: Mara owes the harbour master, and the storm is coming."},
            {
                "user": "U2",
                "text": "We decided the brother is the villain, not the harbour master.",
            },
            {"user": "U3", "text": "Open question: does Jonah know about the debt?"},
        ],
    )

    async def mention() -> None:
        await slack.mention("summarize", thread=thread)
        await slack.idle()

    await mention()
    first = shown(fake)
    assert "Thread summary" in first and "villain" in first
    fake.add_reply("C1", thread, {"user": "U1", "text": "Jonah knows about the debt from ep 1."})
    fake.add_reply(
        "C1", thread, {"user": "U1", "text": "Priya, can you rewrite the cold open by Friday?"}
    )
    fake.add_reply("C1", thread, {"user": "U3", "text": "on it, friday"})
    await mention()
    head = fake.posts()[-1]
    final = " ".join(texts(fake.updates_of(head.result["ts"])[-1]["blocks"]))
    assert "what changed" in final and "Since the last summary" in final
    assert "3 new messages" in final  # the bot's own digest is not counted
    assert "*Answered since*" in final and "does Jonah know about the debt?" in final
    assert "*New action items*" in final and "*Priya*: rewrite the cold open" in final
    assert "villain" not in final  # said in the first digest: not repeated


async def test_a_thread_the_app_may_not_read_is_answered_plainly(
    slack: Slack, fake: FakeSlack
) -> None:
    thread = fake.seed_thread("C1", [{"user": "U1", "text": "Pitch: the storm comes early."}])
    fake.fail("conversations.replies", "missing_scope")
    await slack.mention("summarize", thread=thread)
    await slack.idle()
    body = shown(fake)
    assert "missing a permission" in body and "something went wrong" not in body
