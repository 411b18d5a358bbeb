"""The Discord responders of interactions: a slash command's and a button press's.

They answer through the interaction (its deferred response, follow-ups, ephemeral
messages for the asker alone) while its token lasts, and through the bot's own routes
after (responder.py: the channel, or the asker's direct messages).
"""

from __future__ import annotations

import asyncio
import contextlib

import discord

from bot.adapters.discord import outbox
from bot.adapters.discord.outbox import Sent
from bot.adapters.discord.render import Page
from bot.adapters.discord.responder import LATE_NOT_SENT, DiscordResponder, Where


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


class InteractionResponder(_InteractionBacked):
    """Answers a slash command: the deferred "thinking…" response becomes the first message,
    more pages are follow-ups, and errors meant for the writer alone are ephemeral."""

    def __init__(
        self,
        client: discord.Client,
        where: Where,
        tasks: set[asyncio.Task[None]],
        interaction: discord.Interaction,
    ) -> None:
        super().__init__(client, where, tasks, interaction)
        self._original = "deferred"  # then "used" or "gone"

    def _errors_are_private(self) -> bool:
        return True

    async def _send_first(self, page: Page) -> Sent:
        if self._slot is None and self._original == "deferred":
            if self._fresh():
                self._original = "used"
                return await outbox.original_edit(self.interaction, page)
            # a long wait in the queue: the "thinking…" response can no longer be edited
            self._original = "gone"
        elif self._slot is not None and self._slot.ephemeral and not self._fresh():
            await self._take_slot()  # an ephemeral progress message no route can edit now
        return await super()._send_first(page)

    async def _send_new(self, page: Page) -> Sent:
        if not self._fresh():  # past 15 minutes: the bot's own routes
            return await super()._send_new(page)
        return await outbox.followup_send(self.interaction, page, ephemeral=False)

    async def _send_private(self, page: Page) -> Sent:
        if not self._fresh():
            return await self._send_late_private(page)
        slot_is_original = self._slot is not None and self._slot.via == "original"
        if self._original == "deferred" or slot_is_original:
            # only the writer should see this: take the public "thinking…" message away
            await self._take_slot()
            self._original = "gone"
            with contextlib.suppress(discord.HTTPException):
                await self.interaction.delete_original_response()
        return await outbox.followup_send(self.interaction, page, ephemeral=True)

    async def close(self, stopped: str = "Stopped before it finished.") -> None:
        await super().close(stopped)
        if self._original == "deferred":  # nothing was said: do not leave "thinking…" up
            self._original = "gone"
            if not self._fresh():
                return  # past the token's lifetime only its webhook could take it away
            with contextlib.suppress(discord.HTTPException):
                await self.interaction.delete_original_response()


class ButtonResponder(_InteractionBacked):
    """Answers a button press in the conversation the button belongs to; errors go to the
    presser alone (the press itself was acknowledged without a message)."""

    def _errors_are_private(self) -> bool:
        return True

    async def _send_private(self, page: Page) -> Sent:
        if not self._fresh():
            return await self._send_late_private(page)
        return await outbox.followup_send(self.interaction, page, ephemeral=True)
