"""Reply threads: every generated reply opens one, and plain messages in it refine the draft.

A draft is posted as a placeholder first (so its thread exists and the writer sees work
start), streamed into (every partial state goes to the responder; the adapter paces the
edits to its platform), then replaced by the final reply with its buttons. The thread's
conversation (artifact, how it was made, the messages) is stored, so follow-ups such as
"shorter", "continue", "again" and "save" work after a restart too.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from commands.render import body_format, draft_actions
from core.errors import GenerationError
from core.models import CHARACTER_FIELDS, Character, Conversation, new_character
from core.types import Action, BodyFormat, MessageHandle, Reply
from generation.base import Draft


@dataclass
class Drafting:
    """A reply being written: its message, its thread's conversation, what its text is.

    ``conversation`` is the stored conversation, or a task still storing it: the model
    starts writing while the row is written, so a busy database never delays the model.
    """

    ctx: Context
    handle: MessageHandle
    conversation: Conversation | asyncio.Task[Conversation]
    title: str
    format: BodyFormat = "markup"

    async def opened(self) -> Conversation:
        if isinstance(self.conversation, asyncio.Task):
            self.conversation = await self.conversation
        return self.conversation

    async def on_text(self, text: str) -> None:
        """Show the text so far; the adapter coalesces these to its platform's edit rate."""
        await self.ctx.responder.update(
            self.handle,
            Reply(title=self.title, body=text + " …", partial=True, format=self.format),
        )

    async def finish(
        self,
        reply: Reply,
        artifact: str,
        params: dict[str, Any],
        seed: int,
        *,
        can_continue: bool = True,
        can_save: bool = True,
        actions: tuple[Action, ...] | None = None,
    ) -> Conversation:
        """Store the artifact and show the final reply with its buttons (``actions``
        replaces the usual Regenerate/Continue/Save, e.g. with "Use option k")."""
        opened = await self.opened()
        conv = await self.ctx.store.update_conversation(opened.id, artifact, params, seed)
        await self.ctx.store.add_message(conv.id, "bot", "writersroom", artifact)
        final = dataclasses.replace(
            reply,
            actions=actions
            if actions is not None
            else draft_actions(conv.id, can_continue=can_continue, can_save=can_save),
        )
        await self.ctx.responder.update(self.handle, final)
        return conv

    async def fail(self, message: str) -> None:
        await self.opened()
        await self.ctx.responder.update(self.handle, Reply.error(message))


async def start_draft(ctx: Context, story_id: int, kind: str, title: str) -> Drafting:
    """Post the placeholder that becomes the thread's head, and open its conversation."""
    handle = await ctx.reply(Reply(title=title, body="_Writing…_", partial=True))
    place = ctx.place
    opening = asyncio.create_task(
        ctx.store.create_conversation(
            (place.platform, place.workspace, place.channel, handle.thread),
            story_id,
            kind,
            "",
            {},
            0,
        ),
        name=f"open-conversation-{handle.id}",
    )
    job = asyncio.current_task()
    if job is not None:  # a job cancelled (a shutdown, /cancel) takes its row write with it
        job.add_done_callback(lambda _: opening.cancel())
    opening.add_done_callback(_retrieved)
    return Drafting(ctx, handle, opening, title, body_format(kind))


def _retrieved(task: asyncio.Task[Conversation]) -> None:
    """Mark a failure as seen when nobody awaits the task (its job was cancelled)."""
    if not task.cancelled():
        task.exception()


def sheet_from_draft(draft: Draft, name: str, given: dict[str, str]) -> Character:
    """A Character from an engine's sheet; fields the writer gave always win."""
    data = dict(draft.data or {})
    sheet = {f: str(data.get(f) or "").strip() for f in CHARACTER_FIELDS}
    sheet.update({k: v for k, v in given.items() if v})
    if not any(sheet.values()):
        raise GenerationError("The engine returned an empty character sheet; nothing was saved.")
    return new_character(name, **sheet)
