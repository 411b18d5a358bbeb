"""Discord's JSON for tests: the payloads it sends a bot.

Builders make the raw objects a bot receives (users, text, thread, forum and DM channels,
messages) with real-looking snowflakes; ``discord_error`` makes the exception discord.py
raises for an error answer. The limits Discord holds a bot's payloads to are
discord_limits.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from typing import Any

import discord

DISCORD_EPOCH = 1420070400000
APP_ID = 424242424242424242
BOT = {
    "id": str(APP_ID),
    "username": "writersroom",
    "discriminator": "0",
    "global_name": "writersroom",
    "avatar": None,
    "bot": True,
}
GUILD = 111111111111111111
OTHER_GUILD = 222222222222222222
MANAGE_CHANNELS = 1 << 4
USUAL = (1 << 10) | (1 << 11) | (1 << 31)  # view channel, send messages, use app commands

_ids = itertools.count(1)


def snowflake() -> int:
    return ((int(time.time() * 1000) - DISCORD_EPOCH) << 22) | (next(_ids) & 0x3FFFFF)


def iso(ts: float | None = None) -> str:
    return dt.datetime.fromtimestamp(ts or time.time(), tz=dt.UTC).isoformat()


def user(name: str, uid: int | None = None) -> dict[str, Any]:
    return {
        "id": str(uid or snowflake()),
        "username": name.lower(),
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
    }


def text_channel(cid: int, guild: int = GUILD, name: str = "writers-room") -> dict[str, Any]:
    return {
        "id": str(cid),
        "type": 0,
        "guild_id": str(guild),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "rate_limit_per_user": 0,
        "topic": None,
        "last_message_id": None,
        "flags": 0,
    }


def thread_channel(
    tid: int, parent: int, guild: int = GUILD, name: str = "draft"
) -> dict[str, Any]:
    return {
        "id": str(tid),
        "type": 11,
        "guild_id": str(guild),
        "parent_id": str(parent),
        "owner_id": str(APP_ID),
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": iso(),
            "locked": False,
        },
    }


def forum_channel(
    cid: int, tags: tuple[str, ...] = (), guild: int = GUILD, name: str = "story-forum"
) -> dict[str, Any]:
    """A forum (type 15): posts only, with the tags a post may carry."""
    return text_channel(cid, guild, name) | {
        "type": 15,
        "available_tags": [
            {
                "id": str(snowflake()),
                "name": t,
                "moderated": False,
                "emoji_id": None,
                "emoji_name": None,
            }
            for t in tags
        ],
        "default_reaction_emoji": None,
        "default_sort_order": None,
        "default_forum_layout": 0,
        "default_thread_rate_limit_per_user": 0,
    }


def forum_post(
    tid: int, forum: int, guild: int = GUILD, name: str = "act two", tags: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A post of a forum: a public thread whose parent is the forum (and whose id is its
    first message's)."""
    return thread_channel(tid, forum, guild, name) | {"applied_tags": list(tags)}


def message_payload(
    mid: int, channel: dict[str, Any], who: dict[str, Any], text: str, timestamp: str
) -> dict[str, Any]:
    """A plain message of ``who`` in ``channel`` (a MESSAGE_CREATE's, or a history page's)."""
    out: dict[str, Any] = {
        "id": str(mid),
        "channel_id": channel["id"],
        "author": who,
        "content": text,
        "timestamp": timestamp,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }
    if "guild_id" in channel:
        out["guild_id"] = channel["guild_id"]
    return out


def dm_channel(cid: int, recipient: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(cid),
        "type": 1,
        "recipients": [recipient],
        "last_message_id": None,
        "flags": 0,
    }


class _Response:
    """What discord.HTTPException reads from an aiohttp response."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        self.headers: dict[str, str] = {}


def discord_error(status: int, code: int, message: str) -> discord.HTTPException:
    kind = {403: discord.Forbidden, 404: discord.NotFound}.get(status, discord.HTTPException)
    return kind(_Response(status, message), {"code": code, "message": message})  # type: ignore[arg-type]
