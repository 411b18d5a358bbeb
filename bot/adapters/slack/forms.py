"""Forms as Slack modals (views.open), and their submissions read back.

The form itself (its fields, the checks, the save as one revision) is commands/forms.py;
here it becomes a modal: one input per field, filled in, long fields several lines, and
a private_metadata carrying the form's ``ref`` with the channel. A submission is read
into plain values; the listener answers Slack with the errors to show next to their
inputs (``response_action: errors``), a page saying what went (``update``), or nothing
(the modal closes).

Slack caps a text input at 3,000 characters: a value longer than that is not put in the
form (it would not open); its input says so, and left empty it keeps the saved value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commands.forms import Form

FORM_VIEW = "writersroom_form"
INPUT_CHARS = 3_000
TITLE_CHARS = 24
_ID = re.compile(r"^[A-Z0-9]{1,32}$")
_BLOCK = "f_"


def _plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit] or " ", "emoji": True}


def form_modal(form: Form, team: str, channel: str) -> dict[str, Any]:
    kept: list[str] = []
    blocks: list[dict[str, Any]] = []
    for f in form.fields:
        holds = min(f.max_length, INPUT_CHARS)
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": f.long,
            "max_length": holds,
        }
        block: dict[str, Any] = {
            "type": "input",
            "block_id": _BLOCK + f.name,
            "label": _plain(f.label, 2000),
            "optional": not f.required,
            "element": element,
        }
        if len(f.value) > holds:  # Slack refuses an initial value past the max_length
            kept.append(f.name)
            block["hint"] = _plain(
                f"The saved text is {len(f.value):,} characters, more than a form holds: "
                "leave this empty to keep it, or write what replaces it.",
                2000,
            )
        elif f.value:
            element["initial_value"] = f.value
        blocks.append(block)
    meta = {"team": team, "channel": channel, "ref": form.ref(), "kept": kept}
    title = form.title if len(form.title) <= TITLE_CHARS else form.title[: TITLE_CHARS - 1] + "…"
    return {
        "type": "modal",
        "callback_id": FORM_VIEW,
        "private_metadata": json.dumps(meta, separators=(",", ":")),
        "title": _plain(title, TITLE_CHARS),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


@dataclass(frozen=True, slots=True)
class Submission:
    team: str
    channel: str
    ref: dict[str, Any]
    values: dict[str, str]


def read_form(view: Mapping[str, Any]) -> Submission | None:
    """The form's channel, ref and values; None when its metadata was tampered with."""
    try:
        meta = json.loads(str(view.get("private_metadata") or ""))
        team, channel, ref = str(meta["team"]), str(meta["channel"]), meta["ref"]
        kept = set(meta.get("kept") or [])
    except (ValueError, KeyError, TypeError):
        return None
    if not (_ID.match(team) and _ID.match(channel) and isinstance(ref, dict)):
        return None
    values: dict[str, str] = {}
    state = (view.get("state") or {}).get("values") or {}
    for block_id, inputs in state.items():
        if not str(block_id).startswith(_BLOCK) or not isinstance(inputs, dict):
            continue
        name = str(block_id)[len(_BLOCK) :]
        value = str((inputs.get("value") or {}).get("value") or "")
        if name in kept and not value.strip():
            continue  # too long to show, left empty: keep what is saved
        values[name] = value
    return Submission(team, channel, ref, values)


def errors_answer(errors: Mapping[str, str]) -> dict[str, Any]:
    """The ack that shows each message under its input."""
    return {"response_action": "errors", "errors": {_BLOCK + k: v for k, v in errors.items()}}


def notice_answer(title: str, text: str) -> dict[str, Any]:
    """The ack that turns the modal into a page saying ``text`` (nothing was saved)."""
    return {
        "response_action": "update",
        "view": {
            "type": "modal",
            "title": _plain(title[:TITLE_CHARS], TITLE_CHARS),
            "close": _plain("Close"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}],
        },
    }
