"""The manifests match the registry, the generator and the handlers on the Bolt app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.manifest import BOT_EVENTS, expected_files, main
from commands import build_registry
from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.fake_slack import BOT_USER, TEAM, FakeSlack
from tests.adapters.slack.test_shortcut_e2e import shortcut_payload

ROOT = Path(__file__).resolve().parents[3]
yaml = pytest.importorskip("yaml")


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    return data


def test_manifest_files_are_what_the_generator_makes() -> None:
    for name, text in expected_files(build_registry()).items():
        assert (ROOT / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run python -m bot.adapters.slack.manifest"
        )
    assert main(["--check", "--root", str(ROOT)]) == 0


def test_every_registry_command_is_a_slash_command_with_its_help() -> None:
    registry = build_registry()
    for name, http in (("manifest.yml", False), ("manifest-http.yml", True)):
        data = load(name)
        commands = data["features"]["slash_commands"]
        assert [c["command"] for c in commands] == [f"/{s.name}" for s in registry]
        assert [c["description"] for c in commands] == [s.help for s in registry]
        assert all(c["should_escape"] is False for c in commands)
        settings = data["settings"]
        assert settings["socket_mode_enabled"] is (not http)
        assert settings["interactivity"]["is_enabled"] is True
        urls = [c.get("url") for c in commands] + [
            settings["interactivity"].get("request_url"),
            settings["event_subscriptions"].get("request_url"),
        ]
        assert all(urls) if http else not any(urls)
    group = next(
        c
        for c in load("manifest.yml")["features"]["slash_commands"]
        if c["command"] == "/character"
    )
    assert group["usage_hint"].startswith("new|show|list")


def test_every_event_has_its_scope_and_no_scope_is_spare() -> None:
    data = load("manifest.yml")
    scopes = set(data["oauth_config"]["scopes"]["bot"])
    events = set(data["settings"]["event_subscriptions"]["bot_events"])
    needs = {
        "app_mention": "app_mentions:read",
        "message.channels": "channels:history",
        "message.groups": "groups:history",
        "message.im": "im:history",
        "message.mpim": "mpim:history",
    }
    assert all(needs[e] in scopes for e in events if e in needs)
    assert scopes == {
        "app_mentions:read",
        "assistant:write",
        "channels:history",
        "channels:read",
        "chat:write",
        "commands",
        "files:write",
        "groups:history",
        "groups:read",
        "im:history",
        "mpim:history",
        "users:read",
    }
    shortcuts = data["features"]["shortcuts"]
    assert [(s["type"], s["name"]) for s in shortcuts] == [
        ("message", "Summarize thread"),
        ("message", "Summarize from here"),
    ]


async def test_every_manifest_entry_reaches_a_handler_on_the_bolt_app(
    slack: Slack, fake: FakeSlack
) -> None:
    data = load("manifest-http.yml")
    for command in data["features"]["slash_commands"]:
        sent = await slack.command(command["command"].lstrip("/"), "")
        assert sent.status == 200, command["command"]
    channel_types = {"channels": "channel", "groups": "group", "im": "im", "mpim": "mpim"}
    for name in data["settings"]["event_subscriptions"]["bot_events"]:
        kind, _, where = name.partition(".")
        event = {
            "type": kind,
            "user": "U1",
            "channel": "C1",
            "ts": fake.next_ts(),
            "team": TEAM,
            "text": f"<@{BOT_USER}> help",
            "tab": "home",
        }
        if where:
            event["channel_type"] = channel_types[where]
        assert (await slack.event(event)).status == 200, name
    for shortcut in data["features"]["shortcuts"]:
        payload = shortcut_payload("1700000000.000100", "1700000000.000100")
        payload["callback_id"] = shortcut["callback_id"]
        assert (await slack.interaction(payload)).status == 200, shortcut["name"]
    # and what the manifest does not declare is not handled
    assert (await slack.command("nope")).status == 404
    assert (await slack.event({"type": "reaction_added", "user": "U1"})).status == 404
    await slack.idle()
    assert set(BOT_EVENTS) == set(data["settings"]["event_subscriptions"]["bot_events"])
