"""The Slack requests that are not commands: forms (open and submit), feedback presses.

- ``open_form``: a slash command that asks for a form (commands.forms.form_request: a
  ``/character edit Mara`` without a field) opens it with the command's trigger_id, at
  once (a trigger lasts 3 seconds); what the form is about not existing is answered
  privately, as the command would have.
- ``submit_form``: the form's submission, checked and saved before the ack, so the ack
  can carry what to show: errors under their inputs, a page saying what went, or nothing
  (the modal closes and its author gets a private note of what was saved). The same
  submission delivered twice is dropped the second time; a second one with the same
  values saves nothing anyway (commands/forms.py).
- ``record_feedback``: a Good / Not good press, stored with what made the reply.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.slack.assistant import works_on
from bot.adapters.slack.feedback import read_press
from bot.adapters.slack.forms import errors_answer, form_modal, notice_answer, read_form
from bot.adapters.slack.markup import to_mrkdwn
from bot.adapters.slack.responder import SlackResponder
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.translate import PLATFORM
from commands.forms import FormGone, FormInvalid, FormRequest, submit
from commands.forms import open_form as load_form
from core.errors import CommandError
from core.types import Author, Place, Reply
from storage.api import Vote

log = logging.getLogger(__name__)

Body = Mapping[str, Any]


async def open_form(
    rt: SlackRuntime, request: FormRequest, place: Place, author: Author, trigger: str
) -> None:
    """Open the form a command asked for, or say privately why there is none."""
    try:
        form = await load_form(rt.app.store, place.story_key, request, author)
    except CommandError as exc:
        await SlackResponder(rt, place, author.id, private=True).post(Reply.error(exc.message))
        return
    client = await rt.client_for(place.workspace)
    await client.views_open(
        trigger_id=trigger, view=form_modal(form, place.workspace, place.channel)
    )


async def submit_form(rt: SlackRuntime, body: Body, view: Body) -> dict[str, Any] | None:
    """Check and save a submitted form; returns the ack's payload (None: close)."""
    read = read_form(view)
    user = body.get("user") or {}
    team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    if read is None or read.team != team:
        log.warning("form submission with unreadable metadata")
        return notice_answer("Not saved", "This form can't be read any more. Open it again.")
    digest = hashlib.sha256(json.dumps(read.values, sort_keys=True).encode()).hexdigest()[:16]
    if not await rt.seen.first("view", str(view.get("id") or ""), digest):
        return None  # the same submission again: saved (or refused) the first time
    author = await rt.users.author(
        str(user.get("id") or ""), user.get("username") or user.get("name"), team=team
    )
    key = (PLATFORM, read.team, read.channel)
    try:
        saved = await submit(rt.app.store, key, read.ref, read.values, author)
    except FormInvalid as exc:
        return errors_answer(exc.errors)
    except FormGone as exc:
        return notice_answer("Not saved", to_mrkdwn(exc.message))
    except CommandError as exc:
        return notice_answer("Not saved", to_mrkdwn(exc.message))
    place = Place(PLATFORM, read.team, read.channel)
    rt.spawn(_note(rt, place, author.id, saved.message()), "form-saved")
    return None


async def _note(rt: SlackRuntime, place: Place, user: str, text: str) -> None:
    try:
        await SlackResponder(rt, place, user, private=True).post(Reply.info(text))
    except SlackApiError as exc:  # saved all the same; the note is a courtesy
        log.info("could not confirm a saved form: %s", exc.response.get("error"))


async def record_feedback(rt: SlackRuntime, body: Body, action: Body) -> None:
    """A Good / Not good press: the vote stored, the presser thanked privately."""
    press = read_press(action)
    user = body.get("user") or {}
    team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
    ts = str(message.get("ts") or container.get("message_ts") or "")
    if press is None or not (team and channel and ts):
        log.warning("feedback press without its message")
        return
    good, made = press
    thread = str(message.get("thread_ts") or ts)
    place = await works_on(rt, Place(PLATFORM, team, channel, thread))
    vote = Vote(
        place.story_key, ts, str(user.get("id") or ""), made.command, made.engine, made.model, good
    )
    responder = SlackResponder(
        rt, Place(PLATFORM, team, channel, thread), vote.user_id, private=True
    )
    try:
        first = await rt.app.store.record_feedback(vote)
    except CommandError as exc:
        await responder.post(Reply.error(exc.message))
        return
    verdict = "good" if good else "not good"
    again = "" if first else " (your vote is changed)"
    model = f" ({made.model})" if made.model else ""
    await responder.post(
        Reply.info(
            f"Thanks: noted as {verdict}{again} for /{made.command} by {made.engine}{model}."
        )
    )
