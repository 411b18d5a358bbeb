"""The client: intents, no pings by default, sharding from the settings, start-up fallbacks."""

from __future__ import annotations

import dataclasses
from typing import Any

import discord
import pytest

from bot.adapters.discord import ShardedWritersroomClient, WritersroomClient, build_client
from bot.adapters.discord.client import intents, run_discord, shard_options
from bot.app import App
from bot.settings import load_settings
from core.errors import ConfigError


def test_the_client_pings_nobody_by_default(app: App) -> None:
    client = build_client(app)
    mentions = client.allowed_mentions
    assert mentions is not None
    assert dict(mentions.to_dict()) == {"parse": []}


def test_intents_ask_only_for_what_the_bot_reads() -> None:
    without = intents(message_content=False)
    assert without.guilds and without.guild_messages and without.dm_messages
    assert not without.message_content and not without.members and not without.presences
    assert intents(message_content=True).message_content


def test_sharding_is_off_unless_configured(app: App) -> None:
    assert shard_options(load_settings({}, dotenv=None)) == {"sharded": False}
    client = build_client(app, **shard_options(app.settings))
    assert type(client) is WritersroomClient


def test_auto_sharding_lets_discord_choose_the_count(app: App) -> None:
    settings = load_settings({"DISCORD_SHARDS": "auto"}, dotenv=None)
    options = shard_options(settings)
    assert options == {"sharded": True, "shard_count": None, "shard_ids": None}
    client = build_client(app, **options)
    assert isinstance(client, discord.AutoShardedClient)
    assert isinstance(client, ShardedWritersroomClient)


def test_a_process_can_run_some_of_a_fixed_number_of_shards(app: App) -> None:
    settings = load_settings({"DISCORD_SHARDS": "8", "DISCORD_SHARD_IDS": "2,3"}, dotenv=None)
    client = build_client(app, **shard_options(settings))
    assert isinstance(client, discord.AutoShardedClient)
    assert client.shard_count == 8 and client.shard_ids == [2, 3]


@pytest.mark.parametrize(
    "env, named",
    [
        ({"DISCORD_SHARD_IDS": "0"}, "DISCORD_SHARD_IDS"),
        ({"DISCORD_SHARDS": "2", "DISCORD_SHARD_IDS": "0,2"}, "DISCORD_SHARD_IDS"),
        ({"DISCORD_SHARDS": "many"}, "DISCORD_SHARDS"),
    ],
)
def test_bad_shard_settings_fail_by_name(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(env, dotenv=None)


async def test_run_needs_a_token(app: App) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN"):
        await run_discord(app, sync=False, guild=None)


async def test_without_the_message_content_intent_the_bot_starts_anyway(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    async def start(self: discord.Client, token: str, **_: Any) -> None:
        asked.append(self.intents.message_content)
        if self.intents.message_content:
            raise discord.PrivilegedIntentsRequired(None)

    monkeypatch.setattr(WritersroomClient, "start", start)
    with_token = dataclasses.replace(
        app, settings=dataclasses.replace(app.settings, discord_token="token")
    )
    await run_discord(with_token, sync=False, guild=None)
    assert asked == [True, False]
    with pytest.raises(ConfigError, match="message-content intent"):
        await run_discord(with_token, sync=False, guild=None, message_content=True)
