"""How a command talks back on Discord: the ``Responder`` every entry point shares
(interactions add theirs in interaction_responders.py), and the one for plain messages.

``post`` sends a reply (one message per page) and, for a draft in a channel, opens a
public thread from its first message; the thread's id is the message's id, so the
conversation is keyed the same way whether or not the thread could be made. ``update``
edits those messages in place, throttled to about one edit a second; a final state always
arrives, as new messages if the old ones can no longer be edited. An error after a
"Writing…" placeholder replaces the placeholder, so nothing is left half-written. Past an
interaction token's 15 minutes (a job that waited long in the queue) its webhook refuses
everything, so replies go by the bot's own routes: the channel, or the asker's direct
messages for a reply meant for them alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime

import discord

from bot.adapters.discord import feedback, forum, history, outbox
from bot.adapters.discord.outbox import Sent
from bot.adapters.discord.render import Page, render, render_preview
from bot.adapters.discord.throttle import message_throttle
from bot.adapters.feedback import Made
from bot.adapters.throttle import Throttle
from core.types import Action, ChatMessage, HistoryThread, MessageHandle, Place, Reply, Shown

log = logging.getLogger(__name__)


SENT_PRIVATELY = "That answer is for you alone: I sent it to your direct messages."
NOT_SENT_PRIVATELY = (
    "That answer is for you alone, and I can't send you a direct message (your privacy "
    "settings for this server). Ask with the slash command instead: its answer only you see."
)
LATE_NOT_SENT = (
    "That answer is for you alone, but it came too late to show only to you, and I can't "
    "send you a direct message (your privacy settings for this server). Please ask again."
)


def opens_thread(reply: Reply) -> bool:
    """Drafts open threads (their placeholder is partial; results carry buttons)."""
    return reply.tone == "result" and (reply.partial or bool(reply.actions))


def thread_name(reply: Reply) -> str:
    return reply.title or reply.body.strip().split("\n", 1)[0] or "writersroom"


@dataclass
class _Posted:
    handle: MessageHandle
    sents: list[Sent]
    reply: Reply
    """The newest state asked for: shown, or waiting its turn."""
    private: bool = False
    throttle: Throttle | None = None


@dataclass
class Where:
    """Where a responder's messages go and what it may do there."""

    place: Place
    guild_id: int | None
    channel_id: int  # the channel (or thread) new messages go to
    reply_to: int | None = None  # reply to this message (a conversation without a thread)
    fallback: tuple[int, int] | None = None  # (channel, reply_to) if channel_id is no thread
    can_thread: bool = False  # a guild text channel: drafts may open threads here
    history_thread: int | None = None  # the Discord thread this came from, if any
    remember: dict[int, int] = field(default_factory=dict)  # thread id -> parent channel
    topic: str | None = None  # the command asked for (a forum post's tag: forum.py)


