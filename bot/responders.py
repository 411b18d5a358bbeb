"""Responders the dispatcher wraps around an adapter's, for what every platform shares.

- ``JobResponder``: a text or image job's partial states carry a Cancel button where the
  platform has buttons, its replies are tagged with the job (``Reply.job``), and its first
  message is remembered on the job, so a process that takes the job over after a crash
  edits that message, or leaves alone a reply that was already final (bot/recovery.py).
- ``SaysUnderstood``: the first reply to a plain-language request says what it was
  understood as, so a wrong guess is seen at once: what it is doing while it works, and
  the command it ran once done (so the writer learns the command too).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from bot import recovery
from core.types import Action, ChatMessage, HistoryThread, MessageHandle, Reply, Responder, Shown
from storage.api import Store

LINE_SHOWN = 80
"""Characters of the command line a final note shows (a long text option is cut)."""


class Wrapped:
    """Forwards everything to ``inner``; subclasses change what they must."""

    def __init__(self, inner: Responder) -> None:
        self.inner = inner

    async def post(self, reply: Reply) -> MessageHandle:
        return await self.inner.post(reply)

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        await self.inner.update(handle, reply)

    async def progress(self, text: str, fraction: float | None = None) -> None:
        await self.inner.progress(text, fraction)

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        return await self.inner.thread_history(limit)

    async def channel_history(self, since: datetime, limit: int = 5_000) -> list[HistoryThread]:
        return await self.inner.channel_history(since, limit)

    async def shown(self, job: str, since: float, handle: MessageHandle | None) -> Shown | None:
        return await self.inner.shown(job, since, handle)


class JobResponder(Wrapped):
    """The responder of a job. Every reply is tagged with the job (``Reply.job``); for a
    text or image job, partial states (a draft being written, progress) carry a Cancel
    button where the platform has buttons, and the first message it posts is remembered on
    the job. So a process that takes the job over after a crash edits that message instead
    of leaving it "Writing…", and leaves a reply that was already final alone
    (bot/recovery.py)."""

    def __init__(
        self, inner: Responder, job_id: str, store: Store, *, cancel: bool, remember: bool = True
    ) -> None:
        super().__init__(inner)
        self.job_id = job_id
        self.store = store
        self.cancel = Action("cancel", "Cancel", job_id) if cancel else None
        self.remembered = not remember
        """Whether the first message is on the job row (a quick job's never is: its one
        message is found by its tag, where the platform tags)."""

    def _live(self, reply: Reply) -> Reply:
        """The reply tagged with the job; a partial state gets Cancel where it has none."""
        if self.cancel is not None and reply.partial and not reply.actions:
            return dataclasses.replace(reply, actions=(self.cancel,), job=self.job_id)
        return dataclasses.replace(reply, job=self.job_id)

    async def post(self, reply: Reply) -> MessageHandle:
        handle = await self.inner.post(self._live(reply))
        if not self.remembered and not reply.private:
            self.remembered = True
            await self.store.set_job_reply(self.job_id, recovery.encode_handle(handle))
        return handle

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        await self.inner.update(handle, self._live(reply))


class SaysUnderstood(Wrapped):
    """The first reply says what the request was understood as: while it works, what it
    is doing ("_Writing a short synopsis…_"); once final, the command it ran ("_Understood
    as_ `/synopsis length:short`"). Above the body of a markup reply, beside the title of
    a screenplay (a line above a Fountain body would be read as action)."""

    def __init__(self, inner: Responder, said: str, line: str) -> None:
        super().__init__(inner)
        self.said = said
        self.line = line if len(line) <= LINE_SHOWN else line[: LINE_SHOWN - 1].rstrip() + "…"
        self.first: str | None = None
        """The first message's id: its later states (a draft finishing) keep the note."""

    def _noted(self, reply: Reply) -> Reply:
        if reply.private:
            return reply
        if reply.format == "markup":
            note = f"_{self.said}_" if reply.partial else f"_Understood as_ `{self.line}`"
            return dataclasses.replace(reply, body=f"{note}\n\n{reply.body}".rstrip())
        note = self.said if reply.partial else self.line
        title = f"{reply.title} · {note}" if reply.title else note
        return dataclasses.replace(reply, title=title)

    async def post(self, reply: Reply) -> MessageHandle:
        if self.first is not None or reply.private:
            return await self.inner.post(reply)
        handle = await self.inner.post(self._noted(reply))
        self.first = handle.id
        return handle

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        await self.inner.update(handle, self._noted(reply) if handle.id == self.first else reply)
