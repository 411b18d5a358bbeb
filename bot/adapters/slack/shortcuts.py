"""The "Summarize thread" and "Summarize from here" message shortcuts: pick where the
summary goes, then summarize.

A shortcut, then a small modal with two choices: into the thread (everyone sees it) or
only to me (an ephemeral message in the thread). "From here", used on a reply, reads the
thread from that reply on (``/summarize thread``'s internal ``start``); on the thread's
first message it is the whole thread. The modal carries channel, thread and start in its
private_metadata, so nothing is kept in memory between the two requests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.adapters.slack.translate import CAPABILITIES, PLATFORM
from core.types import Args, Author, Invocation, Place

SUMMARIZE_CALLBACK = "summarize_thread"
SUMMARIZE_FROM_HERE_CALLBACK = "summarize_from_here"
SUMMARIZE_VIEW = "summarize_thread_delivery"
SUMMARIZE_SHORTCUT = {
    "name": "Summarize thread",
    "type": "message",
    "callback_id": SUMMARIZE_CALLBACK,
    "description": "Decisions, open questions and who said what, in the thread or just to you",
}
SUMMARIZE_FROM_HERE_SHORTCUT = {
    "name": "Summarize from here",
    "type": "message",
    "callback_id": SUMMARIZE_FROM_HERE_CALLBACK,
    "description": "The thread from this message on, in the thread or just to you",
}
SHORTCUTS = (SUMMARIZE_SHORTCUT, SUMMARIZE_FROM_HERE_SHORTCUT)
Delivery = Literal["thread", "private"]
_ID = re.compile(r"^[A-Z0-9]{1,32}$")
_TS = re.compile(r"^\d{1,12}\.\d{1,8}$")


@dataclass(frozen=True, slots=True)
class Target:
    team: str
    channel: str
    thread: str
    start: str = ""
    """The first message to read (its ts); empty: the whole thread."""


def target_of(shortcut: Mapping[str, Any]) -> Target:
    """The thread a message shortcut was used on (the message's thread, or the message),
    and for "Summarize from here" on a reply, where to start."""
    message = shortcut.get("message") or {}
    ts = str(message.get("ts") or shortcut.get("message_ts") or "")
    thread = str(message.get("thread_ts") or ts)
    from_here = shortcut.get("callback_id") == SUMMARIZE_FROM_HERE_CALLBACK
    return Target(
        team=str((shortcut.get("team") or {}).get("id") or ""),
        channel=str((shortcut.get("channel") or {}).get("id") or ""),
        thread=thread,
        start=ts if from_here and ts != thread else "",
    )


def delivery_modal(target: Target) -> dict[str, Any]:
    meta = json.dumps(
        {
            "team": target.team,
            "channel": target.channel,
            "thread": target.thread,
            "start": target.start,
        }
    )
    options = [
        _option("thread", "In the thread", "Everyone in the thread sees the summary"),
        _option("private", "Only to me", "Just you see it, in the thread"),
    ]
    return {
        "type": "modal",
        "callback_id": SUMMARIZE_VIEW,
        "private_metadata": meta,
        "title": {
            "type": "plain_text",
            "text": "Summarize from here" if target.start else "Summarize thread",
        },
        "submit": {"type": "plain_text", "text": "Summarize"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "delivery",
                "label": {"type": "plain_text", "text": "Where should the summary go?"},
                "element": {
                    "type": "radio_buttons",
                    "action_id": "choice",
                    "initial_option": options[0],
                    "options": options,
                },
            }
        ],
    }


def _option(value: str, text: str, description: str) -> dict[str, Any]:
    return {
        "value": value,
        "text": {"type": "plain_text", "text": text},
        "description": {"type": "plain_text", "text": description},
    }


def read_submission(view: Mapping[str, Any]) -> tuple[Target, Delivery] | None:
    """The thread and the choice from a submitted modal; None when it was tampered with."""
    try:
        meta = json.loads(str(view.get("private_metadata") or ""))
        target = Target(
            str(meta["team"]),
            str(meta["channel"]),
            str(meta["thread"]),
            str(meta.get("start") or ""),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not (_ID.match(target.team) and _ID.match(target.channel) and _TS.match(target.thread)):
        return None
    if target.start and not _TS.match(target.start):
        return None
    values = (view.get("state") or {}).get("values") or {}
    chosen = ((values.get("delivery") or {}).get("choice") or {}).get("selected_option") or {}
    delivery: Delivery = "private" if chosen.get("value") == "private" else "thread"
    return target, delivery


def summarize_invocation(target: Target, author: Author, args: Args) -> Invocation:
    """/summarize thread for the shortcut's thread, with its arguments (the delivery
    chosen, bound to the command's args by the caller)."""
    place = Place(PLATFORM, target.team, target.channel, target.thread)
    return Invocation(
        "summarize",
        "thread",
        args,
        "/summarize thread",
        place,
        author,
        CAPABILITIES,
    )
