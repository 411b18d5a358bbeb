"""Bolt listeners: each kind of Slack request becomes an Invocation for the dispatcher.

Every listener acknowledges first and hands the rest to a task the runtime owns
(``SlackRuntime.spawn``): the dispatcher only queues a job, so Slack gets its answer within
milliseconds whatever the model is doing.

- Slash commands (every registry command): the command text as a typed line, parsed once
  here (its spec says whether the author's role matters, and whether it needs a thread)
  and handed to the dispatcher parsed. Slack sends no thread_ts for a slash command, even
  typed in a thread, so the result starts a new thread in the channel; mention the bot in
  the thread to answer there instead. A command that needs a thread and was given nothing
  (a bare ``/summarize thread``) has none to read: its author gets a private hint saying
  how (the shortcut, or a mention in the thread).
- ``message`` events: a plain reply in a thread the bot started is a follow-up on its
  draft. Edits, deletions, joins and bot messages return at once, costing nothing.
- ``app_mention``: the text after the mention as a command line, or, in a thread that
  holds a draft of the bot's, as a follow-up.
- Buttons: kind and ref come from the action_id; the message's thread is the place; a
  press is done once however often it arrives (buttons.py). Good / Not good under a
  generated reply records a vote (interactions.py).
- The "Summarize thread" shortcut and its modal (see shortcuts.py); App Home (home.py).
- A command that asks for a form opens it, and its submission is saved before the ack,
  which carries the form's errors (interactions.py).
- The assistant side panel: suggested prompts when a thread starts, and what is asked in
  it works on the channel the person was looking at (assistant.py).

A generating command's responder carries what makes its replies (feedback buttons); every
lookup and call goes with the workspace's own token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.adapters.feedback import Made, made_by
from bot.adapters.slack import sorry
from bot.adapters.slack.assistant import KIND as ASSISTANT_KIND
from bot.adapters.slack.assistant import on_context_changed, on_thread_started, works_on
from bot.adapters.slack.buttons import author_of, on_button
from bot.adapters.slack.feedback import FEEDBACK_PREFIX
from bot.adapters.slack.forms import FORM_VIEW, notice_answer
from bot.adapters.slack.home import publish_home
from bot.adapters.slack.interactions import (
    FORM_APOLOGY,
    open_form,
    record_feedback,
    submit_form,
)
from bot.adapters.slack.responder import SlackResponder
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.shortcuts import (
    SUMMARIZE_CALLBACK,
    SUMMARIZE_FROM_HERE_CALLBACK,
    SUMMARIZE_VIEW,
    delivery_modal,
    read_submission,
    summarize_invocation,
    target_of,
)
from bot.adapters.slack.translate import (
    ACTION_PREFIX,
    CAPABILITIES,
    PLATFORM,
    THREAD_HINT,
    after_mention,
    command_line,
    command_place,
    event_team,
    mention_line,
    slack_to_plain,
)
from bot.parsing import Parsed, parse_options
from commands.forms import form_request
from core.errors import CommandError
from core.types import Place, Reply

log = logging.getLogger(__name__)

Body = Mapping[str, Any]
Json = dict[str, Any]
FOLLOW_UP_SUBTYPES = (None, "thread_broadcast", "file_share")
"""Message subtypes a person writes; every other subtype (edits, deletions, joins, bot
messages) is dropped before anything is looked up."""


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    """Attach every listener. Bolt injects arguments by name; each wrapper passes them on
    explicitly to a plain function of (runtime, payload).

    Bolt tries its listeners in the order they were added and builds every argument a
    matcher might want for each one it tries (~20 µs each), so the most frequent requests
    come first (messages, mentions, then every slash command in one listener) and find
    theirs at the first, second or third try, not behind a listener per command."""

    async def command(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        rt.spawn(on_command(rt, body), "command", sorry=lambda: sorry.by_response_url(rt, body))

    # Events are acknowledged by Bolt itself before the listener runs.
    async def message(body: Json, event: Json, context: AsyncBoltContext) -> None:
        direct = event.get("channel_type") == "im"  # said to the bot: worth an apology
        apology = (lambda: sorry.in_thread(rt, body, event)) if direct else None
        rt.spawn(on_message(rt, body, event, context.bot_user_id), "message", sorry=apology)

    async def mention(body: Json, event: Json, context: AsyncBoltContext) -> None:
        work = on_mention(rt, body, event, context.bot_user_id)
        rt.spawn(work, "app_mention", sorry=lambda: sorry.in_thread(rt, body, event))

    async def home(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if event.get("tab", "home") == "home" and context.team_id:
            rt.spawn(on_home(rt, context.team_id, str(event["user"])), "app_home")

    async def thread_started(body: Json, event: Json) -> None:
        rt.spawn(on_thread_started(rt, str(body.get("team_id") or ""), event), "assistant")

    async def context_changed(body: Json, event: Json) -> None:
        rt.spawn(on_context_changed(rt, str(body.get("team_id") or ""), event), "assistant")

    async def feedback(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        rt.spawn(record_feedback(rt, body, action), "feedback")

    async def form(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            answer = await submit_form(rt, body, view)  # before the ack: it may carry errors
        except Exception:
            log.exception("a form submission failed")
            answer = notice_answer("Not saved", FORM_APOLOGY)
        await ack(**(answer or {}))

    async def button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        rt.spawn(
            on_button(rt, body, action), "button", sorry=lambda: sorry.by_response_url(rt, body)
        )

    async def shortcut(ack: AsyncAck, shortcut: dict[str, Any]) -> None:
        await ack()  # the trigger_id stays valid for 3 s: open the modal right away,
        rt.spawn(on_shortcut(rt, shortcut), "shortcut", lane=False)  # not behind a burst

    async def submitted(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        rt.spawn(on_summarize(rt, body, view), "summarize")

    bolt.event("message")(message)
    bolt.event("app_mention")(mention)
    names = "|".join(re.escape(spec.name) for spec in rt.app.registry)
    bolt.command(re.compile(f"^/(?:{names})$"))(command)
    bolt.event("app_home_opened")(home)
    bolt.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(button)
    bolt.message_shortcut(SUMMARIZE_CALLBACK)(shortcut)
    bolt.message_shortcut(SUMMARIZE_FROM_HERE_CALLBACK)(shortcut)
    bolt.view(SUMMARIZE_VIEW)(submitted)
    if rt.installations is None:  # OAuth mode has Bolt's own, over the installation store

        async def uninstalled(body: Json, event: Json) -> None:
            team = str(body.get("team_id") or "")
            log.warning(
                "Slack workspace %s: %s; SLACK_BOT_TOKEN stops working", team, event["type"]
            )
            rt.forget_team(team)

        bolt.event("app_uninstalled")(uninstalled)
        bolt.event("tokens_revoked")(uninstalled)
    bolt.event("assistant_thread_started")(thread_started)
    bolt.event("assistant_thread_context_changed")(context_changed)
    bolt.action(re.compile(f"^{re.escape(FEEDBACK_PREFIX)}"))(feedback)
    bolt.view(FORM_VIEW)(form)


CLAIMED_BY_MESSAGE = frozenset({"message", "app_mention"})
"""Events whose listener claims the message itself (its channel and ts) before any work,
which a retry of the event carries too: they need no claim of their event_id, and the
messages a listener drops at once (edits, joins, channel chatter) cost no write."""


class SkipRepeats(AsyncMiddleware):
    """Global middleware: a retried or duplicated event (same event_id) is acknowledged
    and dropped, so Slack's retries never produce a second reply. Messages and mentions
    are claimed by their listeners instead (CLAIMED_BY_MESSAGE). A middleware class
    rather than a function: Bolt calls it as it is, where a function's arguments are
    worked out for every request (about 20 µs of each)."""

    def __init__(self, rt: SlackRuntime) -> None:
        self.rt = rt

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and (body.get("event") or {}).get("type") in CLAIMED_BY_MESSAGE:
            event_id = None
        if event_id and not await self.rt.seen.first("event", str(event_id)):
            return BoltResponse(status=200, body="")
        return await next()


async def on_command(rt: SlackRuntime, body: Body) -> None:
    trigger = body.get("trigger_id")
    if trigger and not await rt.seen.first("trigger", str(trigger)):
        return
    line = command_line(body)
    place = command_place(body)
    user = str(body.get("user_id") or "")
    responder = SlackResponder(rt, place, user, response_url=body.get("response_url"))
    parsed = await _parsed(rt, line, responder)
    if parsed is None:
        return
    if parsed.needs_thread:
        await SlackResponder(rt, place, user, private=True).post(Reply.info(THREAD_HINT))
        return
    author = await rt.users.author(
        user, body.get("user_name"), team=place.workspace, need_role=parsed.destructive
    )
    request = form_request(parsed.resolved.path, parsed.args)
    if request is not None and trigger:
        await open_form(rt, request, place, author, str(trigger))
        return
    responder.made = _made(rt, parsed)
    await rt.app.dispatcher.handle_parsed(parsed, line, place, author, responder, CAPABILITIES)


async def on_message(rt: SlackRuntime, body: Body, event: Body, bot_user: str | None) -> None:
    if event.get("subtype") not in FOLLOW_UP_SUBTYPES or event.get("bot_id"):
        return
    user, text = str(event.get("user") or ""), str(event.get("text") or "")
    direct = event.get("channel_type") == "im"
    mentioned = bool(bot_user) and f"<@{bot_user}" in text
    if not user or user == bot_user or (mentioned and not direct):
        return  # answered by the message's app_mention event (Slack sends none in a DM)
    thread, ts = event.get("thread_ts"), str(event.get("ts") or "")
    top_level = not thread or thread == ts
    if top_level and not direct:
        return
    parent = event.get("parent_user_id")
    if not top_level and not direct and bot_user and parent and parent != bot_user:
        return  # someone else's thread (a DM's threads are the person's with the bot)
    team, channel = event_team(body, event), str(event.get("channel") or "")
    if not await rt.seen.first("message", team, channel, ts):
        return
    plain = slack_to_plain(after_mention(text, bot_user) if mentioned else text)
    here = Place(PLATFORM, team, channel, None if top_level else str(thread))
    place = await works_on(rt, here)  # an assistant thread works on the channel it was opened on
    if top_level:  # a direct message to the bot reads like a mention
        line = mention_line(plain, rt.app.registry)
    else:
        if await _has_draft(rt, place):
            line = plain
        elif direct:  # a thread of the DM (the assistant panel): a request, as a mention
            line = mention_line(plain, rt.app.registry, in_thread=True)
        else:
            return
    responder = responder_at(rt, place, here, user)
    await _dispatch_line(rt, line, place, user, responder)


async def on_mention(rt: SlackRuntime, body: Body, event: Body, bot_user: str | None) -> None:
    user = str(event.get("user") or "")
    if event.get("bot_id") or not user or user == bot_user:
        return
    team, channel = event_team(body, event), str(event.get("channel") or "")
    if not await rt.seen.first("message", team, channel, str(event.get("ts") or "")):
        return
    thread = event.get("thread_ts")
    plain = slack_to_plain(after_mention(str(event.get("text") or ""), bot_user))
    line = mention_line(plain, rt.app.registry, in_thread=bool(thread))
    # In a thread, the answer goes to that thread (and /summarize reads it).
    place = Place(PLATFORM, team, channel, str(thread) if thread else None)
    responder = responder_at(rt, place, place, user)
    await _dispatch_line(rt, line, place, user, responder)


async def _parsed(rt: SlackRuntime, line: str, responder: SlackResponder) -> Parsed | None:
    """A command line read once; a typing mistake is answered here (None)."""
    try:
        return rt.app.dispatcher.parse(line)
    except CommandError as exc:
        await responder.post(Reply.error(exc.message))
        return None


async def _dispatch_line(
    rt: SlackRuntime, line: str, place: Place, user: str, responder: SlackResponder
) -> None:
    """A message's line: a command (parsed once, here) or a plain follow-up."""
    team = place.workspace
    answer_at = responder.place if responder.place != place else None  # the assistant panel
    if not line.strip().startswith("/"):
        author = await rt.users.author(user, team=team, need_role=False)

        def made(command: str) -> None:  # what the reply's feedback is labelled with
            responder.made = made_by(command, rt.app.resources.engine)

        await rt.app.dispatcher.handle_text(
            line, place, author, responder, CAPABILITIES, made, answer_at
        )
        return
    parsed = await _parsed(rt, line, responder)
    if parsed is None:
        return
    author = await rt.users.author(user, team=team, need_role=parsed.destructive)
    responder.made = _made(rt, parsed)
    await rt.app.dispatcher.handle_parsed(
        parsed, line, place, author, responder, CAPABILITIES, answer_at
    )


