"""Forum channels (type 15): each post is a working thread of the forum's story.

What the bot does in a forum, and why it is this little:

- **In a post, everything stays in the post.** A post is a thread whose parent is the
  forum, so a command, a button or a follow-up in it is keyed like a thread of a text
  channel: the story is the forum's (the parent's), the reply goes to the post, and a
  draft that would open a thread from a text channel's message does not open another
  one (translate.interaction_where and router._message_where see a ``discord.Thread``;
  nothing here is needed for that).
- **Only a post can start a thread in a forum.** A forum holds no messages of its own
  (Discord refuses them) and no command can be typed at its top level. So wherever a
  reply must start at a forum's top level (a responder whose ``Where`` is the forum
  itself, as a conversation stored without a thread is answered after a restart), its
  first message starts a new post instead (``ForumChannel.create_thread``), named like a
  result thread, and the responder carries on inside that post. The post's id is its
  first message's id, so the conversation is keyed exactly as a text channel's thread
  started from the bot's message.
- **Tags, never made.** The post gets the forum's tag named after what the reply is
  (synopsis, character, scene, summary; see ``TOPICS``), matched case-insensitively;
  none when the forum has no such tag. The bot never creates tags (that takes Manage
  Channels and is the server's choice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.adapters.discord import outbox
from bot.adapters.discord.outbox import Sent
from bot.adapters.discord.render import Page

if TYPE_CHECKING:  # responder.py sends through this module
    from bot.adapters.discord.responder import Where

TOPICS = {
    "synopsis": "synopsis",
    "character": "character",
    "portrait": "character",
    "dialogue": "scene",
    "draft": "scene",
    "scene": "scene",
    "summarize": "summary",
}
"""Command -> the forum tag its results are filed under."""


def forum_of(client: discord.Client, channel_id: int) -> discord.ForumChannel | None:
    channel = client.get_channel(channel_id)
    return channel if isinstance(channel, discord.ForumChannel) else None


def tags_for(forum: discord.ForumChannel, command: str | None) -> list[discord.ForumTag]:
    """The forum's tag for ``command``'s results (case-insensitive), or none."""
    topic = TOPICS.get(command or "")
    if topic is None:
        return []
    return [t for t in forum.available_tags if t.name.casefold() == topic][:1]


def page_name(page: Page) -> str:
    """A post's name: the first embed's title, else the first line of the text."""
    for embed in page.embeds:
        if embed.title:
            return embed.title
    return (page.content or "").strip().split("\n", 1)[0] or "writersroom"


async def send(client: discord.Client, where: Where, page: Page) -> Sent:
    """Send ``page`` where ``where`` says; at a forum's top level, as a new post, which
    then becomes where the responder's next messages go."""
    forum = forum_of(client, where.channel_id) if where.reply_to is None else None
    if forum is None:
        return await outbox.channel_send(
            client, where.channel_id, page, guild_id=where.guild_id, reply_to=where.reply_to
        )
    sent = await outbox.forum_post(forum, page, page_name(page), tags_for(forum, where.topic))
    where.remember[sent.channel_id] = forum.id
    where.channel_id = sent.channel_id
    return sent
