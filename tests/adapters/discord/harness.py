"""Drive a real, never-logged-in discord.py client with raw gateway payloads.

Interactions and messages enter the way Discord's gateway delivers them
(``ConnectionState.parse_interaction_create`` / ``parse_message_create``), run through the
real CommandTree, DynamicItem dispatch and the bot's router, and leave through the fake's
HTTP boundary, where tests read them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import discord

from bot.adapters.discord import WritersroomClient, build_client
from bot.app import App
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.payloads import (
    APP_ID,
    BOT,
    GUILD,
    MANAGE_CHANNELS,
    OTHER_GUILD,
    USUAL,
    dm_channel,
    forum_channel,
    iso,
    message_payload,
    snowflake,
    text_channel,
    thread_channel,
    user,
)

ALICE = user("Alice")
BOB = user("Bob")
GENERAL = text_channel(snowflake(), name="writers-room")
OTHER = text_channel(snowflake(), name="other-room")
FAR = text_channel(snowflake(), guild=OTHER_GUILD, name="far-room")
FORUM = forum_channel(snowflake(), tags=("Synopsis", "CHARACTER", "scene", "lore"))


def guild_payload(gid: int, channels: list[dict[str, Any]]) -> dict[str, Any]:
    everyone = {
        "id": str(gid),
        "name": "@everyone",
        "permissions": str(USUAL),
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    return {
        "id": str(gid),
        "name": f"guild {gid}",
        "owner_id": "1",
        "roles": [everyone],
        "channels": [c for c in channels if c["guild_id"] == str(gid)],
        "threads": [],
        "members": [],
        "member_count": 3,
        "features": [],
        "emojis": [],
        "stickers": [],
        "unavailable": False,
        "large": False,
        "icon": None,
        "splash": None,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "banner": None,
        "description": None,
        "public_updates_channel_id": None,
        "premium_subscription_count": 0,
        "max_video_channel_users": 25,
        "application_id": None,
        "joined_at": iso(),
    }


def interaction_payload(
    kind: int,
    data: dict[str, Any],
    *,
    who: dict[str, Any] = ALICE,
    channel: dict[str, Any] = GENERAL,
    manager: bool = False,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An INTERACTION_CREATE as the gateway sends it (2: a command, 3: a button press,
    5: a modal's submission)."""
    iid = snowflake()
    payload: dict[str, Any] = {
        "id": str(iid),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"token-{iid}",
        "version": 1,
        "data": data,
        "channel": channel,
        "channel_id": channel["id"],
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
        "app_permissions": str(USUAL),
    }
    if "guild_id" in channel:
        payload.update(guild_id=channel["guild_id"], guild_locale="en-US", context=0)
        payload["member"] = {
            "user": who,
            "roles": [],
            "joined_at": iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "permissions": str(USUAL | (MANAGE_CHANNELS if manager else 0)),
        }
    else:
        payload.update(user=who, context=1)
    if message is not None:
        payload["message"] = message
    return payload


