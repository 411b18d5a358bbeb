"""Shards across processes: two bot processes (two apps, each with its own lease and its
own sharded client, on one PostgreSQL database) run half the shards each; the fake
gateway delivers each guild's events to the process running its shard."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.discord import ShardedWritersroomClient
from bot.adapters.discord.shards import IdentifyGate, next_turn, shard_of
from bot.app import open_app
from bot.settings import Settings
from storage.coordination import Allowance
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import FAR, GENERAL, Harness, running
from tests.adapters.discord.payloads import GUILD, OTHER_GUILD
from tests.conftest import counting_seeds

pytestmark = pytest.mark.timeout(60)

SHARDS = 4
HALVES = ((0, 1), (2, 3))


class FakeGateway:
    """Discord's gateway as a bot sees it: a guild's events go to its shard's connection,
    whichever process holds it."""

    def __init__(self, processes: list[Harness]) -> None:
        self.processes = processes

    def owner(self, guild_id: int) -> Harness:
        shard = shard_of(guild_id, SHARDS)
        client = next(h for h in self.processes if shard in (h.client.shard_ids or ()))
        return client

    async def command(self, channel: dict[str, Any], path: str, **options: Any) -> Harness:
        process = self.owner(int(channel["guild_id"]))
        await process.command(path, channel=channel, **options)
        return process

    async def press(self, message: dict[str, Any], custom_id: str) -> Harness:
        process = self.owner(int(message["guild_id"]))
        await process.press(message, custom_id)
        return process


@contextlib.asynccontextmanager
async def bot_process(
    settings: Settings, shards: tuple[int, ...], fake: FakeDiscord | None = None
) -> AsyncIterator[Harness]:
    """A bot process running ``shards``; ``fake``: the Discord it talks to (its own one
    by default, so a test sees which process answered)."""
    guilds = tuple(g for g in (GUILD, OTHER_GUILD) if shard_of(g, SHARDS) in shards)
    async with (
        open_app(settings, seeds=counting_seeds()) as app,
        running(
            app,
            fake or FakeDiscord(),
            guilds=guilds,
            sharded=True,
            shard_count=SHARDS,
            shard_ids=list(shards),
        ) as harness,
    ):
        yield harness


def _head(h: Harness, channel: dict[str, Any]) -> dict[str, Any]:
    [head] = [m for m in h.fake.in_channel(int(channel["id"])) if m.get("webhook_id")]
    return head | {"guild_id": channel["guild_id"]}


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for row in message["components"] for b in row["components"]}


@pytest.fixture
def pg_settings(settings: Settings, pg_url: str) -> Settings:
    return dataclasses.replace(settings, database_url=pg_url)


async def test_each_half_of_the_shards_answers_its_own_guilds_commands_and_buttons(
    pg_settings: Settings,
) -> None:
    assert shard_of(GUILD, SHARDS) in HALVES[0] and shard_of(OTHER_GUILD, SHARDS) in HALVES[1]
    async with (
        bot_process(pg_settings, HALVES[0]) as first,
        bot_process(pg_settings, HALVES[1]) as second,
    ):
        assert first.app.lease.id != second.app.lease.id  # two processes on the database
        assert isinstance(first.client, ShardedWritersroomClient)
        gateway = FakeGateway([first, second])
        for channel, expected in ((GENERAL, first), (FAR, second)):
            answered = await gateway.command(channel, "synopsis", length="short")
            assert answered is expected
            head = _head(answered, channel)
            other = second if answered is first else first
            assert not other.fake.in_channel(int(channel["id"]))  # the other process: silent
            pressed = await gateway.press(head, _buttons(head)["Save to bible"])
            assert pressed is expected
            story = await answered.app.store.active_story(
                ("discord", channel["guild_id"], channel["id"])
            )
            assert story is not None and story.synopsis
            thread = answered.fake.in_channel(int(head["id"]))
            assert "Saved as the story's synopsis" in thread[-1]["content"]


async def test_a_button_works_on_the_process_that_takes_its_shard_over(
    pg_settings: Settings,
) -> None:
    async with bot_process(pg_settings, HALVES[0]) as first:
        await first.command("synopsis", channel=GENERAL, length="short")
        head = _head(first, GENERAL)
    async with bot_process(pg_settings, (0, 1, 2, 3), first.fake) as successor:  # all now
        await FakeGateway([successor]).press(head, _buttons(head)["Regenerate"])
        in_thread = successor.fake.in_channel(int(head["id"]))
        assert [e["title"] for e in in_thread[-1]["embeds"]] == ["Synopsis · another take"]


def test_identifies_in_one_bucket_take_turns_five_seconds_apart() -> None:
    first, wait = next_turn(None, 100.0)
    assert (first.at, wait) == (100.0, 0.0)
    second, wait = next_turn(first, 101.0)
    assert (second.at, wait) == (105.0, 4.0)
    third, wait = next_turn(second, 101.5)
    assert (third.at, wait) == (110.0, 8.5)
    assert next_turn(Allowance(0.0, 90.0), 101.0)[1] == 0.0  # long ago: at once


async def test_identifies_are_spaced_across_processes_through_the_database(
    pg_settings: Settings,
) -> None:
    spacing = 0.3
    async with (
        open_app(pg_settings) as one,
        open_app(pg_settings) as two,
    ):
        # with max_concurrency 2 (a large bot), shards 4 and 5 are in two buckets: no wait
        wide = [IdentifyGate(app.store, max_concurrency=2, spacing=spacing) for app in (one, two)]
        waits = await asyncio.gather(wide[0].wait(4), wide[1].wait(5))
        assert waits == [0.0, 0.0]

        gates = [IdentifyGate(app.store, max_concurrency=1, spacing=spacing) for app in (one, two)]
        t0 = time.monotonic()
        times: list[float] = []

        async def identify(gate: IdentifyGate, shard: int) -> None:
            await gate.wait(shard)
            times.append(time.monotonic() - t0)

        await asyncio.gather(*(identify(gates[i % 2], i) for i in range(4)))
        times.sort()
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert all(gap >= spacing * 0.9 for gap in gaps), gaps


async def test_a_cancel_asked_on_another_process_reads_cancelled(settings: Settings) -> None:
    from tests.adapters.discord.test_buttons import _Gate

    async with (
        open_app(settings) as owner_app,
        open_app(settings) as other_app,
        running(owner_app, FakeDiscord()) as bot,
    ):
        gate = _Gate()
        owner_app.resources.engine = gate
        payload = bot.interaction(2, bot.command_data("synopsis", None, {}))
        bot.fake.activate()
        bot.state.parse_interaction_create(payload)  # type: ignore[arg-type]
        await gate.started.wait()
        [job] = owner_app.jobs.running()
        assert await other_app.store.request_cancel(job.id) is not None  # another process
        await bot.client.router.idle()
        assert job.state == "cancelled"
        head = _head(bot, GENERAL)
    head = bot.fake.messages[int(head["id"])]
    assert head["embeds"][0]["footer"]["text"] == "Cancelled."
