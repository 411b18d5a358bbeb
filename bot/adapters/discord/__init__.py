"""The Discord adapter: slash commands generated from the registry, replies that stream
into threads, persistent buttons, and nothing that can ping.

Modules, in the order a request meets them: ``client`` (intents, lifecycle, run),
``tree`` (the command tree made from the registry), ``router`` (events -> dispatcher),
``translate`` (Discord objects -> Place/Author), ``responder`` and ``throttle`` (how
replies are posted and edited), ``render``/``screenplay`` (Reply -> messages within
Discord's limits, cut by bot/adapters/split.py), ``outbox`` (the only code that calls
Discord), ``buttons``; ``menus`` (message context menus), ``history`` (reading a thread
or a channel for summaries).
See docs/discord.md.
"""

from bot.adapters.discord.client import (
    ShardedWritersroomClient,
    WritersroomClient,
    build_client,
    run_discord,
)

__all__ = ["ShardedWritersroomClient", "WritersroomClient", "build_client", "run_discord"]