class Harness:
    def __init__(self, app: App, client: WritersroomClient, fake: FakeDiscord) -> None:
        self.app = app
        self.client = client
        self.fake = fake
        self.state = client._connection

    # --- interactions ------------------------------------------------------------------

    def interaction(self, kind: int, data: dict[str, Any], **options: Any) -> dict[str, Any]:
        """``interaction_payload(kind, data, **options)``, known to this fake Discord."""
        payload = interaction_payload(kind, data, **options)
        self.fake.interactions[payload["token"]] = payload
        return payload

    @staticmethod
    def command_data(
        name: str, sub: str | None, options: dict[str, Any], focused: str | None = None
    ) -> dict[str, Any]:
        opts: list[dict[str, Any]] = [
            {"type": 4 if isinstance(v, int) else 3, "name": k, "value": v}
            | ({"focused": True} if k == focused else {})
            for k, v in options.items()
        ]
        if sub is not None:
            opts = [{"type": 1, "name": sub, "options": opts}]
        return {"id": str(snowflake()), "name": name, "type": 1, "options": opts}

    async def deliver(self, payload: dict[str, Any]) -> dict[str, Any]:
        """An INTERACTION_CREATE from the gateway; returns once the bot has answered (or
        Discord has refused its answer) and every job it started is done."""
        self.fake.activate()
        token = payload["token"]
        self.state.parse_interaction_create(payload)  # type: ignore[arg-type]
        await self.fake.wait_for(
            lambda calls: (
                token in self.fake.responded or any(c.refused and token in c.path for c in calls)
            )
        )
        await self.client.router.idle()
        return payload

    async def command(
        self,
        path: str,
        /,
        *,
        who: dict[str, Any] = ALICE,
        channel: dict[str, Any] = GENERAL,
        manager: bool = False,
        **options: Any,
    ) -> dict[str, Any]:
        """A slash command as typed: ``await h.command("character new", name="Mara")``."""
        name, _, sub = path.partition(" ")
        data = self.command_data(name, sub or None, options)
        return await self.deliver(
            self.interaction(2, data, who=who, channel=channel, manager=manager)
        )

    async def autocomplete(
        self, path: str, focused: str, /, *, channel: dict[str, Any] = GENERAL, **options: Any
    ) -> list[str]:
        name, _, sub = path.partition(" ")
        data = self.command_data(name, sub or None, options, focused=focused)
        payload = await self.deliver(self.interaction(4, data, channel=channel))
        call = self.calls_for(payload)[0]
        assert call.payload is not None and call.payload["type"] == 8
        assert not call.refused, "Discord refused the choices"
        return [c["value"] for c in call.payload["data"]["choices"]]

    async def press(
        self,
        message: dict[str, Any],
        custom_id: str,
        *,
        who: dict[str, Any] = ALICE,
        manager: bool = False,
    ) -> dict[str, Any]:
        channel = self.fake.channels[int(message["channel_id"])]
        data = {"custom_id": custom_id, "component_type": 2}
        return await self.deliver(
            self.interaction(
                3, data, who=who, channel=channel, manager=manager, message=dict(message)
            )
        )

    def modal(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The modal the bot answered ``payload`` with (response type 9)."""
        assert self.fake.responded.get(payload["token"]) == 9, "answered without a modal"
        return self.fake.modals[payload["token"]]

    async def submit(
        self,
        modal: dict[str, Any],
        changes: dict[str, str] | None = None,
        *,
        who: dict[str, Any] = ALICE,
        channel: dict[str, Any] = GENERAL,
    ) -> dict[str, Any]:
        """A MODAL_SUBMIT (type 5) of ``modal`` as the writer leaves it: every input's
        value as filled in, but the labels named in ``changes`` typed over."""
        rows = []
        for row in modal["components"]:
            [c] = row["components"]
            value = (changes or {}).get(c["label"], c.get("value") or "")
            typed = {"type": 4, "custom_id": c["custom_id"], "value": value}
            rows.append({"type": 1, "components": [typed]})
        data = {"custom_id": modal["custom_id"], "components": rows}
        return await self.deliver(self.interaction(5, data, who=who, channel=channel))

    def answer(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The message an interaction was answered with (response type 4)."""
        [call] = [c for c in self.calls_for(payload) if c.path.endswith("/callback")]
        assert call.payload["type"] == 4, call.payload
        data: dict[str, Any] = call.payload["data"]
        return data

    async def menu(
        self,
        name: str,
        message: dict[str, Any],
        *,
        who: dict[str, Any] = ALICE,
        manager: bool = False,
    ) -> dict[str, Any]:
        """A message context menu used on ``message`` (right-click it, Apps > ``name``)."""
        channel = self.fake.channels[int(message["channel_id"])]
        data = {
            "id": str(snowflake()),
            "name": name,
            "type": 3,
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: dict(message)}},
        }
        return await self.deliver(
            self.interaction(2, data, who=who, channel=channel, manager=manager)
        )

    def calls_for(self, payload: dict[str, Any]) -> list[Any]:
        token = payload["token"]
        return [c for c in self.fake.calls if token in c.path]

    # --- messages ----------------------------------------------------------------------

    async def say(
        self,
        text: str,
        *,
        channel: dict[str, Any],
        who: dict[str, Any] = BOB,
        reply_to: int | None = None,
        mention_bot: bool = False,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE from the gateway; returns when the bot is done with it."""
        self.fake.activate()
        content = (f"<@{APP_ID}> " if mention_bot else "") + text
        payload: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": channel["id"],
            "author": who,
            "content": content,
            "timestamp": iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": [BOT] if mention_bot else [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 19 if reply_to else 0,
            "flags": 0,
        }
        if "guild_id" in channel:
            payload["guild_id"] = channel["guild_id"]
            payload["member"] = {
                "roles": [],
                "joined_at": iso(),
                "deaf": False,
                "mute": False,
                "flags": 0,
                "pending": False,
            }
        if reply_to is not None:
            payload["message_reference"] = {
                "message_id": str(reply_to),
                "channel_id": channel["id"],
                "type": 0,
            }
        self.fake.messages[int(payload["id"])] = payload  # in the channel's history, as on Discord
        return await self.deliver_message(payload)

    async def deliver_message(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A MESSAGE_CREATE for ``payload`` (again: a session resumed, or a second session
        of the same shard); returns when the bot is done with it."""
        self.fake.activate()
        self.state.parse_message_create(payload)  # type: ignore[arg-type]
        await self.client.router.idle()
        return payload

    def dm(self, who: dict[str, Any]) -> dict[str, Any]:
        return self.fake.add_channel(dm_channel(int(who["id"]) + 1, who))


def seed(
    bot: Harness, channel: dict[str, Any], who: dict[str, Any], text: str, at: dt.datetime
) -> int:
    """A message posted in ``channel`` at ``at`` (its id is a snowflake of that time)."""
    mid = discord.utils.time_snowflake(at) + len(bot.fake.messages) + 1
    bot.fake.messages[mid] = message_payload(mid, channel, who, text, at.isoformat())
    return mid


def thread_from(
    bot: Harness, starter: int, name: str, *, archived_at: dt.datetime | None = None
) -> dict[str, Any]:
    """A public thread started from the channel message ``starter`` (same id)."""
    thread = thread_channel(starter, int(GENERAL["id"]), name=name)
    thread["owner_id"] = ALICE["id"]
    if archived_at is not None:
        thread["thread_metadata"] |= {
            "archived": True,
            "archive_timestamp": archived_at.isoformat(),
        }
    return bot.fake.add_channel(thread)


def private_thread(
    bot: Harness,
    name: str,
    at: dt.datetime,
    *,
    archived_at: dt.datetime | None = None,
    told: bool = False,
) -> dict[str, Any]:
    """A private thread of GENERAL made at ``at`` (type 12: no starter message, only its
    members see it); ``told``: the gateway told the bot of it (THREAD_CREATE, as when
    someone adds the bot), so discord.py has it cached."""
    thread = thread_from(bot, discord.utils.time_snowflake(at), name, archived_at=archived_at)
    thread["type"] = 12
    if told:
        bot.client._connection.parse_thread_create(thread | {"newly_created": True})  # type: ignore[arg-type]
    return thread


@contextlib.asynccontextmanager
async def running(
    app: App,
    fake: FakeDiscord | None = None,
    *,
    cache_threads: bool = True,
    guilds: tuple[int, ...] = (GUILD, OTHER_GUILD),
    **client_options: Any,
) -> AsyncIterator[Harness]:
    """A client on ``app`` that has "connected": its user, guilds and channels are known
    (as after READY and GUILD_CREATE: ``guilds``, those of its shards) and its setup_hook
    has run, without any network."""
    fake = fake or FakeDiscord()
    for channel in (GENERAL, OTHER, FAR, FORUM):
        fake.add_channel(dict(channel))
    client = build_client(app, **client_options)
    async with client:
        fake.install(client)
        state = client._connection
        state.user = discord.ClientUser(state=state, data=BOT)  # type: ignore[arg-type]
        state.application_id = APP_ID
        for gid in guilds:
            state.parse_guild_create(guild_payload(gid, [GENERAL, OTHER, FAR, FORUM]))
        if cache_threads:  # the gateway tells the bot about threads it creates
            fake.on_thread = lambda data: state.parse_thread_create(data | {"newly_created": True})  # type: ignore[arg-type]
        await client.setup_hook()
        yield Harness(app, client, fake)
