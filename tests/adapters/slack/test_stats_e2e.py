"""/story stats: the votes pressed on Slack's feedback buttons, added up for the channel
the command is asked in (and never another channel's)."""

from __future__ import annotations

from tests.adapters.slack.conftest import Slack, texts
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.test_assistant_e2e import press


async def vote(slack: Slack, fake: FakeSlack, channel: str, *verdicts: tuple[str, str]) -> None:
    """A /synopsis in ``channel``, then each (user, verdict) pressed on it."""
    await slack.command("synopsis", channel=channel)
    await slack.idle()
    head = next(p for p in reversed(fake.posts()) if p.args.get("channel") == channel)
    ts = head.result["ts"]
    final = fake.updates_of(ts)[-1]["blocks"]
    for user, verdict in verdicts:
        await slack.interaction(press(final, verdict, ts, user, channel))
    await slack.idle()


async def stats_text(slack: Slack, fake: FakeSlack, channel: str) -> str:
    before = len(fake.posts())
    await slack.command("story", "stats", channel=channel)
    await slack.idle()
    [post] = fake.posts()[before:]
    return " ".join(texts(post["blocks"]))


async def test_stats_show_the_channels_votes_by_command_engine_and_model(
    slack: Slack, fake: FakeSlack
) -> None:
    await vote(slack, fake, "C1", ("U1", "good"), ("U2", "good"), ("U3", "bad"))
    shown = await stats_text(slack, fake, "C1")
    assert "3 votes in this channel, 67% good" in shown
    [row] = [line for line in shown.splitlines() if line.startswith("/synopsis")]
    assert row.split() == ["/synopsis", "offline", "offline", "draft", "engine", "2", "1", "67%"]
    assert "Not good" in shown and "Good share" in shown


async def test_stats_never_show_another_channels_votes(slack: Slack, fake: FakeSlack) -> None:
    await vote(slack, fake, "C1", ("U1", "good"))
    await vote(slack, fake, "C2", ("U1", "bad"), ("U2", "bad"))
    shown = await stats_text(slack, fake, "C2")
    assert "2 votes in this channel, 0% good" in shown
    assert "67%" not in shown and "1 vote " not in shown
    assert "1 vote in this channel, 100% good" in await stats_text(slack, fake, "C1")


async def test_stats_without_votes_say_so_in_a_sentence(slack: Slack, fake: FakeSlack) -> None:
    await vote(slack, fake, "C2", ("U1", "good"))
    shown = await stats_text(slack, fake, "C1")
    assert "No feedback in this channel yet." in shown
    assert "/synopsis" not in shown
