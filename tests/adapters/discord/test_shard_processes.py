"""Two real bot processes (``python -m bot discord --shards 4 --shard-ids ...``) on one
PostgreSQL database, each running half the shards of a fake gateway: each answers the
commands and the button presses of its own guilds, and their IDENTIFYs keep Discord's
spacing per bucket across processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord.shards import IDENTIFY_SPACING, bucket_of, shard_of
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.fake_gateway import FakeGateway, serving
from tests.adapters.discord.harness import FAR, GENERAL, OTHER, Harness, interaction_payload
from tests.adapters.discord.payloads import GUILD, OTHER_GUILD

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[3]
SHARDS = 4
HALVES = ("0,1", "2,3")


@contextlib.asynccontextmanager
async def bot_process(
    api: str, pg_url: str, data: Path, shard_ids: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("WRITERSROOM_", "DISCORD_"))},
        "PYTHONPATH": str(ROOT),
        "DISCORD_TOKEN": "test-token",
        "DISCORD_API_URL": api,
        "WRITERSROOM_DB": pg_url,
        "WRITERSROOM_DATA_DIR": str(data),
    }
    log = (data.parent / f"bot-{shard_ids}.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "discord",
        "--shards",
        str(SHARDS),
        "--shard-ids",
        shard_ids,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), 30)
        log.close()


def _head(fake: FakeDiscord, channel: dict[str, Any]) -> dict[str, Any] | None:
    """The finished draft (the interaction's original response, with its buttons)."""
    for m in fake.in_channel(int(channel["id"])):
        labels = [b.get("label") for row in m.get("components") or [] for b in row["components"]]
        if m.get("webhook_id") and "Save to bible" in labels:
            return m
    return None


async def _until(test: Any, within: float = 30.0) -> Any:
    async with asyncio.timeout(within):
        while not (found := test()):  # noqa: ASYNC110 - another process's answer
            await asyncio.sleep(0.05)
    return found


async def test_two_processes_each_answer_the_guilds_of_their_half_of_the_shards(
    pg_url: str, tmp_path: Path
) -> None:
    guilds = {GUILD: [GENERAL, OTHER], OTHER_GUILD: [FAR]}
    gateway = FakeGateway(SHARDS, guilds, max_concurrency=2)
    fakes = [FakeDiscord(), FakeDiscord()]
    for fake in fakes:  # one Discord: every channel exists for both
        for channel in (GENERAL, OTHER, FAR):
            fake.add_channel(dict(channel))
    owner = {GUILD: 0, OTHER_GUILD: 1}  # which process holds each guild's shard
    assert [shard_of(g, SHARDS) for g in (GUILD, OTHER_GUILD)] == [1, 3]
    async with (
        serving(gateway, fakes) as apis,
        bot_process(apis[0], pg_url, tmp_path / "data", HALVES[0]),
        bot_process(apis[1], pg_url, tmp_path / "data", HALVES[1]),
    ):
        # each shard's READY and GUILD_CREATEs go before anything else on its socket
        await gateway.wait_identified(SHARDS, within=60)
        for guild, channel in ((GUILD, GENERAL), (OTHER_GUILD, FAR)):
            mine, other = fakes[owner[guild]], fakes[1 - owner[guild]]
            command = interaction_payload(
                2, Harness.command_data("synopsis", None, {"length": "short"}), channel=channel
            )
            for fake in fakes:  # either could be asked: the gateway decides
                fake.interactions[command["token"]] = command
            await gateway.deliver(guild, "INTERACTION_CREATE", command)
            head = await _until(lambda m=mine, c=channel: _head(m, c))
            assert command["token"] in mine.responded
            assert command["token"] not in other.responded  # the other process: silent
            buttons = {
                b["label"]: b["custom_id"] for row in head["components"] for b in row["components"]
            }
            press = interaction_payload(
                3,
                {"custom_id": buttons["Save to bible"], "component_type": 2},
                channel=channel,
                message=dict(head, guild_id=str(guild)),
            )
            for fake in fakes:
                fake.interactions[press["token"]] = press
            await gateway.deliver(guild, "INTERACTION_CREATE", press)
            saved = await _until(
                lambda m=mine, h=head: [
                    x
                    for x in m.in_channel(int(h["id"]))
                    if "Saved as the story's synopsis" in (x.get("content") or "")
                ]
            )
            assert saved and press["token"] not in other.responded

    # IDENTIFYs of one bucket, from either process, at least 5 s apart
    for bucket in range(gateway.max_concurrency):
        times = sorted(t for s, t in gateway.identified if bucket_of(s, 2) == bucket)
        assert len(times) == 2
        assert times[1] - times[0] >= IDENTIFY_SPACING * 0.95, times
