"""What Slack sends twice is answered once; what failed the first time is answered on the
retry."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest

from tests.adapters.slack.conftest import OpenSlack, Slack, texts
from tests.adapters.slack.doubles import SUMMARIZE
from tests.adapters.slack.fake_slack import BOT_USER, TEAM, FakeSlack
from tests.adapters.slack.test_shortcut_e2e import long_thread, shortcut_payload, submission


def fail_first_claim(slack: Slack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database refuses the next event claim (locked for longer than its timeout)."""
    store = slack.app.store
    claim = store.first_seen
    failed: list[bool] = []

    async def first_seen(*args: Any, **kwargs: Any) -> bool:
        if not failed:
            failed.append(True)
            raise sqlite3.OperationalError("database is locked")
        return await claim(*args, **kwargs)

    monkeypatch.setattr(store, "first_seen", first_seen)


async def test_a_retry_after_a_failed_claim_is_answered(
    slack: Slack, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    await slack.command("synopsis")
    await slack.idle()
    head = str(fake.posts()[-1].result["ts"])
    event = {
        "type": "message",
        "channel": "C1",
        "user": "U1",
        "text": "shorter",
        "ts": fake.next_ts(),
        "team": TEAM,
        "channel_type": "channel",
        "thread_ts": head,
        "parent_user_id": BOT_USER,
    }
    before = len(fake.posts())
    fail_first_claim(slack, monkeypatch)
    await slack.event(event, event_id="EvLOCKED")
    await slack.idle()
    assert len(fake.posts()) == before  # nothing claimed, nothing answered
    await slack.event(event, event_id="EvLOCKED", retry=1)
    await slack.idle()
    [revised] = fake.posts()[before:]
    assert revised["thread_ts"] == head


async def test_the_summarize_modal_submitted_twice_posts_one_summary(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    thread = long_thread(fake, 5)
    async with open_slack(specs=[SUMMARIZE]) as slack:
        await slack.interaction(shortcut_payload(thread, thread))
        [opened] = await fake.wait_for(lambda: fake.calls_to("views.open"))
        submitted = submission(opened["view"], "thread")
        await asyncio.gather(slack.interaction(submitted), slack.interaction(submitted))
        await slack.idle()
        assert len(fake.posts()) == 1

        again = {**submitted, "view": {**submitted["view"], "id": "V2"}}  # a modal opened anew
        await slack.interaction(again)
        await slack.idle()
    summaries = [" ".join(texts(p["blocks"])) for p in fake.posts()]
    assert len(summaries) == 2 and all("Thread summary" in s for s in summaries)
