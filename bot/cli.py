"""Command line: ``python -m bot shell|slack|discord|serve|worker|web`` (also the ``writersroom``
script)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import signal
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, Literal

from bot import runtime
from bot.log_redact import RedactSecrets
from bot.settings import Settings, load_settings
from core.errors import ConfigError, WritersroomError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="writersroom", description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    shell = sub.add_parser("shell", help="talk to the bot in this terminal")
    shell.add_argument("--db", type=Path, help="SQLite file (default: data/writersroom.db)")
    shell.add_argument("--channel", default="general", help="channel name (default: general)")
    shell.add_argument("--user", default="you", help="your name in the story's history")
    shell.add_argument("--seed", type=int, help="fixed seed for reproducible drafts")
    slack = sub.add_parser("slack", help="run in Slack (Socket Mode, or --http)")
    slack.add_argument("--http", action="store_true", help="HTTP mode at /slack/events")
    slack.add_argument("--port", type=int, default=3000)
    discord = sub.add_parser("discord", help="run in Discord")
    discord.add_argument("--sync", action="store_true", help="sync the command tree")
    discord.add_argument("--guild", type=int, help="sync to one guild only")
    discord.add_argument(
        "--shards", type=_shard_count, help="the fixed total shard count (DISCORD_SHARDS)"
    )
    discord.add_argument(
        "--shard-ids",
        type=_shard_ids,
        help="the shards this process runs, e.g. 0,1 (DISCORD_SHARD_IDS)",
    )
    sub.add_parser("serve", help="every platform that has credentials, in one process")
    sub.add_parser("worker", help="an image worker taking jobs from the queue (PostgreSQL)")
    web = sub.add_parser("web", help="serve the web board (Slack in Socket Mode, or Discord)")
    web.add_argument("--port", type=int, default=8080)
    web.add_argument("--host", default="0.0.0.0")
    return parser


def _shard_count(raw: str) -> int | Literal["auto"]:
    if raw.strip().lower() == "auto":
        return "auto"
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a number or auto, not {raw!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return value


def _shard_ids(raw: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in raw.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"numbers like 0,1,2; got {raw!r}") from None


def with_shards(settings: Settings, args: argparse.Namespace) -> Settings:
    """``--shards`` and ``--shard-ids`` over DISCORD_SHARDS / DISCORD_SHARD_IDS, checked
    as the settings check them."""
    shards = getattr(args, "shards", None)
    ids = getattr(args, "shard_ids", None)
    if shards is None and ids is None:
        return settings
    count = shards if shards is not None else settings.discord_shards
    if ids is not None:
        if not isinstance(count, int):
            raise ConfigError("--shard-ids needs --shards (or DISCORD_SHARDS) set to a number")
        if any(not 0 <= i < count for i in ids):
            raise ConfigError(f"--shard-ids must be between 0 and {count - 1}")
    return dataclasses.replace(
        settings,
        discord_shards=count,
        discord_shard_ids=ids if ids is not None else settings.discord_shard_ids,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        if getattr(args, "db", None):
            settings = dataclasses.replace(settings, db_path=args.db)
        _configure_logging(settings, quiet=args.mode == "shell")
        if args.mode == "shell":
            return runtime.run(until_signalled(_shell(settings, args)), settings.event_loop)
        if args.mode == "web":
            return runtime.run(until_signalled(_web(settings, args)), settings.event_loop)
        if args.mode == "worker":
            from bot.worker import run_worker

            return runtime.run(until_signalled(run_worker(settings)), settings.event_loop)
        if args.mode == "slack" and args.http and settings.slack_oauth:
            settings.require("slack_signing_secret")  # installs by OAuth: no bot token
        elif args.mode == "slack":
            settings.require(
                "slack_bot_token", "slack_signing_secret" if args.http else "slack_app_token"
            )
        elif args.mode == "discord":
            settings = with_shards(settings, args)
            settings.require("discord_token")
        elif args.mode == "serve" and not (
            settings.slack_bot_token or settings.slack_oauth or settings.discord_token
        ):
            raise ConfigError(
                "Missing setting: SLACK_BOT_TOKEN or DISCORD_TOKEN; "
                "serve needs at least one platform."
            )
        return runtime.run(until_signalled(_serve(settings, args)), settings.event_loop)
    except WritersroomError as exc:
        print(f"writersroom: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


async def until_signalled(main: Coroutine[Any, Any, int]) -> int:
    """Run ``main`` until it ends or SIGTERM arrives; a SIGTERM cancels it, so open_app's
    exit lets running jobs finish within the grace and parks the rest (bot/jobs.py).

    Returns main's exit status, or 0 after a SIGTERM (a stop that was asked for)."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(main)
    stopped = False

    def stop() -> None:
        nonlocal stopped
        stopped = True
        logging.getLogger(__name__).warning("SIGTERM: finishing or parking running jobs")
        task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, stop)
    except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows, non-main thread
        return await task
    try:
        return await task
    except asyncio.CancelledError:
        if not stopped:
            raise
        return 0
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


QUIET_LIBRARIES = ("httpx2", "httpx", "urllib3", "slack_sdk", "slack_bolt", "diffusers")
"""Libraries that log request URLs (with whatever userinfo or token they carry) or bodies at
INFO or DEBUG: only their warnings and errors are worth a line, at any LOG_LEVEL.
discord.py's gateway lines (connected, resumed, shard ids) carry no secret and stay."""


def _configure_logging(settings: Settings, *, quiet: bool) -> None:
    """One handler on stderr, behind the filter that scrubs secrets from every line
    (bot/log_redact.py), and the chatty libraries held to warnings."""
    level = getattr(logging, settings.log_level)
    if quiet and level < logging.WARNING:
        level = logging.WARNING if settings.log_level == "INFO" else level
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    logging.basicConfig(level=level, handlers=[handler])
    for name in QUIET_LIBRARIES:
        # Never below the bot's own level: a library's record that passes its own logger
        # reaches the root's handler whatever the root's level says.
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


async def _shell(settings: Settings, args: argparse.Namespace) -> int:
    from bot.adapters.terminal import Terminal
    from bot.app import open_app

    seeds = None
    if args.seed is not None:
        counter = iter(range(args.seed, args.seed + 10**9))
        seeds = lambda: next(counter)  # noqa: E731
    async with open_app(settings, seeds=seeds) as app:
        return await Terminal(app, channel=args.channel, user=args.user).run()


async def _web(settings: Settings, args: argparse.Namespace) -> int:
    from bot.adapters.web import serve_web
    from bot.app import open_app

    async with open_app(settings) as app:
        await serve_web(app, host=args.host, port=args.port)
    return 0


async def _serve(settings: Settings, args: argparse.Namespace) -> int:
    """Run the chosen platform(s) on one App until interrupted."""
    from bot.app import open_app

    async with open_app(settings) as app:
        runners = []
        if args.mode in ("slack", "serve") and (settings.slack_bot_token or settings.slack_oauth):
            from bot.adapters.slack import run_slack

            http = bool(getattr(args, "http", False)) or (
                args.mode == "serve" and not settings.slack_app_token
            )
            if args.mode == "serve":
                settings.require("slack_signing_secret" if http else "slack_app_token")
            runners.append(run_slack(app, http=http, port=getattr(args, "port", 3000)))
        if args.mode in ("discord", "serve") and settings.discord_token:
            from bot.adapters.discord import run_discord

            runners.append(
                run_discord(
                    app, sync=bool(getattr(args, "sync", False)), guild=getattr(args, "guild", None)
                )
            )
        await asyncio.gather(*runners)
    return 0
