"""A direct message to the bot is answered whether or not it mentions the bot: Slack sends
no app_mention event in a DM."""

from __future__ import annotations

from tests.adapters.slack.conftest import Slack, texts
from tests.adapters.slack.fake_slack import BOT_USER, FakeSlack


async def test_a_direct_message_that_mentions_the_bot_is_answered(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.message(f"<@{BOT_USER}> help", channel="D1", channel_type="im")
    await slack.idle()
    [post] = fake.posts()
    assert post["channel"] == "D1"
    assert "/synopsis" in " ".join(texts(post["blocks"]))  # the help, not "@UBOT help"


async def test_a_mention_in_a_channel_thread_waits_for_its_mention_event(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.command("synopsis")
    await slack.idle()
    head = str(fake.posts()[-1].result["ts"])
    before = len(fake.posts())
    await slack.message(f"<@{BOT_USER}> shorter", thread=head)
    await slack.idle()
    assert len(fake.posts()) == before  # its app_mention event answers it
