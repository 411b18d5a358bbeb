"""Discord's JSON for tests: the payloads it sends a bot, and the limits it holds a bot's to.

Builders make the raw objects a bot receives (users, text, thread and DM channels) with
real-looking snowflakes; ``check_message`` refuses a message payload the way Discord's API
does (400 Invalid Form Body), and ``discord_error`` makes the exception discord.py raises
for an error answer.
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


# --- Discord's limits, as its API enforces them ------------------------------------------


def check_message(p: dict[str, Any]) -> None:
    """Refuse what Discord refuses (400 Invalid Form Body)."""
    problems = []
    if len(p.get("content") or "") > 2000:
        problems.append("content longer than 2000")
    embeds = p.get("embeds") or []
    if len(embeds) > 10:
        problems.append("more than 10 embeds")
    total = 0
    for e in embeds:
        title, desc = e.get("title", ""), e.get("description", "")
        fields = e.get("fields", [])
        footer = (e.get("footer") or {}).get("text", "")
        if len(title) > 256 or len(desc) > 4096 or len(fields) > 25 or len(footer) > 2048:
            problems.append("embed over a limit")
        for f in fields:
            if not f["name"] or not f["value"] or len(f["name"]) > 256 or len(f["value"]) > 1024:
                problems.append("bad embed field")
        total += len(title) + len(desc) + len(footer)
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    if total > 6000:
        problems.append("embeds over 6000 characters")
    rows = p.get("components") or []
    if len(rows) > 5 or any(len(r.get("components", [])) > 5 for r in rows):
        problems.append("too many components")
    for row in rows:
        for c in row.get("components", []):
            if len(c.get("custom_id", "")) > 100 or len(c.get("label", "")) > 80:
                problems.append("component over a limit")
    if problems:
        raise discord_error(400, 50035, "Invalid Form Body: " + "; ".join(problems))


def check_modal(data: dict[str, Any]) -> None:
    """Refuse a modal Discord refuses: a title over 45 characters, more than five inputs,
    an id over 100, a label over 45, a value longer than its input allows."""
    problems = []
    if not 1 <= len(data.get("title") or "") <= 45:
        problems.append("title")
    if not 1 <= len(data.get("custom_id") or "") <= 100:
        problems.append("custom_id")
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems.append("between 1 and 5 components")
    for row in rows:
        inputs = row.get("components") or [row.get("component")]
        for c in inputs:
            if c["type"] != 4 or not 1 <= len(c.get("label") or "") <= 45:
                problems.append("input label")
            if not 1 <= len(c.get("custom_id") or "") <= 100:
                problems.append("input custom_id")
            if len(c.get("value") or "") > min(int(c.get("max_length") or 4000), 4000):
                problems.append("input value")
            if len(c.get("placeholder") or "") > 100:
                problems.append("placeholder")
    if problems:
        raise discord_error(400, 50035, "Invalid Form Body: " + "; ".join(problems))
