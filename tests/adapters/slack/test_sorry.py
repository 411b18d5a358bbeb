"""When the work after an ack fails before it answered (the database gone away while a
claim is written), the person hears an apology instead of nothing."""

from __future__ import annotations

import sqlite3
from typing import Any

from bot.adapters.slack.sorry import SORRY
from tests.adapters.slack.conftest import Slack, texts
from tests.adapters.slack.fake_slack import FakeSlack


def database_down(slack: Slack) -> None:
    async def refuse(*args: Any, **kwargs: Any) -> bool:
        raise sqlite3.OperationalError("database is locked")

    slack.app.store.first_seen = refuse  # type: ignore[method-assign]


async def test_a_slash_command_that_fails_before_it_answers_is_apologized_for(
    slack: Slack, fake: FakeSlack
) -> None:
    database_down(slack)
    sent = await slack.command("synopsis", "a heist")
    assert sent.status == 200  # acknowledged all the same
    await slack.idle()
    [hint] = fake.calls_to("response_url")
    assert hint["text"] == SORRY and hint["response_type"] == "ephemeral"
    assert not fake.posts()  # nothing else said, nothing half-done


async def test_a_mention_that_fails_before_it_answers_is_apologized_for_in_its_thread(
    slack: Slack, fake: FakeSlack
) -> None:
    database_down(slack)
    thread = fake.seed_thread("C1", [{"user": "U2", "text": "the heist, case one"}])
    assert (await slack.mention("write a short synopsis", thread=thread)).status == 200
    await slack.idle()
    [post] = fake.posts()
    assert post["channel"] == "C1" and post["thread_ts"] == thread
    assert SORRY in (post.get("text") or " ".join(texts(post.get("blocks") or [])))


async def test_a_reply_in_someone_elses_thread_gets_no_apology(
    slack: Slack, fake: FakeSlack
) -> None:
    database_down(slack)
    thread = fake.seed_thread("C1", [{"user": "U2", "text": "lunch?"}])
    await slack.message("sure", thread=thread, parent="U2")
    await slack.idle()
    assert not fake.posts() and not fake.calls_to("response_url")
