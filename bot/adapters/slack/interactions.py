"""The Slack requests that are not commands: forms (open and submit), feedback presses.

- ``open_form``: a slash command that asks for a form (commands.forms.form_request: a
  ``/character edit Mara`` without a field) opens it with the command's trigger_id, at
  once (a trigger lasts 3 seconds); what the form is about not existing is answered
  privately, as the command would have.
- ``submit_form``: the form's submission, checked and saved before the ack, so the ack
  can carry what to show: errors under their inputs, a page saying what went, or nothing
  (the modal closes and its author gets a private note of what was saved). The same
  submission delivered twice is dropped the second time; a second one with the same
  values saves nothing anyway (commands/forms.py). A save that fails, or that the
  database holds up past FORM_SAVE_WAIT, keeps the form open with its text and says so,
  and Save pressed again saves.
- ``record_feedback``: a Good / Not good press, stored with what made the reply.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.presses import Press, hold
from bot.adapters.slack.assistant import works_on
from bot.adapters.slack.feedback import read_press
from bot.adapters.slack.forms import errors_answer, form_modal, notice_answer, read_form
from bot.adapters.slack.markup import to_mrkdwn
from bot.adapters.slack.responder import SlackResponder
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.translate import PLATFORM
from commands.forms import FormInvalid, FormRequest, submit
from commands.forms import open_form as load_form
from core.errors import CommandError
from core.types import Author, Place, Reply
from storage.api import Vote

log = logging.getLogger(__name__)

Body = Mapping[str, Any]

FORM_SAVE_WAIT = 2.0
"""Seconds a form's hold and save may take before its ack says it was not saved (Slack
waits 3 s for the ack)."""
SETTLE_WAIT = 0.5
"""Seconds the ack waits, after that, for the hold to be kept or given back."""
SAVING = FORM_SAVE_WAIT + SETTLE_WAIT
"""Seconds a submission holds its form while it saves: no longer than its ack takes, so a
hold written late (a write the locked file held back, which no cancel takes back) has run
out by the time the person reads that nothing was saved."""
SAVED = 15 * 60.0
"""Seconds a saved submission holds its form: a repeat of it within them is dropped."""
NOT_SAVED = (
    "Not saved: something went wrong on my side. Your text is still here: "
    "press Save again in a moment."
)
STILL_SAVING = "Already saved, or still saving: wait a moment before pressing Save again."
FORM_APOLOGY = (
    "Sorry, something went wrong on my side and nothing was saved. Try again in a moment."
)


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
    """Check and save a submitted form; returns the ack's payload (None: close).

    The submission first holds its form (bot/adapters/presses.py: the view and the values
    submitted), so the same submission delivered twice saves once. The hold and the save
    get FORM_SAVE_WAIT together: a database that is locked or gone away would keep the
    answer past Slack's 3 seconds, and Slack would tell the person the form failed while
    it might still save. Instead the form stays open with its text and says it was not
    saved, and the hold is given back, so pressing Save again saves."""
    read = read_form(view)
    user = body.get("user") or {}
    team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    if read is None or read.team != team:
        log.warning("form submission with unreadable metadata")
        return notice_answer("Not saved", "This form can't be read any more. Open it again.")
    digest = hashlib.sha256(json.dumps(read.values, sort_keys=True).encode()).hexdigest()[:16]
    press: Press | None = None
    try:
        async with asyncio.timeout(FORM_SAVE_WAIT):
            view_id = str(view.get("id") or "")
            press = await hold(
                rt.app.store, PLATFORM, team, "form", view_id, digest, seconds=SAVING
            )
            if press is None:  # the same submission again: Slack ignores this answer if
                return in_form(view, STILL_SAVING)  # the first one closed the form
            author = await rt.users.author(
                str(user.get("id") or ""), user.get("username") or user.get("name"), team=team
            )
            key = (PLATFORM, read.team, read.channel)
            saved = await submit(rt.app.store, key, read.ref, read.values, author)
    except FormInvalid as exc:
        await _settle(press, 0.0)  # the same values again are checked again
        return errors_answer(exc.errors)
    except CommandError as exc:  # FormGone and the like: the page says why, the form is gone
        return notice_answer("Not saved", to_mrkdwn(exc.message))
    except Exception as exc:  # TimeoutError too
        log.warning(
            "a form was not saved (%s)",
            type(exc).__name__,
            exc_info=None if isinstance(exc, TimeoutError) else exc,
        )
        await _settle(press, 0.0)
        return in_form(view, NOT_SAVED)
    await _settle(press, SAVED)
    place = Place(PLATFORM, read.team, read.channel)
    rt.spawn(_note(rt, place, author.id, saved.message()), "form-saved")
    return None


async def _settle(press: Press | None, seconds: float) -> None:
    """Hold the form ``seconds`` more (0: give it back now). Best effort, and short: the
    ack waits for it; a hold left as it was runs out after SAVING seconds."""
    if press is None:
        return
    try:
        async with asyncio.timeout(SETTLE_WAIT):
            await (press.keep(seconds) if seconds else press.release())
    except Exception as exc:
        log.warning("could not settle a form's hold (%s)", type(exc).__name__)


def in_form(view: Body, message: str) -> dict[str, Any]:
    """The ack that keeps the form open, its text as typed, showing ``message`` under its
    first input (Slack shows errors only under inputs)."""
    blocks = [b for b in view.get("blocks") or () if isinstance(b, Mapping)]
    inputs = [str(b["block_id"]) for b in blocks if b.get("type") == "input" and b.get("block_id")]
    if not inputs:
        return notice_answer("Not saved", FORM_APOLOGY)
    return {"response_action": "errors", "errors": {inputs[0]: message}}


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
