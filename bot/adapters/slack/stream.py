"""Slack's native streaming for a reply being written in a thread.

chat.startStream opens the message with the reply's title, chat.appendStream adds what
the model wrote since (the newest partial state when its turn comes: the states are
coalesced by the adapters' one edit policy, bot/adapters/throttle.py, without touching
the workspace's chat.update budget), and chat.stopStream closes it; the final reply then
replaces the message by chat.update as any other final state, so it looks exactly as it
would have without streaming, buttons and footer included.

Where Slack answers that it cannot stream (the method is unknown to the workspace, the
app lacks the feature, the channel type does not allow it) the adapter remembers it and
uses today's throttled chat.update instead; a stream that breaks midway (a partial state
that rewrites what was already streamed, an append Slack refuses) is stopped and the
message goes on by chat.update.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.slack.markup import escape
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.tokens import WorkspaceGone, revoked
from bot.adapters.throttle import Throttle
from core.types import Place, Reply

log = logging.getLogger(__name__)

WORKSPACE_REFUSALS = frozenset(
    {
        "unknown_method",
        "not_allowed",
        "not_allowed_token_type",
        "missing_scope",
        "feature_not_enabled",
        "method_deprecated",
        "no_permission",
    }
)
"""startStream errors that mean the workspace (or the app) cannot stream anywhere."""
CHANNEL_REFUSALS = frozenset(
    {"method_not_supported_for_channel_type", "channel_type_not_supported", "not_in_channel"}
)
"""startStream errors that mean this kind of channel cannot."""
APPEND_CHARS = 12_000
"""Slack's limit on one call's markdown_text."""
_PLACEHOLDER = re.compile(r"^_[^_\n]*_$")
_WRITING_MARK = re.compile(r"\s*…$")


def refused(exc: SlackApiError) -> str | None:
    """ "workspace" or "channel" when the error says streaming is not available there."""
    error = str(exc.response.get("error") or "")
    if error in WORKSPACE_REFUSALS:
        return "workspace"
    if error in CHANNEL_REFUSALS:
        return "channel"
    return None


def streamable(reply: Reply) -> bool:
    """Whether a partial state can be streamed as markdown (a screenplay cannot)."""
    return reply.partial and reply.format == "markup" and not reply.private


def stream_text(reply: Reply) -> str:
    """What a partial state shows as streamed markdown: the title in bold, then the body
    without its "still writing" mark; a placeholder ("_Writing…_") shows nothing yet."""
    body = _WRITING_MARK.sub("", reply.body.rstrip())
    if _PLACEHOLDER.match(body.strip()):
        body = ""
    head = f"**{escape(reply.title)}**\n\n" if reply.title else ""
    return head + escape(body)


async def open_stream(
    rt: SlackRuntime, client: Any, place: Place, thread: str, user: str, reply: Reply
) -> SlackStream | None:
    """chat.startStream in ``thread`` with a partial state; None when Slack cannot stream
    there (remembered for the workspace or the channel, so it is asked once). While a
    workspace's first stream waits for Slack's answer, the others wait for it too: a
    burst of replies in a workspace that cannot stream asks once, not once each."""
    first = rt.first_stream.get(place.workspace)
    if first is None:  # this workspace's first: the others wait for Slack's answer to it
        first = rt.first_stream[place.workspace] = asyncio.get_running_loop().create_future()
        try:
            return await _start(rt, client, place, thread, user, reply)
        finally:
            if not first.done():
                first.set_result(None)
    await asyncio.shield(first)
    return await _start(rt, client, place, thread, user, reply)


async def _start(
    rt: SlackRuntime, client: Any, place: Place, thread: str, user: str, reply: Reply
) -> SlackStream | None:
    team, channel = place.workspace, place.channel
    where = f"{team}/{channel}"
    if team in rt.no_streaming or where in rt.no_streaming:
        return None
    text = stream_pieces(stream_text(reply) or "…")[0]  # the rest follows by appendStream
    try:
        resp = await client.chat_startStream(
            channel=channel,
            thread_ts=thread,
            markdown_text=text,
            recipient_team_id=team or None,
            recipient_user_id=user or None,
        )
    except SlackApiError as exc:
        scope = refused(exc)
        if scope is None:
            if revoked(exc):
                raise WorkspaceGone(team) from None
            raise
        log.info(
            "Slack cannot stream in %s (%s): editing instead", where, exc.response.get("error")
        )
        rt.no_streaming.add(team if scope == "workspace" else where)
        return None
    ts = str(resp["ts"])
    rt.edits.touched(team)
    rt.edits.message(team, channel, ts).edits.sent_now()
    return SlackStream(client, channel, ts, text, rt.edits.stream_throttle())


def stream_pieces(text: str) -> list[str]:
    """``text`` in pieces of at most APPEND_CHARS (what startStream and appendStream take
    at once), never cutting an escaped character ("&amp;") in two."""
    pieces = []
    while len(text) > APPEND_CHARS:
        cut = APPEND_CHARS
        amp = text.rfind("&", cut - 5, cut)
        if amp != -1 and ";" not in text[amp:cut]:
            cut = amp
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text]


class SlackStream:
    """One message being streamed: what was sent, and the newest state waiting."""

    def __init__(self, client: Any, channel: str, ts: str, sent: str, throttle: Throttle) -> None:
        self.client = client
        self.channel = channel
        self.ts = ts
        self.sent = sent
        self.throttle = throttle
        self.broken = False
        """Streaming stopped midway: the message goes on by chat.update."""
        self._newest = sent
        self._stopped = False

    async def show(self, reply: Reply) -> bool:
        """Stream a partial state; False when it cannot be streamed (the caller edits)."""
        if self.broken:
            return False
        text = stream_text(reply)
        if not text.startswith(self.sent):  # it rewrites what was streamed already
            self.broken = True
            await self.stop()
            return False
        self._newest = text
        await self.throttle.edit(self._append, final=False)
        return True

    async def _append(self) -> None:
        newest = self._newest
        if not newest.startswith(self.sent) or newest == self.sent or self._stopped:
            return
        delta = newest[len(self.sent) :]
        try:
            for piece in stream_pieces(delta):
                await self.client.chat_appendStream(
                    channel=self.channel, ts=self.ts, markdown_text=piece
                )
        except SlackApiError as exc:
            log.info("appendStream refused (%s): editing instead", exc.response.get("error"))
            self.broken = True
            await self._close()  # inside the throttle's turn: not through stop()
            return
        self.sent = newest

    async def stop(self) -> None:
        """Close the stream (once); what waits is dropped, the final state follows."""
        await self.throttle.stop()
        await self._close()

    async def _close(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        try:
            await self.client.chat_stopStream(channel=self.channel, ts=self.ts)
        except SlackApiError as exc:  # already stopped or expired: chat.update still works
            log.info("stopStream: %s", exc.response.get("error"))
