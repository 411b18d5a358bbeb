"""The only place that sends, edits and deletes Discord messages.

Every call names ``allowed_mentions=AllowedMentions.none()`` (the client's default is the
same), so no text the bot sends, whoever wrote it, can ping @everyone, @here, a role or
a user. Files are opened just before a call and closed right after it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import discord

from bot.adapters.discord import feedback
from bot.adapters.discord.buttons import action_view
from bot.adapters.discord.render import Page, attachment_name

NO_MENTIONS = discord.AllowedMentions.none()
TOKEN_LIFETIME = dt.timedelta(minutes=14, seconds=30)
"""Interaction tokens last 15 minutes; past this, messages go by the bot's own routes."""
THREAD_NAME_MAX = 100


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the bot sent, and by which route it can be edited."""

    message_id: int
    channel_id: int
    via: Literal["original", "followup", "channel", "nowhere"]
    """"nowhere": a reply for one person that could not reach them (no message to edit)."""
    ephemeral: bool = False


class TokenExpired(discord.HTTPException):
    """An ephemeral message past its interaction's token: the webhook would refuse it
    (401, Invalid Webhook Token) and the bot's own routes cannot see it, so no request
    is made. The refusal Discord would give, so callers handle it as that."""

    def __init__(self) -> None:
        refusal = {"code": 50027, "message": "Invalid Webhook Token"}
        super().__init__(_Refusal(), refusal)  # type: ignore[arg-type]  # reads status, reason


@dataclass(frozen=True, slots=True)
class _Refusal:
    """What HTTPException reads from a response."""

    status: int = 401
    reason: str = "Unauthorized"


@contextlib.contextmanager
def _files(page: Page) -> Iterator[list[discord.File]]:
    files = [
        discord.File(img.path, filename=attachment_name(img), description=img.alt[:1024] or None)
        for img in page.images
    ]
    files += [discord.File(io.BytesIO(f.content), filename=f.filename) for f in page.files]
    try:
        yield files
    finally:
        for f in files:
            f.close()


def _send_kwargs(page: Page, files: list[discord.File]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"embeds": page.embeds, "allowed_mentions": NO_MENTIONS}
    if page.content:
        kwargs["content"] = page.content
    if files:
        kwargs["files"] = files
    view = _view(page)
    if view is not None:
        kwargs["view"] = view
    return kwargs


def _view(page: Page) -> discord.ui.View | None:
    """The page's buttons: its reply's actions, and Good / Not good under a generated one."""
    view = action_view(page.actions)
    if page.feedback is not None:
        view = view or discord.ui.View(timeout=None)
        feedback.add_buttons(view, page.feedback)
    return view


def _edit_kwargs(page: Page, files: list[discord.File]) -> dict[str, Any]:
    return {
        "content": page.content,
        "embeds": page.embeds,
        "attachments": files,
        "view": _view(page),
        "allowed_mentions": NO_MENTIONS,
    }


# --- the bot's own routes (channels, threads, DMs) ------------------------------------


async def channel_send(
    client: discord.Client,
    channel_id: int,
    page: Page,
    *,
    guild_id: int | None = None,
    reply_to: int | None = None,
) -> Sent:
    channel = client.get_partial_messageable(channel_id, guild_id=guild_id)
    with _files(page) as files:
        kwargs = _send_kwargs(page, files)
        if reply_to is not None:
            kwargs["reference"] = discord.MessageReference(
                message_id=reply_to,
                channel_id=channel_id,
                guild_id=guild_id,
                fail_if_not_exists=False,
            )
        message = await channel.send(**kwargs)
    return Sent(message.id, channel_id, "channel")


async def direct_send(client: discord.Client, user_id: int, page: Page) -> Sent:
    """A message to one person, in their direct messages with the bot. Raises
    discord.Forbidden where they take none from it (their privacy settings)."""
    channel = await client.create_dm(discord.Object(id=user_id))
    sent = await channel_send(client, channel.id, page)
    return dataclasses.replace(sent, ephemeral=True)  # only they see it; no thread opens


async def channel_edit(client: discord.Client, sent: Sent, page: Page) -> None:
    message = client.get_partial_messageable(sent.channel_id).get_partial_message(sent.message_id)
    with _files(page) as files:
        await message.edit(**_edit_kwargs(page, files))


async def channel_delete(client: discord.Client, sent: Sent) -> None:
    message = client.get_partial_messageable(sent.channel_id).get_partial_message(sent.message_id)
    await message.delete()


async def forum_post(
    forum: discord.ForumChannel, page: Page, name: str, tags: list[discord.ForumTag]
) -> Sent:
    """A new post in a forum, ``page`` its first message; the post's id is the message's."""
    name = " ".join(name.split())[:THREAD_NAME_MAX] or "writersroom"
    with _files(page) as files:
        kwargs = _send_kwargs(page, files)
        post = await forum.create_thread(
            name=name, auto_archive_duration=1440, applied_tags=tags, **kwargs
        )
    return Sent(post.message.id, post.thread.id, "channel")


async def start_thread(client: discord.Client, sent: Sent, name: str) -> int:
    """A public thread started from a sent message; its id is the message's id."""
    name = " ".join(name.split())[:THREAD_NAME_MAX] or "writersroom"
    data = await client.http.start_thread_with_message(
        sent.channel_id,
        sent.message_id,
        name=name,
        auto_archive_duration=1440,
        rate_limit_per_user=None,
    )
    return int(data["id"])


