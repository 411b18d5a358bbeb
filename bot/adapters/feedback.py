"""What made a generated reply, for the feedback every platform asks for under it.

A platform puts Good / Not good under a generated reply (Slack: buttons, see
slack/feedback.py) and stores a press as a ``storage.api.Vote`` with what ``Made`` says:
the command that was asked, the engine's kind and its model, so a room can see which
model serves it best (``Store.feedback_counts``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass


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