class DiscordResponder:
    """Shared by every entry point; subclasses say where new messages go."""

    def __init__(
        self, client: discord.Client, where: Where, tasks: set[asyncio.Task[None]]
    ) -> None:
        self.client = client
        self.where = where
        self._tasks = tasks
        self._posted: dict[str, _Posted] = {}
        self._order: list[_Posted] = []
        self._slot: Sent | None = None  # a progress message the next post takes over
        self._slot_edits: Throttle | None = None
        self.cancel_ref: str | None = None  # the running job a Cancel button stops
        self._opened: int | None = None  # the thread this responder's first reply opened
        self.made: Made | None = None  # what makes its generated replies (Good / Not good)
        self.person: int | None = None
        """Who asked by a plain message: a reply for them alone goes to their direct
        messages (``_send_private``)."""
        self._told_where = False

    def _pages(self, reply: Reply, made: Made | None) -> list[Page]:
        """The messages ``reply`` takes: one preview while partial, else every page, the
        first with Good / Not good under a generated result."""
        if reply.partial:
            return [render_preview(self._live(reply))]
        pages = render(reply)
        pages[0].feedback = feedback.wanted(reply, made)
        return pages

    def _live(self, reply: Reply) -> Reply:
        """A partial state of a job that can be stopped carries a Cancel button."""
        if reply.partial and not reply.actions and self.cancel_ref is not None:
            cancel = Action("cancel", "Cancel", self.cancel_ref)
            return dataclasses.replace(reply, actions=(cancel,))
        return reply

    @property
    def place(self) -> Place:
        return self.where.place

    # --- Responder ---------------------------------------------------------------------

    async def post(self, reply: Reply) -> MessageHandle:
        if reply.tone == "error":
            stale = next((p for p in reversed(self._order) if p.reply.partial), None)
            if stale is not None:  # an error after a placeholder replaces it
                await self._submit(stale, reply)
                return stale.handle
        private = reply.private or (reply.tone == "error" and self._errors_are_private())
        pages = self._pages(reply, self.made)
        if private:
            sents = [await self._send_private(page) for page in pages]
        elif self._opened is not None:  # later replies of the command stay in its thread
            sents = [await self._send_in_thread(page) for page in pages]
        else:
            sents = [await self._send_first(pages[0])]
            sents += [await self._send_new(page) for page in pages[1:]]
        first = sents[0]
        in_thread = self._opened is not None and first.channel_id == self._opened
        thread = str(self._opened) if in_thread else await self._thread_for(first, reply)
        handle = MessageHandle(
            id=str(first.message_id),
            place=self.place,
            thread=thread,
            extra={"channel": str(first.channel_id), "via": first.via},
        )
        posted = _Posted(handle, sents, reply, private)
        self._posted[handle.id] = posted
        self._order.append(posted)
        # the first streamed edit waits its second; nothing partial follows a final post
        self._throttle(posted).sent_now(final=not reply.partial)
        return handle

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        posted = self._posted.get(handle.id)
        if posted is None:  # a handle this responder did not post: edit it by channel
            channel = int(handle.extra.get("channel") or handle.place.channel)
            posted = _Posted(handle, [Sent(int(handle.id), channel, "channel")], reply)
            self._posted[handle.id] = posted
            self._order.append(posted)
        await self._submit(posted, reply)

    async def progress(self, text: str, fraction: float | None = None) -> None:
        line = f"⏳ {text}" + (f" · {fraction:.0%}" if fraction is not None else "")
        page = render_preview(self._live(Reply(body=line, partial=True)))
        if self._order:
            latest = self._order[-1]
            await self._submit(latest, dataclasses.replace(latest.reply, footer=line, partial=True))
            return
        if self._slot is not None:
            show = functools.partial(self._show_slot, Reply(body=line, partial=True))
            await self._slot_throttle().edit(show, final=False)
            return
        try:
            self._slot = await self._send_first(page)
        except discord.HTTPException:
            log.warning("could not show progress", exc_info=True)
            return
        self._slot_throttle().sent_now()

    def _slot_throttle(self) -> Throttle:
        """Progress before any reply edits one message, at most once a second too."""
        if self._slot_edits is None:
            self._slot_edits = message_throttle(self._tasks)
        return self._slot_edits

    async def _show_slot(self, reply: Reply) -> None:
        if self._slot is not None:
            try:
                await self._edit(self._slot, render_preview(self._live(reply)))
            except discord.HTTPException:
                log.info("skipped a progress edit", exc_info=True)

    async def _take_slot(self) -> Sent | None:
        """The progress message, once no progress edit can land on it any more."""
        if self._slot_edits is not None:
            await self._slot_edits.stop()
        slot, self._slot = self._slot, None
        return slot

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        thread = self.where.history_thread
        if thread is None:
            return []
        return await history.read_thread(self.client, thread, self.where.guild_id, limit)

    async def channel_history(self, since: datetime, limit: int = 5_000) -> list[HistoryThread]:
        """The story's channel (a thread's parent) over a period (history.py)."""
        channel = int(self.place.channel)
        return await history.read_channel(self.client, channel, self.where.guild_id, since, limit)

    async def shown(self, job: str, since: float, handle: MessageHandle | None) -> Shown | None:
        return None  # Discord messages carry no metadata to find a job's reply by

    # --- lifecycle ---------------------------------------------------------------------

    def threads(self) -> dict[int, str]:
        """Every message sent here -> the conversation (thread key) it belongs to."""
        return {s.message_id: p.handle.thread for p in self._order for s in p.sents}

    async def close(self, stopped: str = "Stopped before it finished.") -> None:
        """The command is done: a placeholder it left open says that it stopped."""
        self.made = None  # a stopped draft is not voted on
        slot = await self._take_slot()
        if slot is not None:  # progress was shown, and then nothing came
            with contextlib.suppress(discord.HTTPException):
                await self._edit(slot, Page(content=stopped))
        for posted in self._order:
            if posted.reply.partial:
                await self._submit(
                    posted,
                    dataclasses.replace(posted.reply, footer=stopped, partial=False, actions=()),
                )

    # --- what subclasses provide -------------------------------------------------------

    def _errors_are_private(self) -> bool:
        return False

    async def _send_first(self, page: Page) -> Sent:
        slot = await self._take_slot()
        if slot is not None:
            await self._edit(slot, page)
            return slot
        return await self._send_new(page)

    async def _send_new(self, page: Page) -> Sent:
        w = self.where
        try:
            return await forum.send(self.client, w, page)  # a forum's top level: a new post
        except (discord.NotFound, discord.Forbidden):
            if w.fallback is None:
                raise
            # the message has no thread (it could not be made): reply to it instead
            (w.channel_id, w.reply_to), w.fallback = w.fallback, None
            return await outbox.channel_send(
                self.client, w.channel_id, page, guild_id=w.guild_id, reply_to=w.reply_to
            )

    async def _send_private(self, page: Page) -> Sent:
        """A reply for the asker alone (a board link, a private summary) asked by a plain
        message, which has no private answer: a channel message would show it to
        everyone, so it goes to their direct messages and the channel is told so. Where
        they take none from the bot, or who asked is not known (a job resumed after a
        restart), the channel hears only how to get it, never the reply itself."""
        return await self._send_by_dm(self.person, page, NOT_SENT_PRIVATELY)

    async def _send_by_dm(self, person: int | None, page: Page, refused: str) -> Sent:
        """``page`` to ``person``'s direct messages, the channel told where it went (once);
        where it cannot go, the channel is told ``refused`` and nothing is sent."""
        if person is not None:
            try:
                sent = await outbox.direct_send(self.client, person, page)
            except discord.Forbidden:
                pass
            else:
                await self._say_once(SENT_PRIVATELY)
                return sent
        await self._say_once(refused)
        return outbox.Sent(0, 0, "nowhere", ephemeral=True)

    async def _say_once(self, text: str) -> None:
        """A word in the channel about the private replies (once per request)."""
        if not self._told_where:
            self._told_where = True
            await self._send_first(Page(content=text))

    async def _edit(self, sent: Sent, page: Page) -> None:
        if sent.via != "nowhere":
            await outbox.channel_edit(self.client, sent, page)

    async def _delete(self, sent: Sent) -> None:
        if sent.via != "nowhere":
            await outbox.channel_delete(self.client, sent)

    # --- shared machinery --------------------------------------------------------------

    def _throttle(self, posted: _Posted) -> Throttle:
        if posted.throttle is None:
            posted.throttle = message_throttle(self._tasks)
        return posted.throttle

    async def _submit(self, posted: _Posted, reply: Reply) -> None:
        """Show ``reply`` in the posted messages at the pace of the edit policy."""
        throttle = self._throttle(posted)
        if throttle.finished and reply.partial:
            return  # nothing partial after the final state
        posted.reply = reply
        show = functools.partial(self._show, posted, reply, self.made)  # as made when asked
        await throttle.edit(show, final=not reply.partial)

    async def _show(self, posted: _Posted, reply: Reply, made: Made | None) -> None:
        """Make the posted messages say ``reply``: edit, add or remove pages."""
        pages = self._pages(reply, made)
        try:
            for i, page in enumerate(pages):
                if i < len(posted.sents):
                    await self._edit(posted.sents[i], page)
                else:
                    posted.sents.append(await self._more(posted, page))
            for extra in posted.sents[len(pages) :]:
                await self._delete(extra)
            del posted.sents[len(pages) :]
        except discord.HTTPException as exc:
            if reply.partial:
                log.info("skipped a preview edit: %s", exc)
                return
            # the final state must arrive: as new messages when the old cannot be edited
            log.warning("final edit failed (%s); sending the reply anew", exc)
            posted.sents = [await self._more(posted, page) for page in pages]

    async def _more(self, posted: _Posted, page: Page) -> Sent:
        if self._opened is not None and posted.sents and posted.sents[0].channel_id == self._opened:
            return await self._send_in_thread(page)
        return await (self._send_private(page) if posted.private else self._send_new(page))

    async def _send_in_thread(self, page: Page) -> Sent:
        assert self._opened is not None
        return await outbox.channel_send(
            self.client, self._opened, page, guild_id=self.where.guild_id
        )

    async def _thread_for(self, sent: Sent, reply: Reply) -> str:
        if self.place.thread is not None:
            return self.place.thread
        if sent.ephemeral or not self.where.can_thread or not opens_thread(reply):
            return str(sent.message_id)
        try:
            thread_id = await outbox.start_thread(self.client, sent, thread_name(reply))
        except discord.HTTPException as exc:
            # no permission to make threads here: replies to the message carry on instead
            log.info("could not open a thread in %s: %s", sent.channel_id, exc)
            return str(sent.message_id)
        self.where.remember[thread_id] = sent.channel_id
        self._opened = thread_id
        return str(thread_id)
