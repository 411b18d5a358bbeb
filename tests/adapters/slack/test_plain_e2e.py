"""Plain-language mentions and direct messages through the Slack app: the sentence is read
as the command that fits and the reply says so; a question is answered from the bible."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from tests.adapters.slack.conftest import OpenSlack, Slack, texts
from tests.adapters.slack.fake_slack import BOT_USER, TEAM, FakeSlack

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def slack(open_slack: OpenSlack) -> AsyncIterator[Slack]:
    async with open_slack() as opened:
        yield opened


def mention(fake: FakeSlack, text: str, **extra: str) -> dict[str, str]:
    return {
        "type": "app_mention",
        "channel": "C1",
        "user": "U1",
        "team": TEAM,
        "text": f"<@{BOT_USER}> {text}",
        "ts": fake.next_ts(),
        **extra,
    }


async def test_a_plain_mention_writes_what_it_asks_for(slack: Slack, fake: FakeSlack) -> None:
    await slack.event(mention(fake, "write a two-line synopsis of a heist on Mars"))
    [post] = await fake.wait_for(fake.posts)
    await slack.idle()
    assert "Writing a short synopsis…" in " ".join(texts(post.args["blocks"]))  # while writing
    final = fake.updates_of(str(post.result["ts"]))[-1]["blocks"]
    shown = " ".join(texts(final))
    assert "There is no /write command" not in shown
    assert "Synopsis" in shown and "Understood as" in shown and "`/synopsis" in shown
    assert "Writing a short synopsis" not in shown  # done: it says what it ran instead
    feedback = [
        json.loads(e["value"])
        for b in final
        if b.get("block_id") == "writersroom_feedback"
        for e in b["elements"]
    ]
    assert feedback and all(f["c"] == "synopsis" for f in feedback)  # not "follow-up"


async def test_a_question_in_a_dm_is_answered_from_the_bible(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("character", "new Mara Quell role:lead a salvage pilot")
    await slack.idle()
    await slack.command("character", "edit Mara flaw trusts nobody with the truth")
    await slack.idle()
    before = len(fake.posts())
    await slack.message("what's Mara's flaw?", thread=None, parent=None, channel_type="im")
    await fake.wait_for(lambda: len(fake.posts()) > before)
    await slack.idle()
    said = " ".join(" ".join(texts(p["blocks"])) for p in fake.posts()[before:])
    assert "trusts nobody with the truth" in said and "Mara Quell's flaw" in said


async def test_a_plain_mention_works_on_the_board(slack: Slack, fake: FakeSlack) -> None:
    """ "add a beat …" in a mention puts it on the board, and the reply says so; "move
    it" by number then moves it, as the typed commands would."""
    await slack.command("story", "new Salt and Iron")
    await slack.idle()
    await slack.event(mention(fake, "add a beat to act 2: Jonah finds the letter"))
    await slack.idle()
    story = await slack.app.store.active_story(("slack", TEAM, "C1"))
    assert story is not None
    [beat] = await slack.app.store.beats(story.id)
    assert (beat.act, beat.text) == (2, "Jonah finds the letter")
    shown = " ".join(" ".join(texts(p["blocks"])) for p in fake.posts())
    shown += " ".join(" ".join(texts(u["blocks"])) for u in fake.calls_to("chat.update"))
    assert "`/outline add 2 Jonah finds the letter`" in shown
    await slack.event(mention(fake, "could you move beat 1 into the first act?"))
    await slack.idle()
    [moved] = await slack.app.store.beats(story.id)
    assert moved.act == 1
