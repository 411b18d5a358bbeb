from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from bot.adapters.discord.tree import OPTION_STRING_MAX, build_tree
from bot.parsing import MAX_STRING
from bot.registry import Param, Resolved
from commands import build_registry
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import running
from tests.adapters.discord.payloads import GUILD

STRING, INTEGER, SUBCOMMAND = 3, 4, 1
MESSAGE = 3  # a message context menu's command type
MENUS = ("Summarize thread", "Summarize from here", "Save to bible")


class _Nobody:
    async def on_command(
        self, interaction: discord.Interaction, resolved: Resolved, options: dict[str, Any]
    ) -> None:
        raise AssertionError("not called in these tests")

    async def complete(
        self, interaction: discord.Interaction, param: Param, current: str
    ) -> list[app_commands.Choice[str]]:
        return []


@pytest.fixture
def synced() -> dict[str, dict[str, Any]]:
    """The slash commands of the payload ``tree.sync()`` would send, by top-level name."""
    client = discord.Client(intents=discord.Intents.none())
    tree = build_tree(client, build_registry(), _Nobody())
    slash = tree.get_commands(type=discord.AppCommandType.chat_input)
    return {c.name: c.to_dict(tree) for c in slash}


def _leaf_options(synced: dict[str, dict[str, Any]], resolved: Resolved) -> list[dict[str, Any]]:
    top = synced[resolved.group.name]
    if resolved.subcommand is None:
        return list(top.get("options", []))
    [sub] = [o for o in top["options"] if o["name"] == resolved.subcommand]
    assert sub["type"] == SUBCOMMAND
    return list(sub.get("options", []))


def test_every_registry_command_and_subcommand_is_in_the_tree(synced: dict[str, Any]) -> None:
    registry = build_registry()
    assert set(synced) == {spec.name for spec in registry}
    for spec in registry:
        assert synced[spec.name]["description"] == spec.help
        if spec.is_group:
            assert [o["name"] for o in synced[spec.name]["options"]] == [
                s.name for s in spec.subcommands
            ]


def test_options_carry_the_registry_types_limits_choices_and_help(synced: dict[str, Any]) -> None:
    for resolved in build_registry().leaves():
        options = {o["name"]: o for o in _leaf_options(synced, resolved)}
        assert list(options) == [p.name for p in resolved.leaf.params]  # required ones first
        for p in resolved.leaf.params:
            o = options[p.name]
            assert o["description"] == p.help
            assert o["required"] == p.required
            assert o["type"] == (INTEGER if p.type == "integer" else STRING)
            if p.type == "integer":
                assert o.get("min_value") == p.min_value and o.get("max_value") == p.max_value
            if p.type == "choice":
                assert [c["value"] for c in o["choices"]] == list(p.choices)
            if p.type in ("string", "text"):
                default = OPTION_STRING_MAX if p.type == "text" else MAX_STRING
                assert o["max_length"] == min(p.max_length or default, OPTION_STRING_MAX)
            assert o.get("autocomplete", False) == (p.autocomplete is not None)


def test_names_and_descriptions_fit_discords_limits(synced: dict[str, Any]) -> None:
    def walk(node: dict[str, Any]) -> None:
        assert 1 <= len(node["name"]) <= 32 and node["name"] == node["name"].lower()
        assert 1 <= len(node["description"]) <= 100
        options = node.get("options", [])
        assert len(options) <= 25
        for o in options:
            assert len(o.get("choices", [])) <= 25
            walk(o)

    for command in synced.values():
        walk(command)


def test_dialogue_speakers_autocomplete_from_the_bible(synced: dict[str, Any]) -> None:
    [speakers] = [o for o in synced["dialogue"]["options"] if o["name"] == "characters"]
    assert speakers["autocomplete"] is True


async def test_sync_to_one_guild_registers_the_whole_tree_there(app: Any) -> None:
    fake = FakeDiscord()
    async with running(app, fake, sync=True, guild=GUILD):
        pass
    assert list(fake.synced) == [str(GUILD)]
    slash = [c["name"] for c in fake.synced[str(GUILD)] if c["type"] == 1]
    assert slash == [s.name for s in app.registry]
    menus = [c["name"] for c in fake.synced[str(GUILD)] if c["type"] == MESSAGE]
    assert menus == list(MENUS)


async def test_sync_without_a_guild_is_global(app: Any) -> None:
    fake = FakeDiscord()
    async with running(app, fake, sync=True):
        pass
    assert list(fake.synced) == [None]
    assert {c["name"] for c in fake.synced[None]} == {s.name for s in app.registry} | set(MENUS)


@pytest.mark.parametrize("guild", [None, GUILD])
async def test_discord_stores_the_whole_tree_without_a_refusal(app: Any, guild: int | None) -> None:
    """Every command of the registry, as the bot builds it, passes Discord's checks of a
    sync (tests/adapters/discord/payloads.py: check_commands) and comes back stored."""
    fake = FakeDiscord()
    async with running(app, fake, sync=True, guild=guild):
        pass
    assert fake.refused == 0
    [put] = fake.find("PUT", r"/commands$")
    stored = {c["name"]: c for c in fake.synced[str(guild) if guild else None]}
    assert put.payload is not None and len(put.payload) == len(stored)
    for resolved in app.registry.leaves():
        top = stored[resolved.group.name]
        leaf = top if resolved.subcommand is None else _option(top, resolved.subcommand)
        assert [o["name"] for o in leaf.get("options", [])] == [
            p.name for p in resolved.leaf.params
        ]
    assert [n for n, c in stored.items() if c["type"] == MESSAGE] == list(MENUS)


def _option(node: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [o for o in node.get("options", []) if o["name"] == name]
    return dict(found)


async def test_a_tree_discord_would_refuse_fails_to_sync(app: Any) -> None:
    fake = FakeDiscord()
    async with running(app, fake) as bot:
        tree = bot.client.tree

        async def pick(interaction: discord.Interaction, shade: str) -> None:
            raise AssertionError("never run")

        command = app_commands.Command(name="shade", description="Pick one", callback=pick)
        command._params["shade"].choices = [  # a choice name over 100 characters
            app_commands.Choice(name="teal " * 25, value="teal")
        ]
        tree.add_command(command)
        with pytest.raises(app_commands.CommandSyncFailure) as refused:
            await tree.sync()
    assert refused.value.code == 50035 and "shade).choices[0].name" in refused.value.text
    assert fake.refused == 1 and fake.synced == {}


async def test_a_command_discord_knows_but_the_bot_does_not_gets_a_clear_answer(
    discord_bot: Any,
) -> None:
    data = discord_bot.command_data("character", "fly", {})
    payload = await discord_bot.deliver(discord_bot.interaction(2, data))
    [answer] = [c.payload for c in discord_bot.calls_for(payload) if c.sends_message]
    assert answer["data"]["flags"] & 64
    assert "--sync" in answer["data"]["content"]


def test_the_tree_holds_the_three_message_menus() -> None:
    client = discord.Client(intents=discord.Intents.none())
    tree = build_tree(client, build_registry(), _Nobody())
    menus = tree.get_commands(type=discord.AppCommandType.message)
    assert [m.name for m in menus] == list(MENUS)
    for menu in menus:
        payload = menu.to_dict(tree)
        assert payload["type"] == MESSAGE and "options" not in payload
