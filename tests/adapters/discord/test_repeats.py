"""One answer per Discord event, however often it is delivered: a message that reaches the
same process twice (a resumed session) or two processes (the old and the new one of a
rolling deploy both hold its shard's session) is answered once; a slash command both
processes receive runs once, since Discord takes one acknowledgment."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import open_app
from bot.settings import Settings
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import ALICE, GENERAL, Harness, running
from tests.conftest import counting_seeds

pytestmark = pytest.mark.timeout(60)


def _answers(fake: FakeDiscord, channel: dict[str, Any]) -> list[dict[str, Any]]:
    """Messages the bot posted in ``channel`` (not in the threads it opened)."""
    return [
        c.payload
        for c in fake.find("POST", rf"^/channels/{channel['id']}/messages$")
        if c.payload is not None
    ]


async def _jobs(bot: Harness, author: str) -> list[object]:
    key = ("discord", str(GENERAL["guild_id"]), str(GENERAL["id"]))
    return list(await bot.app.store.jobs_since(key, str(author), 0.0))


@contextlib.asynccontextmanager
async def _process(settings: Settings, fake: FakeDiscord) -> AsyncIterator[Harness]:
    """A bot process of its own (its own app, lease and client) on the shared database,
    talking to the one fake Discord."""
    async with open_app(settings, seeds=counting_seeds()) as app, running(app, fake) as harness:
        yield harness


async def test_a_message_delivered_twice_to_one_process_is_answered_once(
    discord_bot: Harness,
) -> None:
    message = await discord_bot.say(
        "how many characters are there?", channel=GENERAL, mention_bot=True
    )
    first = len(_answers(discord_bot.fake, GENERAL))
    assert first == 1
    await discord_bot.deliver_message(message)  # the gateway replays it on a resume
    assert len(_answers(discord_bot.fake, GENERAL)) == first


async def test_a_message_two_processes_receive_is_answered_by_one_of_them(
    settings: Settings,
) -> None:
    fake = FakeDiscord()
    async with _process(settings, fake) as old, _process(settings, fake) as new:
        assert old.app.lease.id != new.app.lease.id
        message = await old.say(
            "write a short synopsis of a heist", channel=GENERAL, mention_bot=True
        )
        await new.deliver_message(message)  # the same event on the other session
        [head] = _answers(fake, GENERAL)
        assert head["embeds"][0]["title"].startswith("Synopsis")
        assert len(await _jobs(new, message["author"]["id"])) == 1  # one, on the database


async def test_a_slash_command_two_processes_receive_runs_once(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """The second process's defer is refused; it neither runs the command nor tries to
    apologize (refused too), and logs no error: this is how a second session behaves."""
    fake = FakeDiscord()
    async with _process(settings, fake) as old, _process(settings, fake) as new:
        payload = await old.command("synopsis", length="short")
        await new.deliver(payload)  # its defer is refused: acknowledged already
        assert [c.refused for c in new.calls_for(payload) if c.path.endswith("/callback")] == [
            False,
            True,
        ]
        assert len(await _jobs(old, ALICE["id"])) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
