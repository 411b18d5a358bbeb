"""Reading a Discord channel's messages for summaries: one thread, or a channel over a period.

- ``read_thread``: a thread's (or a DM's) messages, oldest first, every page.
- ``read_channel``: the channel's messages since the period's start (newest first, page by
  page until the period or the cap is reached), then its public threads: the active ones
  (the guild's active threads of this channel, and those discord.py has cached) and the
  archived ones archived since the period's start, each read from the period's start.
  Private threads are never read for a recap: only their members see them, and a recap
  is read by whoever reads the channel (or by the one who asked, who may not be one). A
  thread started earlier counts when it has messages in the period (it is then named by its
  thread name); a channel message that started a thread is that thread's first message;
  every other channel message comes back in one ``loose`` group. At most ``limit`` messages
  in all, the newest kept.

The bot's own messages and Discord's system messages (thread created, pins, joins) are left
out (a recap never summarizes the digests before it). A missing permission (discord.Forbidden)
becomes a ``CommandError`` naming the permission to grant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime

import discord

from core.errors import CommandError
from core.types import ChatMessage, HistoryThread

CHAT_TYPES = (discord.MessageType.default, discord.MessageType.reply)
"""What people write; Discord's system messages are left out of recaps."""
NO_HISTORY = (
    "I can't read this channel's messages: I need the **Read Message History** permission "
    "(and View Channel) here, for the channel and its threads. Ask a server admin to grant "
    "it, then try again."
)
GONE = "I can't find this channel any more: it may have been deleted."


def link(guild_id: int | None, channel_id: int, message_id: int | None = None) -> str:
    """A message's (or, without ``message_id``, a channel's or thread's) address."""
    base = f"https://discord.com/channels/{guild_id or '@me'}/{channel_id}"
    return base if message_id is None else f"{base}/{message_id}"


def chat_message(m: discord.Message, guild_id: int | None) -> ChatMessage:
    return ChatMessage(
        author=m.author.display_name,
        author_id=str(m.author.id),
        ts=f"{m.created_at.timestamp():.3f}",
        text=m.content,
        link=link(guild_id, m.channel.id, m.id),
    )


async def read_thread(
    client: discord.Client, thread_id: int, guild_id: int | None, limit: int = 10_000
) -> list[ChatMessage]:
    """Every message of a thread (or DM), oldest first, all pages up to ``limit``."""
    channel = client.get_partial_messageable(thread_id, guild_id=guild_id)
    return [
        chat_message(m, guild_id)
        async for m in _refused(channel.history(limit=limit, oldest_first=True))
    ]


async def read_channel(
    client: discord.Client,
    channel_id: int,
    guild_id: int | None,
    since: datetime,
    limit: int = 5_000,
) -> list[HistoryThread]:
    """The channel's threads and loose messages from ``since`` on (at most ``limit``
    messages, the newest kept)."""
    channel = await _channel(client, channel_id, guild_id)
    me = client.user.id if client.user is not None else None
    top = [m for m in await _since(channel, since, limit) if _theirs(m, me)]
    threads = await _threads(client, channel, since) if guild_id is not None else []
    starters = {m.id: m for m in top if m.id in {t.id for t in threads}}
    groups: list[tuple[discord.Thread | None, list[discord.Message]]] = []
    for thread in threads:
        head = [starters[thread.id]] if thread.id in starters else []
        said: list[discord.Message] = []
        quiet = thread.last_message_id is not None and _older(thread.last_message_id, since)
        if not quiet:  # something may have been said in it since the period began
            said = [m for m in await _since(thread, since, limit) if _theirs(m, me)]
        if said or head:
            groups.append((thread, head + said))
    loose = [m for m in top if m.id not in starters]
    if loose:
        groups.append((None, loose))
    kept = _newest((m for _, ms in groups for m in ms), limit)
    out = []
    for group, messages in groups:
        shown = tuple(chat_message(m, guild_id) for m in messages if m.id in kept)
        if not shown:
            continue
        if group is None:
            out.append(HistoryThread(shown, loose=True))
            continue
        started = group.created_at or discord.utils.snowflake_time(group.id)
        title = group.name if started < since else None
        out.append(HistoryThread(shown, title=title, link=link(guild_id, group.id)))
    return out


# --- reading ---------------------------------------------------------------------------


async def _channel(
    client: discord.Client, channel_id: int, guild_id: int | None
) -> discord.abc.Messageable:
    found = client.get_channel(channel_id)
    if isinstance(found, discord.abc.Messageable):
        return found
    if guild_id is None:  # a DM: read it by id
        return client.get_partial_messageable(channel_id)
    try:
        fetched = await client.fetch_channel(channel_id)
    except discord.Forbidden:
        raise CommandError(NO_HISTORY) from None
    except discord.NotFound:
        raise CommandError(GONE) from None
    if not isinstance(fetched, discord.abc.Messageable):
        raise CommandError("I can only recap a channel people write messages in.")
    return fetched


async def _since(
    where: discord.abc.Messageable, since: datetime, limit: int
) -> list[discord.Message]:
    """Messages from ``since`` on, oldest first: read newest first, so the newest are the
    ones kept when there are more than ``limit``."""
    found = [m async for m in _refused(where.history(limit=limit, after=since, oldest_first=False))]
    return found[::-1]


async def _threads(
    client: discord.Client, channel: discord.abc.Messageable, since: datetime
) -> list[discord.Thread]:
    """The channel's public threads that may hold messages since ``since``: active ones,
    and archived ones archived since then (Discord lists them newest archived first).
    Private ones are left out, those the bot was added to or can see by its permissions
    included: a recap would show their words to people who are not in them."""
    if not isinstance(channel, discord.TextChannel):
        return []
    found = {t.id: t for t in channel.threads if not t.is_private()}
    try:
        for thread in await channel.guild.active_threads():
            if thread.parent_id == channel.id and not thread.is_private():
                found[thread.id] = thread
        async for thread in channel.archived_threads(limit=None):
            archived = thread.archive_timestamp
            if archived < since:
                break  # every later one was archived even earlier
            found.setdefault(thread.id, thread)
    except discord.Forbidden:
        raise CommandError(NO_HISTORY) from None
    return sorted(found.values(), key=lambda t: t.id)


async def _refused(pages: AsyncIterator[discord.Message]) -> AsyncIterator[discord.Message]:
    """The messages of a history read; Discord's refusal said as the permission it needs."""
    try:
        async for message in pages:
            yield message
    except discord.Forbidden:
        raise CommandError(NO_HISTORY) from None
    except discord.NotFound:
        raise CommandError(GONE) from None


def _theirs(m: discord.Message, me: int | None) -> bool:
    """A message people wrote (not the bot's own, not a system message)."""
    return m.author.id != me and m.type in CHAT_TYPES


def _older(message_id: int, since: datetime) -> bool:
    return discord.utils.snowflake_time(message_id) < since


def _newest(messages: Iterable[discord.Message], limit: int) -> set[int]:
    """The ids of the newest ``limit`` messages."""
    return {m.id for m in sorted(messages, key=lambda m: m.id, reverse=True)[:limit]}
