"""What a person hears when the work after an acknowledgment fails before it answered.

A listener's work runs after Slack has its 200 (runtime.py: ``spawn``). When it fails
before any reply or job exists (the database gone away while the request's claim or the
job's row is written, say), the failure used to end in a log line, and the person in
silence. The apology goes where no database is needed: a slash command's or a button's
response_url, or, for a mention or a direct message, the thread of the message that asked
(with the workspace's token). Nothing else is said: a message the bot may not have been
meant to answer (a reply in someone's thread) gets no apology.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.adapters.slack.delivery import hint
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.translate import event_team

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, I couldn't start that: something on my side is down for a moment. "
    "Try again in a minute."
)
Body = Mapping[str, Any]


async def by_response_url(rt: SlackRuntime, body: Body) -> None:
    """The apology for a slash command or a button press, to its presser alone."""
    url = body.get("response_url")
    if url:
        await hint(str(url), SORRY, rt.client.session)


async def in_thread(rt: SlackRuntime, body: Body, event: Body) -> None:
    """The apology for a mention (or a direct message), in the thread it asked in."""
    team, channel = event_team(body, event), str(event.get("channel") or "")
    thread = event.get("thread_ts") or event.get("ts")
    if not (channel and thread):
        return
    try:
        client = await rt.client_for(team)
        await client.chat_postMessage(channel=channel, thread_ts=str(thread), text=SORRY)
    except Exception as exc:  # a courtesy: the failure is logged already
        log.info("could not apologize in a thread (%s)", type(exc).__name__)
