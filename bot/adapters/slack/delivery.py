"""Posting and editing a Slack reply's messages so that its final state always arrives.

``Delivery`` is what ``SlackResponder`` (responder.py) does on the Web API: post a
message (an invite hint by response_url where the bot is not in the channel), edit one
(counted against the workspace's edit budget), and show a final state in the messages a
reply already has, its continuations kept in order. Where Slack refuses a message
(invalid_blocks, msg_too_long) it goes again as plain text in pieces, its buttons after
(``plainer``); where a final edit still fails (a 429 past the client's retries, a message
someone deleted) the reply is posted anew in its thread, and the old message says "Moved
below" or goes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.render import SlackMessage
from bot.adapters.slack.runtime import SlackRuntime, sdk_logger
from bot.adapters.split import split_text
from core.types import MessageHandle, Place

log = logging.getLogger(__name__)

Json = dict[str, Any]

NOT_A_MEMBER = ("not_in_channel", "channel_not_found")

_INVITE_HINT = (
    "I'm not in this channel yet, so I can't post here. "
    "Invite me with `/invite @writersroom`, then try again."
)

TOO_RICH = frozenset({"invalid_blocks", "msg_too_long"})
"""Slack refused a message's blocks or size: it goes again as plain text (``plainer``)."""
GONE = "message_not_found"
"""The message was deleted (by someone in the channel): its reply is posted anew."""
RATE_LIMITED = "ratelimited"
PLAIN_CHARS = 3_000
"""A piece of a reply sent as plain text, the size a section holds."""
MOVED = "_Moved below._"
"""What a message whose final state was posted anew says instead (no Cancel button)."""
BUTTONS_TEXT = "Buttons for the reply above"
"""The notification text of the buttons of a reply sent as plain text."""


class Delivery:
    """The Web API side of a responder: what it needs of it, and the calls."""

    runtime: SlackRuntime
    place: Place
    thread: str | None
    response_url: str | None

    @property
    def _team(self) -> str:
        return self.place.workspace

    async def _api(self, method: str, **args: Any) -> Any:
        raise NotImplementedError

    async def _post_message(
        self,
        message: SlackMessage,
        thread: str | None,
        metadata: Json | None = None,
        *,
        broadcast: bool = False,
    ) -> str:
        """chat.postMessage; ``broadcast``: a thread reply also shown in the channel."""
        payload = message.payload()
        if not payload["blocks"]:
            del payload["blocks"]  # text alone
        try:
            resp = await self._api(
                "chat_postMessage",
                channel=self.place.channel,
                thread_ts=thread,
                unfurl_links=False,
                unfurl_media=False,
                **payload,
                metadata=metadata,
                reply_broadcast=True if broadcast else None,
            )
        except SlackApiError as exc:
            if exc.response.get("error") in NOT_A_MEMBER and self.response_url:
                url, self.response_url = self.response_url, None  # one hint is enough
                await hint(url, _INVITE_HINT, self.runtime.client.session)
            raise
        return str(resp["ts"])

    async def _edit(
        self,
        channel: str,
        ts: str,
        message: SlackMessage,
        *,
        charge: bool = True,
        metadata: Json | None = None,
    ) -> None:
        """chat.update, counted against the workspace's budget (a partial edit was
        charged when the budget let it go)."""
        await self._api(
            "chat_update", channel=channel, ts=ts, metadata=metadata, **message.payload()
        )
        if charge:
            self.runtime.edits.touched(self._team)

    async def _show_final(
        self,
        channel: str,
        handle: MessageHandle,
        messages: list[SlackMessage],
        old: list[str],
        metadata: Json | None,
    ) -> tuple[list[str], str]:
        """Make the posted message and its continuations show a final state; returns the
        continuations and the thread the reply is in. The person must see the reply: a
        message that cannot be edited gets it posted anew below, in its thread (shown in
        the channel too when it was the thread's head), or, when the thread's head was
        deleted, as a new message in the channel."""
        thread, head = handle.thread, handle.id == handle.thread
        try:
            shown = await self._edit_part(channel, thread, handle.id, messages[0], metadata)
        except SlackApiError as exc:
            error = error_of(exc)
            log.warning("final edit of a Slack message failed (%s): posting it anew", error)
            if error == GONE and head:  # its thread went with it
                shown = await self._post_part(messages[0], None, metadata)
                thread = self.thread = shown[0]
            else:
                shown = await self._post_part(messages[0], thread, metadata, broadcast=head)
                if error != GONE:
                    await self._tidy(channel, handle.id, error)
            self.runtime.edits.message(self._team, channel, shown[0]).edits.sent_now(final=True)
            self.runtime.edits.touched(self._team)
        if len(shown) > 1 or shown[0] != handle.id:
            # parts were posted after the older continuations: those go, the rest follow
            for ts in old:
                await self._drop(channel, ts)
            old = []
        return shown[1:] + await self._sync_rest(channel, thread, old, messages[1:]), thread

    async def _sync_rest(
        self, channel: str, thread: str, old: list[str], messages: Sequence[SlackMessage]
    ) -> list[str]:
        """Make the continuation messages in the thread match ``messages``, in order: from
        the first that could not be edited as it was, the rest are posted anew (the older
        ones deleted)."""
        kept: list[str] = []
        reusable = list(old)
        for message in messages:
            shown = (
                await self._edit_continuation(channel, thread, reusable.pop(0), message)
                if reusable
                else []
            )
            if len(shown) != 1:
                for ts in reusable:
                    await self._drop(channel, ts)
                reusable = []
            kept += shown or await self._post_part(message, thread)
        for ts in reusable:
            await self._drop(channel, ts)
        return kept

    async def _edit_continuation(
        self, channel: str, thread: str, ts: str, message: SlackMessage
    ) -> list[str]:
        """Edit one continuation at its message's pace; [] where it cannot be edited (it
        is then deleted, best effort)."""
        shown: list[str] = []

        async def edit() -> None:
            shown[:] = await self._edit_part(channel, thread, ts, message)

        try:
            await self.runtime.edits.message(self._team, channel, ts).edits.edit(edit, final=True)
        except SlackApiError as exc:
            log.info("could not edit a continuation (%s): posting it anew", error_of(exc))
            await self._drop(channel, ts)
            return []
        return shown

    async def _edit_part(
        self,
        channel: str,
        thread: str,
        ts: str,
        message: SlackMessage,
        metadata: Json | None = None,
    ) -> list[str]:
        """Edit one message of a final state; where Slack refuses its blocks, the message
        as plain text: the first piece in ``ts``, the others posted after it. Returns the
        messages showing it."""
        try:
            await self._edit(channel, ts, message, metadata=metadata)
            return [ts]
        except SlackApiError as exc:
            plain = plainer(message)
            if error_of(exc) not in TOO_RICH or not plain or plain == [message]:
                raise
            log.warning("Slack refused a message (%s): showing it as plain text", error_of(exc))
        await self._edit(channel, ts, plain[0], metadata=metadata)
        return [ts, *[t for m in plain[1:] for t in await self._post_part(m, thread)]]

    async def _post_part(
        self,
        message: SlackMessage,
        thread: str | None,
        metadata: Json | None = None,
        *,
        broadcast: bool = False,
    ) -> list[str]:
        """Post one message of a reply; where Slack refuses its blocks, the message as
        plain text, in pieces (its buttons alone are dropped if Slack refuses them too).
        Returns the messages showing it."""
        try:
            return [await self._post_message(message, thread, metadata, broadcast=broadcast)]
        except SlackApiError as exc:
            plain = plainer(message)
            if error_of(exc) not in TOO_RICH or plain == [message]:
                raise
            log.warning("Slack refused a message (%s): posting it as plain text", error_of(exc))
        shown: list[str] = []
        for part in plain:
            first = not shown
            try:
                ts = await self._post_message(
                    part, thread, metadata if first else None, broadcast=broadcast and first
                )
            except SlackApiError as exc:
                if not part.blocks or error_of(exc) not in TOO_RICH:
                    raise
                log.warning("Slack refused a reply's buttons (%s): dropped", error_of(exc))
                continue
            shown.append(ts)
            thread = thread or ts  # a reply that starts a thread: its other pieces go there
        return shown

    async def _tidy(self, channel: str, ts: str, error: str) -> None:
        """Best effort: a message whose final state was posted anew stops saying
        "Writing…" and offering Cancel. It says "Moved below" (unless chat.update is what
        is rate-limited), else it is deleted."""
        if error != RATE_LIMITED:
            try:
                await self._edit(channel, ts, SlackMessage(MOVED))  # text alone: no Cancel
                return
            except SlackApiError as exc:
                log.info("could not mark Slack message %s as moved: %s", ts, error_of(exc))
        await self._drop(channel, ts)

    async def _drop(self, channel: str, ts: str) -> None:
        """Delete a message of ours, best effort (someone may have deleted it first)."""
        try:
            await self._api("chat_delete", channel=channel, ts=ts)
        except SlackApiError as exc:
            log.info("could not delete Slack message %s: %s", ts, error_of(exc))


