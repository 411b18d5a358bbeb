"""What a job showed on Slack, read back after its process died.

Every message a job posts or edits carries Slack message metadata (``tag``): the job's
id and whether the state is final. Posting metadata needs no scope; reading it back
(``include_all_metadata``) needs the history scopes the app already has. A survivor
taking the job over (bot/recovery.py) asks ``shown`` what the job had shown, so a reply
that was already final is left alone and a draft the job row never recorded is found.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError

from core.types import MessageHandle, Place, Reply, Shown

log = logging.getLogger(__name__)

Json = dict[str, Any]
Api = Callable[..., Awaitable[Any]]
"""One Web API call with the workspace's token (``SlackResponder._api``)."""

REPLY_EVENT = "writersroom_reply"
"""The metadata event type of a job's messages (event_payload: job, final)."""
SCAN = 200
"""Messages read back when looking for a job's message (its thread, or the channel since
the job was made): a taken-over job is recent."""
CLOCK_SLACK = 5.0
"""Seconds read before the job was made: the clocks of two machines."""


def tag(reply: Reply) -> Json | None:
    """A job's reply as Slack message metadata: the job and whether the state is final."""
    if reply.job is None:
        return None
    return {
        "event_type": REPLY_EVENT,
        "event_payload": {"job": reply.job, "final": not reply.partial},
    }


async def shown(
    api: Api, place: Place, job: str, since: float, handle: MessageHandle | None
) -> Shown | None:
    """The job's messages read back by their metadata: from its thread (the one its
    first message started or lives in, else ``place``'s), or for a reply that started a
    thread, the channel's messages since the job was made. Final when any of them reached
    its final state; the handle is the first. None when none is found or Slack would not
    say."""
    channel = str(handle.extra.get("channel") or place.channel) if handle else place.channel
    thread = handle.thread if handle is not None else place.thread
    where: Json = {"ts": thread} if thread else {"oldest": f"{since - CLOCK_SLACK:.6f}"}
    method = "conversations_replies" if thread else "conversations_history"
    try:
        resp = await api(method, channel=channel, include_all_metadata=True, limit=SCAN, **where)
    except SlackApiError as exc:
        log.info("could not read back job %s's messages: %s", job, exc.response.get("error"))
        return None
    mine = [m for m in resp.get("messages") or [] if _job_of(m) == job]
    if not mine:
        return None
    first = min(mine, key=lambda m: float(m["ts"]))
    ts = str(first["ts"])
    started = str(first.get("thread_ts") or ts)
    return Shown(
        MessageHandle(ts, place.in_thread(started), started, {"channel": channel}),
        final=any(_job_of(m, final=True) == job for m in mine),
    )


def _job_of(message: Json, *, final: bool = False) -> str | None:
    """The job a message read back belongs to (by its metadata); with ``final``, only a
    final state counts."""
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    if meta.get("event_type") != REPLY_EVENT or (final and not payload.get("final")):
        return None
    return str(payload.get("job") or "") or None
