"""Letting a model choose what to do: tools (function calling on the OpenAI-compatible
API), the call it makes, and what an engine that can choose promises.

The bot turns its command registry into ``Tool``s (bot/understand.py), so the tools never
drift from the commands; the model's ``ToolCall`` is validated by the bot exactly like a
typed command. Nothing here knows the commands.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.models import Usage


@dataclass(frozen=True, slots=True)
class Tool:
    """One function the model may call: a name, what it does, a JSON schema of its
    arguments."""

    name: str
    description: str
    parameters: dict[str, Any]

    def as_api(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


@dataclass(frozen=True, slots=True)
class ToolCall:
    """The function the model called. ``arguments`` is None when what it sent is not a
    JSON object (junk is refused by the caller, never guessed at)."""

    name: str
    arguments: dict[str, Any] | None
    raw: str = ""


def read_arguments(raw: str) -> dict[str, Any] | None:
    """A tool call's arguments as the model sent them (a JSON object), or None."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@dataclass(frozen=True, slots=True)
class Choice:
    """What the model chose: a call, or (when it called nothing) its text."""

    call: ToolCall | None
    text: str = ""
    usage: Usage | None = None
    extra: tuple[ToolCall, ...] = field(default_factory=tuple)
    """Calls after the first, which the bot does not run (one request, one command)."""


class ToolChooser(Protocol):
    """An engine that can pick a tool for a request in plain language."""

    name: str

    async def choose(
        self, request: str, tools: Sequence[Tool], *, context: str, story_id: int = 0
    ) -> Choice: ...
