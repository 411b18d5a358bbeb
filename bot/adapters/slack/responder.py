"""The Responder for Slack: replies as Block Kit messages, edits throttled, threads kept.

- ``post``: the first reply to a command goes to the channel and starts a thread; every
  later post of the same responder goes in that thread. A reply that does not fit in one
  message continues in the thread. Private replies go by chat.postEphemeral.
- ``update``: chat.update at most once a second per message (bot/adapters/throttle.py):
  partial states coalesced, the newest shown when its turn comes, the final one always
  sent after its turn; the thread's continuation messages are edited, added or removed
  to match. The final state always arrives: blocks Slack refuses (invalid_blocks,
  msg_too_long) go again as plain text, and a message that cannot be edited (deleted,
  or chat.update still rate-limited after the client's retries) gets the reply posted
  anew below it, the stale one saying "Moved below" or deleted where it can be.
- ``progress``: a line under the live partial message (or a status message that the
  result then replaces).
- ``thread_history``: every message of the source thread (conversations.replies, all
  pages), with links built from the workspace URL; ``channel_history``: the channel's
  threads over a period (history.py).
- In a thread, a reply being written streams natively where the workspace can
  (stream.py), and falls back to chat.update where it cannot.
- In an assistant thread, the thread's status says what the job does while it runs
  (assistant.threads.setStatus); a generated reply carries Good / Not good buttons
  (feedback.py).
- Images and files (exports) of a final reply are uploaded into its thread with
  files_upload_v2.
- A job's message carries Slack message metadata (``writersroom_reply``: the job's id and
  whether the state is final), so ``shown`` can read back what a job had shown when its
  process died (readback.py).

Every call goes with the workspace's own token (``SlackRuntime.client_for``); a workspace
that uninstalled raises ``WorkspaceGone``, a CommandError, so its job ends cleanly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.feedback import Made
from bot.adapters.slack import readback
from bot.adapters.slack.assistant import status_of
from bot.adapters.slack.delivery import Delivery
from bot.adapters.slack.feedback import with_feedback
from bot.adapters.slack.history import History
from bot.adapters.slack.render import SlackMessage, render, render_head
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.stream import SlackStream, open_stream, streamable
from bot.adapters.slack.tokens import WorkspaceGone, revoked
from core.types import (
    ChatMessage,
    HistoryThread,
    MessageHandle,
    Place,
    Reply,
    Shown,
)

log = logging.getLogger(__name__)


class SlackResponder(Delivery):
    def __init__(
        self,
        runtime: SlackRuntime,
        place: Place,
        user_id: str,
        *,
        private: bool = False,
        source_thread: str | None = None,
        response_url: str | None = None,
        made: Made | None = None,
        assistant: bool = False,
        reads: str | None = None,
    ) -> None:
        """``made``: what makes this responder's replies (a generating command), to put
        feedback buttons under them; ``assistant``: the place is an assistant thread,
        whose status shows the job's work; ``reads``: the channel whose history it reads,
        when not the one it posts in (an assistant thread working on a channel)."""
        self.runtime = runtime
        self.place = place
        self.user_id = user_id
        self.private = private
        self.source_thread = source_thread
        self.response_url = response_url
        self.made = made
        self.assistant = assistant
        self.reads = reads or place.channel
        self.thread = place.thread
        self._live: tuple[MessageHandle, Reply] | None = None
        self._status: MessageHandle | None = None
        self._streams: dict[str, SlackStream] = {}
        self.gone = False
        """The workspace uninstalled while this responder answered it."""

    async def _web(self) -> AsyncWebClient:
        return await self.runtime.client_for(self._team)

    async def _api(self, method: str, **args: Any) -> Any:
        """One Web API call with the workspace's token; a revoked token means the app was
        uninstalled there (WorkspaceGone)."""
        with self._uninstalls():
            try:
                return await getattr(await self._web(), method)(**args)
            except SlackApiError as exc:
                if revoked(exc):
                    raise WorkspaceGone(self._team) from None
                raise

    @contextlib.contextmanager
    def _uninstalls(self) -> Iterator[None]:
        """A WorkspaceGone raised in the block marks this responder's workspace as gone."""
        try:
            yield
        except WorkspaceGone:
            self._went()
            raise

    def _nowhere(self, reply: Reply) -> MessageHandle | None:
        """After the workspace went (uninstalled mid-job), what is left to say (the job's
        error) has nowhere to go: dropped, with one log line."""
        if not self.gone:
            return None
        log.info("Slack workspace %s uninstalled: dropped the %s reply", self._team, reply.tone)
        return MessageHandle(id="", place=self.place, thread=self.thread or "")

    # --- Responder ---------------------------------------------------------------------

    async def post(self, reply: Reply) -> MessageHandle:
        if (dropped := self._nowhere(reply)) is not None:
            return dropped
        if self.private or reply.private:
            return await self._post_ephemeral(reply)
        if self._status is not None:  # a progress line was posted first: become it
            handle, self._status = self._status, None
            await self.update(handle, reply)
            return handle
        if self.thread and streamable(reply):
            streamed = await self._start_stream(reply, self.thread)
            if streamed is not None:
                await self._set_status(status_of(self.made))
                return streamed
        messages = [render_head(reply)] if reply.partial else self._render(reply)
        first, rest = messages[0], messages[1:]
        ts, *more = await self._post_part(first, self.thread, readback.tag(reply))
        thread = self.thread or ts
        self.thread = thread
        self.runtime.edits.touched(self._team)
        state = self.runtime.edits.message(self._team, self.place.channel, ts)
        state.edits.sent_now(final=not reply.partial)
        state.continuations = more  # the pieces of a message Slack took only as plain text
        handle = MessageHandle(
            id=ts,
            place=self.place.in_thread(thread),
            thread=thread,
            extra={"channel": self.place.channel},
        )
        if reply.partial:
            self._live = (handle, reply)
            await self._set_status(status_of(self.made))
        else:
            state.continuations += [t for m in rest for t in await self._post_part(m, thread)]
            await self._attach(reply, thread)
        return handle

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        if self._nowhere(reply) is not None:
            return
        if handle.extra.get("ephemeral"):
            if not reply.partial:  # ephemeral messages cannot be edited: send the result
                await self._post_ephemeral(reply)
            return
        channel = str(handle.extra.get("channel", self.place.channel))
        state = self.runtime.edits.message(self._team, channel, handle.id)
        stream = self._streams.get(handle.id)
        if reply.partial:
            if state.edits.finished:
                return  # nothing partial after the final state
            self._live = (handle, reply)
            if stream is not None and await stream.show(reply):
                return

            async def show_head() -> None:  # rendered only if this state is shown
                # charged by the throttle's budget check that let it go
                await self._edit(
                    channel,
                    handle.id,
                    render_head(reply),
                    charge=False,
                    metadata=readback.tag(reply),
                )

            await state.edits.edit(show_head, final=False)
            return
        if self._live is not None and self._live[0].id == handle.id:
            self._live = None
        if stream is not None:  # the final state replaces the streamed text
            await stream.stop()
            del self._streams[handle.id]

        thread = handle.thread

        async def show() -> None:
            nonlocal thread
            messages = self._render(reply)
            state.continuations, thread = await self._show_final(
                channel, handle, messages, state.continuations, readback.tag(reply)
            )

        await state.edits.edit(show, final=True)
        await self._attach(reply, thread)
        await self._set_status("")

    async def progress(self, text: str, fraction: float | None = None) -> None:
        line = text if fraction is None else f"{text} · {fraction:.0%}"
        if self._live is not None:
            handle, shown = self._live
            footer = " · ".join(x for x in (shown.footer, f":hourglass_flowing_sand: {line}") if x)
            await self.update(handle, dataclasses.replace(shown, footer=footer, partial=True))
            self._live = (handle, shown)
            await self._set_status(f"{line}…")
            return
        if self.private:
            return  # an ephemeral status could not be replaced: say nothing until the result
        if self._status is None:
            reply = Reply(body=f"_{line}_", partial=True)
            self._status = await self.post(reply)
            self._live = None
        else:
            await self.update(self._status, Reply(body=f"_{line}_", partial=True))
        await self._set_status(f"{line}…")

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        """Every message of the thread the request came from, oldest first, all pages
        (the app's own messages left out)."""
        thread = self.source_thread
        if not thread:
            return []
        with self._uninstalls():  # the thread is where the request was made, not ``reads``
            return await (await self._history(self.place.channel)).read_thread(thread, limit)

    async def shown(self, job: str, since: float, handle: MessageHandle | None) -> Shown | None:
        """The job's messages read back by their metadata (readback.py)."""
        return await readback.shown(self._api, self.place, job, since, handle)

    async def channel_history(self, since: datetime, limit: int = 5_000) -> list[HistoryThread]:
        """The channel's threads and loose messages from ``since`` on (history.py)."""
        with self._uninstalls():
            return await (await self._history(self.reads)).read_channel(since, limit)

    def _went(self) -> None:
        self.gone = True
        self.runtime.forget_team(self._team)

    async def _history(self, channel: str) -> History:
        me = await self.runtime.identity(self._team)
        own = frozenset(x for x in (me.user_id, me.bot_id) if x)
        client = await self._web()
        return History(
            client,
            self.runtime.users,
            channel,
            team=self._team,
            workspace_url=me.url,
            own_ids=own,
        )

    # --- streaming, status, feedback ----------------------------------------------------

    async def _start_stream(self, reply: Reply, thread: str) -> MessageHandle | None:
        """Open a native stream in ``thread`` for a partial state (stream.py); None when
        Slack cannot stream here."""
        with self._uninstalls():
            stream = await open_stream(
                self.runtime, await self._web(), self.place, thread, self.user_id, reply
            )
        if stream is None:
            return None
        self._streams[stream.ts] = stream
        handle = MessageHandle(
            id=stream.ts,
            place=self.place.in_thread(thread),
            thread=thread,
            extra={"channel": stream.channel},
        )
        self._live = (handle, reply)
        return handle

    async def _set_status(self, status: str) -> None:
        """The assistant thread's status line (cleared with ""); only in assistant
        threads, and a refusal turns it off for this responder."""
        if not self.assistant or not self.thread:
            return
        try:
            await self._api(
                "assistant_threads_setStatus",
                channel_id=self.place.channel,
                thread_ts=self.thread,
                status=status,
            )
        except SlackApiError as exc:
            log.info("assistant status refused: %s", exc.response.get("error"))
            self.assistant = False

    def _render(self, reply: Reply) -> list[SlackMessage]:
        """A final state's messages, with feedback buttons under a generated result."""
        return with_feedback(render(reply), reply, self.made)

    async def _post_ephemeral(self, reply: Reply) -> MessageHandle:
        messages = [render_head(reply)] if reply.partial else render(reply)
        ts = ""
        for message in messages:
            resp = await self._api(
                "chat_postEphemeral",
                channel=self.place.channel,
                user=self.user_id,
                thread_ts=self.thread,
                **message.payload(),
            )
            ts = ts or str(resp.get("message_ts") or "")
        thread = self.thread or ts
        return MessageHandle(
            id=ts,
            place=self.place.in_thread(thread),
            thread=thread,
            extra={"channel": self.place.channel, "ephemeral": True},
        )

    async def _attach(self, reply: Reply, thread: str) -> None:
        """A final reply's images, then its files (exports), uploaded into its thread."""
        uploads = [
            {"file": i.path, "filename": i.filename, "title": i.alt, "alt_txt": i.alt}
            for i in reply.images
        ] + [
            {"file": f.content, "filename": f.filename, "title": f.title or f.filename}
            for f in reply.files
        ]
        for upload in uploads:
            await self._api(
                "files_upload_v2", channel=self.place.channel, thread_ts=thread, **upload
            )
