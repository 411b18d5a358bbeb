"""Reply threads: every generated reply opens one, and plain messages in it refine the draft.

A draft is posted as a placeholder first (so its thread exists and the writer sees work
start; the model is asked while it is posted, not after), streamed into (every
partial state goes to the responder; the adapter paces the edits to its platform), then
replaced by the final reply with its buttons. The thread's conversation (artifact, how
it was made, the messages) is stored, so follow-ups such as "shorter", "continue",
"again" and "save" work after a restart too.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.context import Context
from commands.render import body_format, draft_actions
from core.errors import GenerationError
from core.models import CHARACTER_FIELDS, Character, Conversation, new_character
from core.types import Action, BodyFormat, MessageHandle, Reply
from generation.base import Draft

T = TypeVar("T")


@dataclass
class Drafting:
    """A reply being written: its message, its thread's conversation, what its text is.

    ``posting`` is the posted placeholder, or its ``Posting`` while it is posted, and
    ``conversation`` the stored conversation, or a task still storing it: the model
    starts writing while the placeholder goes out and the row is written, so neither
    the platform nor a busy database delays the model.
    """

    ctx: Context
    posting: MessageHandle | Posting
    conversation: Conversation | asyncio.Task[Conversation]
    title: str
    format: BodyFormat = "markup"

    async def message(self) -> MessageHandle:
        """The placeholder's message, once posted (its post's failure, when it failed);
        a placeholder still waiting for other requests to reach their model goes now."""
        if isinstance(self.posting, Posting):
            self.posting.wanted()
            self.posting = await self.posting.task
        return self.posting

    async def opened(self) -> Conversation:
        if isinstance(self.conversation, asyncio.Task):
            self.conversation = await self.conversation
        return self.conversation

    async def on_text(self, text: str) -> None:
        """Show the text so far; the adapter coalesces these to its platform's edit rate."""
        await self.ctx.responder.update(
            await self.message(),
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
        # the artifact and the bot's message in the thread, together
        conv = await self.ctx.store.finish_draft(opened.id, artifact, params, seed)
        final = dataclasses.replace(
            reply,
            actions=actions
            if actions is not None
            else draft_actions(conv.id, can_continue=can_continue, can_save=can_save),
        )
        await self.ctx.responder.update(await self.message(), final)
        return conv

    async def fail(self, message: str) -> None:
        await self.opened()
        await self.ctx.responder.update(await self.message(), Reply.error(message))


@dataclass
class Posting:
    """A placeholder being posted beside the job: the task, and the future that tells it
    to stop waiting for the other requests (the model has answered: it is wanted now)."""

    task: asyncio.Task[MessageHandle]
    now: asyncio.Future[None]

    def wanted(self) -> None:
        if not self.now.done():
            self.now.set_result(None)


def placeholder(ctx: Context, title: str) -> Posting:
    """Post a draft's placeholder ("_Writing…_") beside the job, which goes on to ask
    the model at once: under load, the model's request leaves first, and the
    placeholder waits for the requests behind it to reach their model too, unless the
    answer comes first (a fast model: the reply is not held back for the others)."""
    now: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def post() -> MessageHandle:
        await ctx.after_the_queue(now)
        return await ctx.reply(Reply(title=title, body="_Writing…_", partial=True))

    return Posting(_beside_job(post(), "post"), now)


async def start_draft(ctx: Context, story_id: int, kind: str, title: str) -> Drafting:
    """Post the placeholder that becomes the thread's head, and open its conversation,
    both beside the job (which goes on to ask the model)."""
    posting = placeholder(ctx, title)
    place = ctx.place

    async def open_conversation() -> Conversation:
        handle = await posting.task
        return await ctx.store.create_conversation(
            (place.platform, place.workspace, place.channel, handle.thread),
            story_id,
            kind,
            "",
            {},
            0,
        )

    opening = _beside_job(open_conversation(), "open-conversation")
    return Drafting(ctx, posting, opening, title, body_format(kind))


def _beside_job(work: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
    """Run ``work`` as a task beside the current job: cancelled with it (a shutdown,
    /cancel), and its failure seen even when the job ends before awaiting it."""
    task = asyncio.create_task(work, name=name)
    job = asyncio.current_task()
    if job is not None:
        job.add_done_callback(lambda _: task.cancel())
    task.add_done_callback(_retrieved)
    return task


def _retrieved(task: asyncio.Task[Any]) -> None:
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
