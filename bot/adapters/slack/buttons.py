"""A press of one of a reply's buttons: kind and ref come from the action_id, the
message's thread is the place.

The press first holds its button for its presser (bot/adapters/presses.py), so a double
click, or the same press delivered twice, to this process or another, runs its job once;
the second is told privately that the first is at work.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.adapters.feedback import DRAFT_ACTIONS, made_as_draft
from bot.adapters.presses import ALREADY_ON_IT, hold
from bot.adapters.slack.assistant import works_on
from bot.adapters.slack.responder import SlackResponder
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.translate import CAPABILITIES, PLATFORM, decode_action
from bot.jobs import Job
from core.types import ACTION, ActionArgs, ActionKind, Author, Invocation, Place, Reply

log = logging.getLogger(__name__)

Body = Mapping[str, Any]


async def on_button(rt: SlackRuntime, body: Body, action: Body) -> None:
    action_id = str(action.get("action_id") or "")
    decoded = decode_action(action_id)
    if decoded is None:
        return
    message = body.get("message") or {}
    container = body.get("container") or {}
    user = body.get("user") or {}
    team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
    ts = str(message.get("ts") or container.get("message_ts") or "")
    thread = str(message.get("thread_ts") or container.get("thread_ts") or ts)
    if not (team and channel and thread):
        log.warning("button press without a message place: %s", action_id)
        return
    here = Place(PLATFORM, team, channel, thread)
    presser = str(user.get("id") or "")
    press = await hold(rt.app.store, PLATFORM, team, channel, ts or thread, action_id, presser)
    if press is None:
        await SlackResponder(rt, here, presser, private=True).post(Reply.info(ALREADY_ON_IT))
        return
    job = None
    try:
        job = await _run(rt, body, here, decoded, private=bool(container.get("is_ephemeral")))
    finally:
        press.give_back(job, lambda work: rt.spawn(work, "press", lane=False))


async def _run(
    rt: SlackRuntime, body: Body, here: Place, decoded: tuple[ActionKind, str], *, private: bool
) -> Job | None:
    """The press as an invocation on the place it works on (an assistant thread's
    channel); its job, if it started one."""
    kind, ref = decoded
    place = await works_on(rt, here)
    author = await author_of(rt, body)
    answer_at = here if here != place else None
    args = ActionArgs(kind, ref)
    inv = Invocation(ACTION, None, args, f"[{kind}]", place, author, CAPABILITIES, answer_at)
    responder = SlackResponder(
        rt,
        here,
        author.id,
        private=private,
        source_thread=here.thread,
        assistant=here.channel.startswith("D"),
        reads=place.channel,
    )
    if kind in DRAFT_ACTIONS:
        responder.made = await made_as_draft(rt.app.store, place, rt.app.resources.engine)
    return await rt.app.dispatcher.handle(inv, responder)


async def author_of(rt: SlackRuntime, body: Body) -> Author:
    """The person who clicked or submitted (interaction payloads carry a username)."""
    user = body.get("user") or {}
    name = user.get("username") or user.get("name")
    team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    return await rt.users.author(str(user.get("id") or ""), name, team=team)