def error_of(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or "")


def plainer(message: SlackMessage) -> list[SlackMessage]:
    """``message`` plainer, for when Slack refuses it (invalid_blocks, msg_too_long): the
    text of its blocks in order, as text alone in pieces a section would hold, then its
    buttons on a message of their own (they may be what Slack refused). A message of
    buttons alone has no plainer form: []."""
    texts: list[str] = []
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            texts.append(str(block["text"].get("text") or ""))
        texts.extend(str(f.get("text") or "") for f in block.get("fields") or [])
        if block.get("type") == "context":
            texts.extend(str(e.get("text") or "") for e in block.get("elements") or [])
    text = "\n\n".join(t for t in texts if t.strip()) if message.blocks else message.text
    if not text.strip():
        return []
    plain = [SlackMessage(piece) for piece in split_text(text, PLAIN_CHARS)]
    buttons = [b for b in message.blocks if b.get("type") == "actions"]
    if buttons:
        plain.append(SlackMessage(BUTTONS_TEXT, buttons))
    return plain


async def hint(response_url: str, text: str, session: aiohttp.ClientSession | None) -> None:
    """An ephemeral note by response_url (it works where the bot cannot post; the URL is
    a token, so the client's logger is held at WARNING: ``sdk_logger``). A response_url
    refuses with an HTTP status and a plain-text error (``invalid_blocks``), which the
    webhook client returns rather than raises: that is logged too."""
    logger = sdk_logger("bot.adapters.slack.webhook")
    try:
        resp = await AsyncWebhookClient(response_url, session=session, logger=logger).send(
            text=text, response_type="ephemeral"
        )
    except Exception:  # a courtesy; the caller raises the real error
        log.warning("could not send a hint to response_url", exc_info=True)
        return
    if resp.status_code != 200:
        log.warning("response_url refused a hint: %s %s", resp.status_code, resp.body[:100])