# --- the interaction's webhook (original response and follow-ups) ----------------------


def token_fresh(interaction: discord.Interaction) -> bool:
    """Whether the interaction's webhook still answers (a job may wait in the queue past
    the token's 15 minutes)."""
    return discord.utils.utcnow() - interaction.created_at < TOKEN_LIFETIME


async def original_edit(interaction: discord.Interaction, page: Page) -> Sent:
    with _files(page) as files:
        message = await interaction.edit_original_response(**_edit_kwargs(page, files))
    return Sent(message.id, message.channel.id, "original", bool(message.flags.ephemeral))


async def followup_send(interaction: discord.Interaction, page: Page, *, ephemeral: bool) -> Sent:
    """A follow-up message; past the token's lifetime, by the bot's own routes: a public
    one in the interaction's channel, an ephemeral one in the person's direct messages
    (only they see either). That raises discord.Forbidden where they take none."""
    if not token_fresh(interaction):
        if ephemeral:
            return await direct_send(interaction.client, interaction.user.id, page)
        channel = interaction.channel_id or 0
        return await channel_send(interaction.client, channel, page, guild_id=interaction.guild_id)
    with _files(page) as files:
        message = await interaction.followup.send(
            wait=True, ephemeral=ephemeral, **_send_kwargs(page, files)
        )
    return Sent(message.id, message.channel.id, "followup", ephemeral)


async def interaction_edit(interaction: discord.Interaction, sent: Sent, page: Page) -> None:
    """Edit through the webhook while the token lives, then through the channel; an
    ephemeral message can then no longer be edited (TokenExpired: send it anew)."""
    if not token_fresh(interaction):
        if sent.ephemeral:
            raise TokenExpired
        await channel_edit(interaction.client, sent, page)
        return
    with _files(page) as files:
        kwargs = _edit_kwargs(page, files)
        if sent.via == "original":
            await interaction.edit_original_response(**kwargs)
        else:
            await interaction.followup.edit_message(sent.message_id, **kwargs)


async def interaction_delete(interaction: discord.Interaction, sent: Sent) -> None:
    """Delete through the webhook while the token lives, then through the channel; an
    ephemeral message is then left (only its reader sees it, and they can dismiss it)."""
    if not token_fresh(interaction):
        if not sent.ephemeral:
            await channel_delete(interaction.client, sent)
    elif sent.via == "original":
        await interaction.delete_original_response()
    else:
        await interaction.followup.delete_message(sent.message_id)
