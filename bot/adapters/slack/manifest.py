"""The Slack app manifests, made from the command registry so they never drift.

``manifest.yml`` is for Socket Mode (no public URL); ``manifest-http.yml`` for HTTP mode,
with request URLs to edit. Regenerate both after changing a command::

    python -m bot.adapters.slack.manifest            # write manifest.yml, manifest-http.yml
    python -m bot.adapters.slack.manifest --check    # exit 1 if they are out of date

The scopes are only what the adapter uses: commands and the shortcut (commands), posting,
editing and streaming replies (chat:write), reading threads and receiving their messages
(*:history), mentions (app_mentions:read), image uploads (files:write), names and roles
(users:read), the person's channels for App Home (channels:read, groups:read), and the
assistant side panel's prompts and status (assistant:write).

The HTTP manifest also names the OAuth redirect URL, for installs in many workspaces
(SLACK_CLIENT_ID / SLACK_CLIENT_SECRET; docs/slack.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.adapters.slack.oauth import REDIRECT_PATH
from bot.adapters.slack.shortcuts import SHORTCUTS
from bot.adapters.slack.translate import BOT_EVENTS, BOT_SCOPES
from bot.registry import CommandSpec, Registry

APP_NAME = "writersroom"
DESCRIPTION = "Story bible, drafts and summaries for writers' rooms."
LONG_DESCRIPTION = (
    "writersroom keeps a story bible per channel (characters, locations, beats, scenes) and "
    "writes synopses, character sheets, outlines and dialogue from it. Every reply starts a "
    "thread: answer in it to refine the draft (shorter, continue, again, save). The "
    "Summarize thread shortcut gives producers the decisions and open questions of a long "
    "thread, in the thread or only to themselves."
)
EXAMPLE_HOST = "https://writersroom.example.com"
EXAMPLE_URL = f"{EXAMPLE_HOST}/slack/events"
ASSISTANT_DESCRIPTION = (
    "Asks the story bible of the channel you are looking at: write the next scene, recap "
    "today's threads, deepen a character."
)
FILES = {"socket": "manifest.yml", "http": "manifest-http.yml"}


def usage_hint(spec: CommandSpec) -> str:
    if spec.is_group:
        return "|".join(s.name for s in spec.subcommands) + " …"
    return " ".join(p.usage() for p in spec.params)


def manifest(registry: Registry, *, http: bool, url: str = EXAMPLE_URL) -> dict[str, Any]:
    """The manifest as data. ``http``: request URLs instead of Socket Mode."""
    commands = []
    for spec in registry:
        command: dict[str, Any] = {"command": f"/{spec.name}", "description": spec.help}
        hint = usage_hint(spec)
        if hint:
            command["usage_hint"] = hint
        command["should_escape"] = False
        if http:
            command["url"] = url
        commands.append(command)
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    oauth: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if http:
        events = {"request_url": url, **events}
        interactivity["request_url"] = url
        oauth = {"redirect_urls": [url.removesuffix("/slack/events") + REDIRECT_PATH], **oauth}
    return {
        "display_information": {
            "name": APP_NAME,
            "description": DESCRIPTION,
            "long_description": LONG_DESCRIPTION,
            "background_color": "#2b2d42",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": APP_NAME, "always_online": True},
            "assistant_view": {"assistant_description": ASSISTANT_DESCRIPTION},
            "shortcuts": [dict(s) for s in SHORTCUTS],
            "slash_commands": commands,
        },
        "oauth_config": oauth,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": not http,
            "token_rotation_enabled": False,
        },
    }


def to_yaml(data: Any, indent: int = 0) -> str:
    """A small YAML writer for manifests: maps, lists, strings (JSON-quoted, which YAML
    reads as double-quoted scalars), booleans and numbers."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict | list) and value:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(value, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_scalar(value)}")
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                body = to_yaml(item, indent + 1).lstrip()
                lines.append(f"{pad}- {body}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    else:
        lines.append(pad + _scalar(data))
    return "\n".join(lines)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(str(value), ensure_ascii=False)


def render_manifest(registry: Registry, *, http: bool) -> str:
    mode = (
        "HTTP mode: replace the request URLs with yours."
        if http
        else "Socket Mode: no public URL needed."
    )
    header = (
        "# Generated from the command registry by `python -m bot.adapters.slack.manifest`;"
        f" do not edit.\n# {mode}\n"
    )
    return header + to_yaml(manifest(registry, http=http)) + "\n"


def expected_files(registry: Registry) -> dict[str, str]:
    return {
        FILES["socket"]: render_manifest(registry, http=False),
        FILES["http"]: render_manifest(registry, http=True),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check the Slack app manifests.")
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    parser.add_argument("--root", type=Path, default=Path("."), help="repository root")
    args = parser.parse_args(argv)
    from commands import build_registry

    stale = []
    for name, text in expected_files(build_registry()).items():
        path = args.root / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(
            f"out of date: {', '.join(stale)}; run python -m bot.adapters.slack.manifest",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
