"""The Responder for Slack: replies as Block Kit messages, edits throttled, threads kept.

- ``post``: the first reply to a command goes to the channel and starts a thread; every
  later post of the same responder goes in that thread. A reply that does not fit in one
  message continues in the thread. Private replies go by chat.postEphemeral.
- ``update``: chat.update at most once a second per message (bot/adapters/throttle.py):
  partial states coalesced, the newest shown when its turn comes, the final one always
  sent after its turn; the thread's continuation messages are edited, added or removed
  to match.
- ``progress``: a line under the live partial message (or a status message that the
  result then replaces).
- ``thread_history``: every message of the source thread (conversations.replies, all
  pages), with links built from the workspace URL.
- Images and files (exports) of a final reply are uploaded into its thread with
  files_upload_v2.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.render import SlackMessage, render, render_head
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.translate import chat_message, user_ids_in
from core.types import ChatMessage, FileRef, ImageRef, MessageHandle, Place, Reply

log = logging.getLogger(__name__)

HISTORY_PAGE = 200
NOT_A_MEMBER = ("not_in_channel", "channel_not_found")
_INVITE_HINT = (
    "I'm not in this channel yet, so I can't post here. "
    "Invite me with `/invite @writersroom`, then try again."
)


class SlackResponder:
    def __init__(
        self,
        runtime: SlackRuntime,
        place: Place,
        user_id: str,
        *,
        private: bool = False,
        source_thread: str | None = None,
        response_url: str | None = None,
    ) -> None:
        self.runtime = runtime
        self.place = place
        self.user_id = user_id
        self.private = private
        self.source_thread = source_thread
        self.response_url = response_url
        self.thread = place.thread
        self._live: tuple[MessageHandle, Reply] | None = None
        self._status: MessageHandle | None = None

    @property
    def _client(self) -> Any:
        return self.runtime.client

    @property
    def _team(self) -> str:
        return self.place.workspace

    # --- Responder ---------------------------------------------------------------------

    async def post(self, reply: Reply) -> MessageHandle:
        if self.private or reply.private:
            return await self._post_ephemeral(reply)
        if self._status is not None:  # a progress line was posted first: become it
            handle, self._status = self._status, None
            await self.update(handle, reply)
            return handle
        messages = [render_head(reply)] if reply.partial else render(reply)
        first, rest = messages[0], messages[1:]
        ts = await self._post_message(first, self.thread)
        thread = self.thread or ts
        self.thread = thread
        await self.runtime.edits.touched(self._team)
        state = self.runtime.edits.message(self._team, self.place.channel, ts)
        state.edits.sent_now(final=not reply.partial)
        handle = MessageHandle(
            id=ts,
            place=self.place.in_thread(thread),
            thread=thread,
            extra={"channel": self.place.channel},
        )
        if reply.partial:
            self._live = (handle, reply)
        else:
            state.continuations = [await self._post_message(m, thread) for m in rest]
            await self._upload(reply.images, thread)
            await self._upload_files(reply.files, thread)
        return handle

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        if handle.extra.get("ephemeral"):
            if not reply.partial:  # ephemeral messages cannot be edited: send the result
                await self._post_ephemeral(reply)
            return
        channel = str(handle.extra.get("channel", self.place.channel))
        state = self.runtime.edits.message(self._team, channel, handle.id)
        if reply.partial:
            if state.edits.finished:
                return  # nothing partial after the final state
            self._live = (handle, reply)

            async def show_head() -> None:  # rendered only if this state is shown
                # charged by the throttle's budget check that let it go
                await self._edit(channel, handle.id, render_head(reply), charge=False)

            await state.edits.edit(show_head, final=False)
            return
        if self._live is not None and self._live[0].id == handle.id:
            self._live = None

        async def show() -> None:
            messages = render(reply)
            await self._edit(channel, handle.id, messages[0])
            state.continuations = await self._sync_rest(
                channel, handle.thread, state.continuations, messages[1:]
            )

        await state.edits.edit(show, final=True)
        await self._upload(reply.images, handle.thread)
        await self._upload_files(reply.files, handle.thread)

    async def progress(self, text: str, fraction: float | None = None) -> None:
        line = text if fraction is None else f"{text} · {fraction:.0%}"
        if self._live is not None:
            handle, shown = self._live
            footer = " · ".join(x for x in (shown.footer, f":hourglass_flowing_sand: {line}") if x)
            await self.update(handle, dataclasses.replace(shown, footer=footer, partial=True))
            self._live = (handle, shown)
            return
        if self.private:
            return  # an ephemeral status could not be replaced: say nothing until the result
        if self._status is None:
            reply = Reply(body=f"_{line}_", partial=True)
            self._status = await self.post(reply)
            self._live = None
        else:
            await self.update(self._status, Reply(body=f"_{line}_", partial=True))

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        """Every message of the thread the request came from, oldest first, all pages."""
        thread = self.source_thread
        if not thread:
            return []
        channel = self.place.channel
        raw: dict[str, dict[str, Any]] = {}
        cursor: str | None = None
        while len(raw) < limit:
            resp = await self._client.conversations_replies(
                channel=channel,
                ts=thread,
                limit=min(HISTORY_PAGE, max(limit - len(raw), 1)),
                cursor=cursor,
            )
            for message in resp.get("messages") or []:
                raw.setdefault(str(message.get("ts")), message)  # pages may repeat the parent
            cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        ordered = sorted(raw.values(), key=lambda m: float(m.get("ts", 0)))[:limit]
        ids = {str(m.get("user") or "") for m in ordered}
        for m in ordered:
            ids |= user_ids_in(str(m.get("text") or ""))
        names = await self.runtime.users.names(ids)
        url = (await self.runtime.identity()).url
        return [chat_message(m, names, url, channel, thread) for m in ordered]

    # --- Web API calls ----------------------------------------------------------------

    async def _post_message(self, message: SlackMessage, thread: str | None) -> str:
        try:
            resp = await self._client.chat_postMessage(
                channel=self.place.channel,
                thread_ts=thread,
                unfurl_links=False,
                unfurl_media=False,
                **message.payload(),
            )
        except SlackApiError as exc:
            if exc.response.get("error") in NOT_A_MEMBER and self.response_url:
                url, self.response_url = self.response_url, None  # one hint is enough
                await _hint(url, _INVITE_HINT, self._client.session)
            raise
        return str(resp["ts"])

    async def _edit(
        self, channel: str, ts: str, message: SlackMessage, *, charge: bool = True
    ) -> None:
        """chat.update, counted against the workspace's budget (a partial edit was
        charged when the budget let it go)."""
        await self._client.chat_update(channel=channel, ts=ts, **message.payload())
        if charge:
            await self.runtime.edits.touched(self._team)

    async def _sync_rest(
        self, channel: str, thread: str, old: list[str], messages: Sequence[SlackMessage]
    ) -> list[str]:
        """Make the continuation messages in the thread match ``messages``."""
        kept: list[str] = []
        for i, message in enumerate(messages):
            if i < len(old):
                state = self.runtime.edits.message(self._team, channel, old[i])
                await state.edits.edit(
                    functools.partial(self._edit, channel, old[i], message), final=True
                )
                kept.append(old[i])
            else:
                kept.append(await self._post_message(message, thread))
        for ts in old[len(messages) :]:
            await self._client.chat_delete(channel=channel, ts=ts)
        return kept

    async def _post_ephemeral(self, reply: Reply) -> MessageHandle:
        messages = [render_head(reply)] if reply.partial else render(reply)
        ts = ""
        for message in messages:
            resp = await self._client.chat_postEphemeral(
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

    async def _upload(self, images: Sequence[ImageRef], thread: str) -> None:
        for image in images:
            await self._client.files_upload_v2(
                channel=self.place.channel,
                thread_ts=thread,
                file=image.path,
                filename=image.filename,
                title=image.alt,
                alt_txt=image.alt,
            )

    async def _upload_files(self, files: Sequence[FileRef], thread: str) -> None:
        for f in files:
            await self._client.files_upload_v2(
                channel=self.place.channel,
                thread_ts=thread,
                file=f.content,
                filename=f.filename,
                title=f.title or f.filename,
            )


async def _hint(response_url: str, text: str, session: aiohttp.ClientSession | None) -> None:
    """An ephemeral note by response_url (it works where the bot cannot post)."""
    try:
        await AsyncWebhookClient(response_url, session=session).send(
            text=text, response_type="ephemeral"
        )
    except Exception:  # a courtesy; the caller raises the real error
        log.warning("could not send a hint to response_url", exc_info=True)
