"""Where discord.py sends its requests: Discord, or a REST proxy (DISCORD_API_URL).

Large bots put a REST proxy in front of Discord (one rate-limit view for every process);
tests put a fake there. discord.py keeps the REST base and the default gateway as class
attributes, so the setting is applied once per process, here, before the client starts.
With an API URL set, the gateway is the one that API's GET /gateway/bot names.
"""

from __future__ import annotations

import discord
import discord.gateway
import discord.http
import yarl


def use_api(url: str) -> None:
    """Send every REST call (bot routes and interaction webhooks) to ``url``."""
    discord.http.Route.BASE = url.rstrip("/")


def use_gateway(url: str) -> None:
    """Connect shards to ``url`` instead of Discord's default gateway."""
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
