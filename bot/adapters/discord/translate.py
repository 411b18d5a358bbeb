"""From Discord objects to the core's words: where a request came from and who made it.

A thread belongs to its parent channel's story (``Place.thread`` is the thread's id); a DM
has a story of its own (workspace "dm", channel = the DM channel's id). ``Author.manager``
is Discord's Manage Channels permission in that channel; in a DM the writer is its owner.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Generic, TypeVar

import discord

from bot.adapters.discord.responder import Where
from core.types import Author, Capabilities, Place

PLATFORM = "discord"
DM = "dm"

K = TypeVar("K")
V = TypeVar("V")


class Bounded(OrderedDict[K, V], Generic[K, V]):
    """A dict that forgets its oldest entries past ``size`` (caches of ids)."""

    def __init__(self, size: int = 10_000) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


def capabilities(where: Where) -> Capabilities:
    return Capabilities(
        upload_files=True,
        edit_messages=True,
        make_threads=where.can_thread,
        max_message_chars=2000,
        buttons=True,
    )


def guild_place(guild_id: int, channel_id: int, thread_id: int | None = None) -> Place:
    return Place(
        PLATFORM, str(guild_id), str(channel_id), str(thread_id) if thread_id is not None else None
    )


def dm_place(channel_id: int, thread: str | None = None) -> Place:
    return Place(PLATFORM, DM, str(channel_id), thread)


def stored_where(place: Place) -> Where | None:
    """Where to answer a conversation known only from the database (after a restart):
    its thread when it has one, else a reply to its head message; None if not Discord's."""
    if place.platform != PLATFORM:
        return None
    try:
        channel = int(place.channel)
        key = int(place.thread) if place.thread else None
        if place.workspace == DM:
            return Where(place, None, channel, reply_to=key)
        guild = int(place.workspace)
    except ValueError:
        return None
    if key is None:
        return Where(place, guild, channel)
    return Where(place, guild, key, fallback=(channel, key))


def interaction_where(interaction: discord.Interaction, remember: dict[int, int]) -> Where:
    """Where a slash command was typed: a channel, a thread of one, or a DM."""
    channel = interaction.channel
    channel_id = channel.id if channel is not None else 0
    guild_id = interaction.guild_id
    if guild_id is None:
        return Where(dm_place(channel_id), None, channel_id, remember=remember)
    if isinstance(channel, discord.Thread):
        return Where(
            guild_place(guild_id, channel.parent_id, channel.id),
            guild_id,
            channel.id,
            history_thread=channel.id,
            remember=remember,
        )
    return Where(
        guild_place(guild_id, channel_id),
        guild_id,
        channel_id,
        can_thread=isinstance(channel, discord.TextChannel),
        remember=remember,
    )


def button_where(interaction: discord.Interaction, remember: dict[int, int]) -> Where:
    """A button's reply goes to its message's conversation: the thread started from the
    message (same id), or replies to the message where no thread could be made."""
    message = interaction.message
    base = interaction_where(interaction, remember)
    if message is None or base.place.thread is not None:
        return base
    key = message.id
    if base.guild_id is None:
        return Where(
            dm_place(base.channel_id, str(key)),
            None,
            base.channel_id,
            reply_to=key,
            remember=remember,
        )
    parent = base.channel_id
    known_thread = remember.get(key) == parent
    return Where(
        guild_place(base.guild_id, parent, key),
        base.guild_id,
        key,
        fallback=None if known_thread else (parent, key),
        remember=remember,
    )


def interaction_author(interaction: discord.Interaction) -> Author:
    user = interaction.user
    manager = interaction.guild_id is None or interaction.permissions.manage_channels
    return Author(id=str(user.id), name=user.display_name, manager=manager)


def message_author(message: discord.Message) -> Author:
    author = message.author
    guild_id = guild_of(message)
    if guild_id is None:
        manager = True
    else:
        manager = False
        channel = message.channel
        if isinstance(author, discord.Member) and isinstance(
            channel, discord.abc.GuildChannel | discord.Thread
        ):
            try:
                manager = channel.permissions_for(author).manage_channels
            except (AttributeError, KeyError):  # a guild not fully cached: no extra rights
                manager = False
    return Author(id=str(author.id), name=author.display_name, manager=manager)


def guild_of(message: discord.Message) -> int | None:
    if message.guild is not None:
        return message.guild.id
    return getattr(message.channel, "guild_id", None)


def mentions(message: discord.Message, me: discord.ClientUser) -> bool:
    """Whether the message names the bot itself (not @everyone, not a reply's ping)."""
    if me.id in message.raw_mentions:
        return True
    guild = message.guild
    role = guild.self_role if guild is not None else None
    return role is not None and role.id in message.raw_role_mentions


def strip_mentions(text: str, me: discord.ClientUser, role_id: int | None = None) -> str:
    pattern = rf"<@!?{me.id}>" + (rf"|<@&{role_id}>" if role_id else "")
    return re.sub(pattern, " ", text).strip()
