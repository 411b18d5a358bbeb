"""The Discord responders of interactions: a slash command's and a button press's.

They answer through the interaction (its deferred response, follow-ups, ephemeral
messages for the asker alone) while its token lasts, and through the bot's own routes
after (responder.py: the channel, or the asker's direct messages).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

import discord

from bot.adapters.discord import outbox
from bot.adapters.discord.outbox import Sent
from bot.adapters.discord.render import Page
from bot.adapters.discord.responder import LATE_NOT_SENT, DiscordResponder, Where

log = logging.getLogger(__name__)


class _InteractionBacked(DiscordResponder):
    """Messages sent through an interaction are edited and deleted through it too."""

    def __init__(
        self,
        client: discord.Client,
        where: Where,
        tasks: set[asyncio.Task[None]],
        interaction: discord.Interaction,
    ) -> None:
        super().__init__(client, where, tasks)
        self.interaction = interaction

    def _fresh(self) -> bool:
        return outbox.token_fresh(self.interaction)

    async def _send_late_private(self, page: Page) -> Sent:
        """A reply for the asker alone after the interaction's token expired (the job
        waited in the queue past 15 minutes): no ephemeral message can be sent any more,
        so it goes to their direct messages, as for a plain message."""
        return await self._send_by_dm(self.interaction.user.id, page, LATE_NOT_SENT)

    async def _edit(self, sent: Sent, page: Page) -> None:
        if sent.via == "channel":
            await super()._edit(sent, page)
        else:
            await outbox.interaction_edit(self.interaction, sent, page)

    async def _delete(self, sent: Sent) -> None:
        if sent.via == "channel":
            await super()._delete(sent)
        else:
            await outbox.interaction_delete(self.interaction, sent)


REMEMBER_BEFORE = dt.timedelta(seconds=30)
"""How long before the token lapses a still-unanswered "thinking…" response is looked up,
so that the bot's own routes can edit or remove it once only they work."""


class InteractionResponder(_InteractionBacked):
    """Answers a slash command: the deferred "thinking…" response becomes the first message,
    more pages are follow-ups, and errors meant for the writer alone are ephemeral.

    A job that waits in the queue past the token's life would leave "thinking…" up for
    good (only the token's webhook knows that message). So shortly before the token
    lapses, a response still unanswered is looked up (``REMEMBER_BEFORE``); the first
    page then goes into it by the bot's own routes, or it is deleted."""

    def __init__(
        self,
        client: discord.Client,
        where: Where,
        tasks: set[asyncio.Task[None]],
        interaction: discord.Interaction,
    ) -> None:
        super().__init__(client, where, tasks, interaction)
        self._original = "deferred"  # then "used" or "gone"
        self._thinking: Sent | None = None
        """The deferred response, by the bot's own routes (once looked up)."""
        age = discord.utils.utcnow() - interaction.created_at
        due = (outbox.TOKEN_LIFETIME - REMEMBER_BEFORE - age).total_seconds()
        self._lookup = asyncio.get_running_loop().call_later(max(0.0, due), self._look_up_later)

    def _look_up_later(self) -> None:
        if self._original == "deferred" and self._fresh():
            task = asyncio.create_task(self._look_up(), name="discord-thinking-lookup")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _look_up(self) -> None:
        try:
            message = await self.interaction.original_response()
        except discord.HTTPException as exc:
            log.info("could not look up a deferred response (%s)", exc.status)
            return
        if self._original == "deferred":
            self._thinking = Sent(message.id, message.channel.id, "channel")

    def _errors_are_private(self) -> bool:
        return True

    async def _send_first(self, page: Page) -> Sent:
        if self._slot is None and self._original == "deferred":
            self._lookup.cancel()
            if self._fresh():
                self._original = "used"
                return await outbox.original_edit(self.interaction, page)
            self._original = "gone"
            if self._thinking is not None:  # a long wait in the queue: by the bot's routes
                await outbox.channel_edit(self.client, self._thinking, page)
                return self._thinking
        elif self._slot is not None and self._slot.ephemeral and not self._fresh():
            await self._take_slot()  # an ephemeral progress message no route can edit now
        return await super()._send_first(page)

    async def _send_new(self, page: Page) -> Sent:
        if not self._fresh():  # past 15 minutes: the bot's own routes
            return await super()._send_new(page)
        return await outbox.followup_send(self.interaction, page, ephemeral=False)

    async def _send_private(self, page: Page) -> Sent:
        if not self._fresh():
            if self._original == "deferred":  # the channel's "thinking…" goes first
                self._original = "gone"
                self._lookup.cancel()
                if self._thinking is not None:
                    with contextlib.suppress(discord.HTTPException):
                        await outbox.channel_delete(self.client, self._thinking)
            return await self._send_late_private(page)
        slot_is_original = self._slot is not None and self._slot.via == "original"
        if self._original == "deferred" or slot_is_original:
            # only the writer should see this: take the public "thinking…" message away
            await self._take_slot()
            self._original = "gone"
            self._lookup.cancel()
            with contextlib.suppress(discord.HTTPException):
                await self.interaction.delete_original_response()
        return await outbox.followup_send(self.interaction, page, ephemeral=True)

    async def close(self, stopped: str = "Stopped before it finished.") -> None:
        await super().close(stopped)
        self._lookup.cancel()
        if self._original == "deferred":  # nothing was said: do not leave "thinking…" up
            self._original = "gone"
            with contextlib.suppress(discord.HTTPException):
                if self._fresh():
                    await self.interaction.delete_original_response()
                elif self._thinking is not None:  # past the token: by the bot's routes
                    await outbox.channel_delete(self.client, self._thinking)


class ButtonResponder(_InteractionBacked):
    """Answers a button press in the conversation the button belongs to; errors go to the
    presser alone (the press itself was acknowledged without a message)."""

    def _errors_are_private(self) -> bool:
        return True

    async def _send_private(self, page: Page) -> Sent:
        if not self._fresh():
            return await self._send_late_private(page)
        return await outbox.followup_send(self.interaction, page, ephemeral=True)
