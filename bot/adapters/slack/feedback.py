"""Good / not good buttons under generated replies, and recording a press.

The buttons carry what made the reply (the command, the engine, the model) in their
value, so a press needs no lookup and stays right after the configuration changes; the
vote is stored with the message and the person (one vote each, a second press changes
it) through the Store's feedback role. App Home shows the totals (home.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.adapters.feedback import Made
from bot.adapters.slack.render import BLOCKS_PER_MESSAGE, SlackMessage
from core.types import Reply

FEEDBACK_PREFIX = "writersroom-feedback:"
BLOCK_ID = "writersroom_feedback"
_LABELS = {"good": ":thumbsup: Good", "bad": ":thumbsdown: Not good"}


def feedback_block(made: Made) -> dict[str, Any]:
    elements = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": label, "emoji": True},
            "action_id": f"{FEEDBACK_PREFIX}{verdict}",
            "value": made.value(),
        }
        for verdict, label in _LABELS.items()
    ]
    return {"type": "actions", "block_id": BLOCK_ID, "elements": elements}


def with_feedback(
    messages: list[SlackMessage], reply: Reply, made: Made | None
) -> list[SlackMessage]:
    """A final reply's messages with the feedback buttons on the last one, above its
    footer, when the reply is a generated result (not a choice still to make)."""
    choosing = any(a.kind == "choose" for a in reply.actions)  # vote on the one kept
    if made is None or reply.tone != "result" or reply.partial or choosing:
        return messages
    last = messages[-1]
    if len(last.blocks) >= BLOCKS_PER_MESSAGE:
        return messages
    blocks = list(last.blocks)
    at = len(blocks) - 1 if blocks and blocks[-1]["type"] == "context" else len(blocks)
    blocks.insert(at, feedback_block(made))
    return [*messages[:-1], SlackMessage(last.text, blocks)]


def read_press(action: Mapping[str, Any]) -> tuple[bool, Made] | None:
    """(good, what made the reply) from a pressed button; None when it is not ours or was
    tampered with."""
    action_id = str(action.get("action_id") or "")
    verdict = action_id.removeprefix(FEEDBACK_PREFIX)
    if not action_id.startswith(FEEDBACK_PREFIX) or verdict not in _LABELS:
        return None
    made = Made.read(str(action.get("value") or ""))
    return None if made is None else (verdict == "good", made)