def responder_at(rt: SlackRuntime, place: Place, here: Place, user: str) -> SlackResponder:
    """The responder for a message at ``here`` that works on ``place`` (the same place,
    except in an assistant thread working on a channel; a job resumed after a restart is
    answered by one made the same way, from its ``answer_at``)."""
    return SlackResponder(
        rt,
        here,
        user,
        source_thread=here.thread,
        assistant=here.channel.startswith("D") and here.thread is not None,
        reads=place.channel,
    )


async def _has_draft(rt: SlackRuntime, place: Place) -> bool:
    if place.thread is None:
        return False
    conv = await rt.app.store.conversation_at(
        (place.platform, place.workspace, place.channel, place.thread)
    )
    return conv is not None and conv.kind != ASSISTANT_KIND


def _made(rt: SlackRuntime, parsed: Parsed) -> Made | None:
    """What makes a generating command's replies (None for the others: no feedback)."""
    if parsed.resolved.leaf.job != "text":
        return None
    return made_by(parsed.resolved.path, rt.app.resources.engine)


async def on_shortcut(rt: SlackRuntime, shortcut: Body) -> None:
    target = target_of(shortcut)
    client = await rt.client_for(target.team)
    await client.views_open(trigger_id=shortcut["trigger_id"], view=delivery_modal(target))


async def on_home(rt: SlackRuntime, team: str, user: str) -> None:
    await publish_home(await rt.client_for(team), rt.app.store, team, user)


async def on_summarize(rt: SlackRuntime, body: Body, view: Body) -> None:
    read = read_submission(view)
    if read is None:
        log.warning("summarize modal with unreadable metadata")
        return
    view_id = str(view.get("id") or "")
    if view_id and not await rt.seen.first("view", view_id, str(view.get("hash") or "")):
        return  # the same submission again (a double click): summarized the first time
    target, delivery = read
    author = await author_of(rt, body)
    options = {"delivery": delivery} | ({"start": target.start} if target.start else {})
    parsed = parse_options(rt.app.registry, "summarize", "thread", options)
    inv = summarize_invocation(target, author, parsed.args)
    responder = SlackResponder(
        rt, inv.place, author.id, private=delivery == "private", source_thread=target.thread
    )
    responder.made = _made(rt, parsed)
    await rt.app.dispatcher.handle(inv, responder, resolved=parsed.resolved)
