"""The Discord client: intents, no mentions by default, the tree, buttons, and running it.

``build_client`` makes a ready client on an ``App`` (tests drive it without logging in);
``run_discord`` logs in and runs until stopped. With DISCORD_SHARDS set the same bot runs
on ``AutoShardedClient``, which Discord recommends past about 1,000 servers.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.adapters.discord import endpoints
from bot.adapters.discord.buttons import ActionButton
from bot.adapters.discord.feedback import FeedbackButton
from bot.adapters.discord.menus import DeliveryButton
from bot.adapters.discord.modals import FormButton
from bot.adapters.discord.outbox import NO_MENTIONS
from bot.adapters.discord.responder import DiscordResponder
from bot.adapters.discord.router import Router
from bot.adapters.discord.shards import IdentifyGate
from bot.adapters.discord.translate import PLATFORM, stored_where
from bot.adapters.discord.tree import WritersroomTree, build_tree, sync_tree
from bot.app import App
from bot.runtime import settle_heap
from bot.settings import Settings
from core.errors import ConfigError
from core.types import Place, Responder

log = logging.getLogger(__name__)


def intents(message_content: bool) -> discord.Intents:
    """Only what the bot reads: servers and channels, messages, DMs.

    ``message_content`` is privileged (enable it in the Developer Portal): with it, plain
    messages in the bot's threads are follow-ups; without it, follow-ups mention the bot.
    """
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    wanted.message_content = message_content
    return wanted


class WritersroomClient(discord.Client):
    """A Discord client that answers through the app's dispatcher."""

    def __init__(
        self,
        app: App,
        *,
        message_content: bool = False,
        sync: bool = False,
        guild: int | None = None,
        **options: Any,
    ) -> None:
        if app.settings.discord_api_url:  # a REST proxy (or a test's fake Discord)
            endpoints.use_api(app.settings.discord_api_url)
        super().__init__(intents=intents(message_content), allowed_mentions=NO_MENTIONS, **options)
        self.app = app
        self.router = Router(self, app)
        self.tree: WritersroomTree = build_tree(self, app.registry, self.router)
        self._sync = sync
        self._sync_guild = guild
        self._resumed = False

    async def setup_hook(self) -> None:
        # Buttons from any earlier run are answered from their custom ids alone.
        self.add_dynamic_items(ActionButton, FormButton, DeliveryButton, FeedbackButton)
        if self._sync:
            await sync_tree(self.tree, self._sync_guild)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d servers", self.user, len(self.guilds))
        if not self._resumed:  # on_ready comes again after each reconnect
            self._resumed = True
            await self.resume_jobs()

    async def resume_jobs(self) -> None:
        """After a restart: run Discord's queued jobs, report cut-off ones with Retry."""

        def responder_for(place: Place, answer: Place) -> Responder | None:
            where = stored_where(answer)  # the same place: Discord answers where it works
            return None if where is None else DiscordResponder(self, where, self.router.tasks)

        await self.app.resume(PLATFORM, responder_for)

    async def on_message(self, message: discord.Message) -> None:
        await self.router.on_message(message)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self.router.forms.on_interaction(interaction)  # modal submissions

    async def close(self) -> None:
        await self.router.aclose()
        await super().close()


class ShardedWritersroomClient(WritersroomClient, discord.AutoShardedClient):
    """The same bot over several gateway shards (``shard_count``/``shard_ids`` options).

    Its IDENTIFYs wait their turn in the database (bot/adapters/discord/shards.py), so
    processes running other shards of the same bot keep Discord's spacing with it."""

    def __init__(self, app: App, **options: Any) -> None:
        super().__init__(app, **options)
        self.identify_gate = IdentifyGate(app.store)

    async def launch_shards(self) -> None:
        if not self.is_closed():  # the bucket size (and the gateway), from GET /gateway/bot
            _count, gateway, limits = await self.http.get_bot_gateway()
            self.identify_gate.max_concurrency = int(limits["max_concurrency"])
            if self.app.settings.discord_api_url:
                endpoints.use_gateway(gateway)
        await super().launch_shards()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        waited = await self.identify_gate.wait(shard_id or 0)
        log.info("shard %s identifies (waited %.1f s for its turn)", shard_id, waited)


def build_client(
    app: App,
    *,
    sharded: bool = False,
    shard_count: int | None = None,
    shard_ids: list[int] | None = None,
    message_content: bool = False,
    sync: bool = False,
    guild: int | None = None,
) -> WritersroomClient:
    """A client for ``app``; nothing connects until it is started."""
    if sharded:
        return ShardedWritersroomClient(
            app,
            message_content=message_content,
            sync=sync,
            guild=guild,
            shard_count=shard_count,
            shard_ids=shard_ids,
        )
    if shard_count is not None or shard_ids is not None:
        raise ValueError("shard_count and shard_ids need sharded=True")
    return WritersroomClient(app, message_content=message_content, sync=sync, guild=guild)


def shard_options(settings: Settings) -> dict[str, Any]:
    """``build_client`` options from DISCORD_SHARDS / DISCORD_SHARD_IDS."""
    shards = settings.discord_shards
    if shards is None:
        return {"sharded": False}
    return {
        "sharded": True,
        "shard_count": None if shards == "auto" else shards,
        "shard_ids": list(settings.discord_shard_ids) if settings.discord_shard_ids else None,
    }


async def run_discord(
    app: App,
    *,
    sync: bool,
    guild: int | None,
    message_content: bool | None = None,
) -> None:
    """Log in with DISCORD_TOKEN and answer until the process stops.

    ``sync`` registers the command tree with Discord (to ``guild`` only when given).
    Sharding follows the settings (DISCORD_SHARDS, DISCORD_SHARD_IDS).
    ``message_content=None`` asks for the message-content intent and carries on without
    it (follow-ups by mention) if the application is not allowed it.
    """
    token = app.settings.discord_token
    if not token:
        raise ConfigError("Missing setting: DISCORD_TOKEN. Set it in the environment or in .env.")
    want_content = message_content is not False
    while True:
        client = build_client(
            app, message_content=want_content, sync=sync, guild=guild, **shard_options(app.settings)
        )
        try:
            async with client:
                settle_heap()
                await client.start(token)
            return
        except discord.PrivilegedIntentsRequired:
            if message_content is not None:
                raise ConfigError(
                    "Discord refused the message-content intent: enable it for this "
                    "application in the Developer Portal (Bot > Privileged Gateway Intents)."
                ) from None
            log.warning(
                "message-content intent not enabled for this application; "
                "follow-ups in threads will need a mention of the bot"
            )
            want_content = False
        except discord.LoginFailure as exc:
            raise ConfigError(f"Discord refused DISCORD_TOKEN: {exc}") from None
