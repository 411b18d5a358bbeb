"""Message context menus (right-click a message, Apps): Summarize thread, Summarize from
here, Save to bible.

- **Summarize thread** / **Summarize from here**: on a message in a thread, that thread; on
  a channel message that started a thread, its thread. First an ephemeral question with two
  buttons, as Slack's shortcut asks in a modal: "In the thread" (everyone sees the digest)
  or "Only to me" (an ephemeral answer, which replaces the question). The buttons are
  ``DynamicItem``s whose custom id carries the choice, the thread and where to start, so a
  press is answered by any process, after a restart too. "From here" passes the message's
  time as ``/summarize thread``'s internal ``start``: the thread's earlier messages are left
  out (a channel message that started the thread is the thread's start: all of it).
- **Save to bible**: ``/story note`` with the message's text and where it came from; the
  command saves Fountain as a scene, anything else as a note. The answer is ephemeral. A
  message without text (only an attachment, or no message-content intent) saves nothing.

Everything runs through the dispatcher like a slash command (limits, jobs, the access
rules), as the person who used the menu, and nothing sent can ping (``NO_MENTIONS``).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, Literal, cast

import discord
from discord import app_commands

from bot.adapters.discord import outbox
from bot.adapters.discord import translate as tr
from bot.adapters.discord.history import link
from bot.adapters.discord.interaction_responders import ButtonResponder, InteractionResponder
from bot.adapters.discord.outbox import NO_MENTIONS, Sent
from bot.adapters.discord.render import Page
from bot.adapters.discord.responder import Where
from bot.parsing import parse_options
from core.errors import CommandError
from core.types import Invocation

if TYPE_CHECKING:
    from typing import Self

    from bot.adapters.discord.router import Router

log = logging.getLogger(__name__)

Delivery = Literal["thread", "private"]
SUMMARIZE_THREAD = "Summarize thread"
SUMMARIZE_FROM_HERE = "Summarize from here"
SAVE_TO_BIBLE = "Save to bible"
CHOICE_ID = re.compile(
    r"wr-summary:(?P<delivery>thread|private):(?P<thread>\d{1,20}):(?P<start>\d{1,20})"
)
ASK = "Where should the summary go?"
NO_THREAD = (
    "Use **{menu}** on a message in a thread (or on the message a thread was started from): "
    "right-click it, then Apps > {menu}. For the whole channel, use `/summarize channel`."
)
NO_TEXT = "This message has no text to save{why}, so nothing was saved."
THREAD_GONE = "I can't find that thread any more: it may have been deleted."


def context_menus() -> list[app_commands.ContextMenu]:
    """The three message menus, for the command tree (synced with it)."""
    return [
        app_commands.ContextMenu(name=SUMMARIZE_THREAD, callback=summarize_thread),
        app_commands.ContextMenu(name=SUMMARIZE_FROM_HERE, callback=summarize_from_here),
        app_commands.ContextMenu(name=SAVE_TO_BIBLE, callback=save_to_bible),
    ]


async def summarize_thread(interaction: discord.Interaction, message: discord.Message) -> None:
    await _ask_delivery(interaction, message, SUMMARIZE_THREAD, from_here=False)


async def summarize_from_here(interaction: discord.Interaction, message: discord.Message) -> None:
    await _ask_delivery(interaction, message, SUMMARIZE_FROM_HERE, from_here=True)


async def save_to_bible(interaction: discord.Interaction, message: discord.Message) -> None:
    router = _router(interaction)
    text = message.content.strip()
    if not text:
        why = " (only an attachment)" if message.attachments else ""
        await _say(interaction, NO_TEXT.format(why=why))
        return
    where = tr.interaction_where(interaction, router.thread_parents)
    source = f"{message.author.display_name}'s message: " + link(
        interaction.guild_id, message.channel.id, message.id
    )
    try:
        parsed = parse_options(
            router.app.registry, "story", "note", {"text": text, "source": source}
        )
    except CommandError as exc:
        await _say(interaction, exc.message)
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    inv = Invocation(
        "story",
        "note",
        parsed.args,
        f"/story note {text}",
        where.place,
        tr.interaction_author(interaction),
        tr.capabilities(where),
    )
    responder = PrivateResponder(router.client, where, router.tasks, interaction)
    await router.dispatch(inv, responder, parsed.resolved)


# --- the delivery question -------------------------------------------------------------


async def _ask_delivery(
    interaction: discord.Interaction, message: discord.Message, menu: str, *, from_here: bool
) -> None:
    router = _router(interaction)
    thread = _thread_of(router, interaction, message)
    if thread is None:
        await _say(interaction, NO_THREAD.format(menu=menu))
        return
    start = message.id if from_here and message.channel.id == thread else 0
    view = discord.ui.View(timeout=None)
    view.add_item(DeliveryButton("thread", thread, start))
    view.add_item(DeliveryButton("private", thread, start))
    await interaction.response.send_message(
        ASK, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
    )


def _thread_of(
    router: Router, interaction: discord.Interaction, message: discord.Message
) -> int | None:
    """The thread the menu was used on: the one it was used in, or the one started from
    the message (a thread's id is its starter message's id); None outside threads."""
    if interaction.guild_id is None:
        return None  # a DM has no threads
    channel = interaction.channel
    if isinstance(channel, discord.Thread):
        return channel.id
    if message.thread is not None or router.thread_parents.get(message.id) == message.channel.id:
        return message.id
    return None


class DeliveryButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CHOICE_ID):
    """ "In the thread" or "Only to me" under the question: the press runs the summary."""

    def __init__(self, delivery: Delivery, thread: int, start: int) -> None:
        label, style = (
            ("In the thread (everyone sees it)", discord.ButtonStyle.primary)
            if delivery == "thread"
            else ("Only to me", discord.ButtonStyle.secondary)
        )
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                custom_id=f"wr-summary:{delivery}:{thread}:{start}",
            )
        )
        self.delivery: Delivery = delivery
        self.thread = thread
        self.start = start

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        delivery: Delivery = "private" if match["delivery"] == "private" else "thread"
        return cls(delivery, int(match["thread"]), int(match["start"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        router = _router(interaction)
        guild_id = interaction.guild_id
        parent = await _parent_of(router, interaction, self.thread)
        if guild_id is None or parent is None:
            await interaction.response.edit_message(
                content=THREAD_GONE, view=None, allowed_mentions=NO_MENTIONS
            )
            return
        private = self.delivery == "private"
        doing = "Summarizing the thread for you…" if private else "Summarizing in the thread…"
        await interaction.response.edit_message(
            content=doing, view=None, allowed_mentions=NO_MENTIONS
        )
        start = ""
        if self.start:  # the message's time, as thread_history gives it
            start = f"{discord.utils.snowflake_time(self.start).timestamp():.3f}"
        options = {"delivery": self.delivery, "start": start}
        parsed = parse_options(router.app.registry, "summarize", "thread", options)
        place = tr.guild_place(guild_id, parent, self.thread)
        where = Where(
            place, guild_id, self.thread, history_thread=self.thread, remember=router.thread_parents
        )
        inv = Invocation(
            "summarize",
            "thread",
            parsed.args,
            "/summarize thread",
            place,
            tr.interaction_author(interaction),
            tr.capabilities(where),
        )
        responder = (
            PrivateResponder(router.client, where, router.tasks, interaction)
            if private
            else ButtonResponder(router.client, where, router.tasks, interaction)
        )
        await router.dispatch(inv, responder, parsed.resolved)


async def _parent_of(router: Router, interaction: discord.Interaction, thread: int) -> int | None:
    """The channel of ``thread`` when it is the channel pressed in or one of its threads
    (a custom id names a thread of this channel only); None otherwise."""
    channel = interaction.channel
    if channel is None:
        return None
    if isinstance(channel, discord.Thread):
        return channel.parent_id if channel.id == thread else None
    if router.thread_parents.get(thread) == channel.id:
        return channel.id
    found = interaction.client.get_channel(thread)
    if found is None:
        try:
            found = await interaction.client.fetch_channel(thread)
        except discord.HTTPException:
            return None
    if isinstance(found, discord.Thread) and found.parent_id == channel.id:
        return channel.id
    return None


# --- answering -------------------------------------------------------------------------


class PrivateResponder(InteractionResponder):
    """Answers only the person who used the menu: the first message is the interaction's
    own ephemeral response (the deferred one, or the question a button was pressed on),
    later pages are ephemeral follow-ups."""

    async def _send_new(self, page: Page) -> Sent:
        return await outbox.followup_send(self.interaction, page, ephemeral=True)

    async def _send_private(self, page: Page) -> Sent:
        return await self._send_first(page)


def _router(interaction: discord.Interaction) -> Router:
    found = getattr(interaction.client, "router", None)
    if found is None:
        raise RuntimeError("a message menu was used on a client without a router")
    router = cast("Router", found)
    router.own(asyncio.current_task())  # idle() waits for this callback and its job
    return router


async def _say(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
