"""What made a generated reply, for the feedback every platform asks for under it.

A platform puts Good / Not good under a generated reply (Slack: buttons, see
slack/feedback.py) and stores a press as a ``storage.api.Vote`` with what ``Made`` says:
the command that was asked, the engine's kind and its model, so a room can see which
model serves it best (``Store.feedback_counts``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.types import Place
    from storage.api import Store


@dataclass(frozen=True, slots=True)
class Made:
    """What made a reply: the command asked, the engine's kind and its model."""

    command: str
    engine: str
    model: str

    def value(self) -> str:
        """As a button's value (short JSON); ``read`` turns it back."""
        return json.dumps({"c": self.command, "e": self.engine, "m": self.model})

    @classmethod
    def read(cls, value: str) -> Made | None:
        """From a button's value; None when it was tampered with."""
        try:
            data = json.loads(value)
            return cls(str(data["c"])[:100], str(data["e"])[:100], str(data["m"])[:200])
        except (ValueError, KeyError, TypeError):
            return None


def made_by(command: str, engine: object) -> Made:
    """``engine``'s kind ("openai", "offline"…, from its class) and model (its name)."""
    kind = type(engine).__name__.removesuffix("Engine").lower() or "engine"
    return Made(command, kind, str(getattr(engine, "name", "") or ""))


DRAFT_ACTIONS = ("regenerate", "continue", "choose")
"""Buttons whose reply is a new take of the draft, made as the draft was."""


async def made_as_draft(store: Store, place: Place, engine: object) -> Made | None:
    """A follow-up in a draft's thread (a line, Regenerate, Continue, an option picked) is
    made as the draft was: its kind is the command voted on; None outside a thread."""
    if place.thread is None:
        return None
    conv = await store.conversation_at(
        (place.platform, place.workspace, place.channel, place.thread)
    )
    return made_by(conv.kind if conv is not None else "follow-up", engine)
