"""The small Protocol every text engine implements, like an httpx transport.

A command builds a ``WritingTask`` (what to write, the bible context it needs, a seed)
and an engine turns it into a ``Draft``. The offline engine is both the default and the
test double; an OpenAI-compatible engine implements the same method.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from storage.models import Bible, Character, ConversationMessage, Usage

TaskKind = Literal[
    "synopsis",  # params: length ("logline" | "short" | "page"), direction (str)
    "dialogue",  # params: situation (str); context.focus: the speaking characters
    "character",  # params: name (str), brief (str) -> Draft.data holds the sheet fields
    "revise",  # params: instruction (str: "shorter", "longer", free text), artifact_kind
    "continue",  # params: artifact_kind; continue the artifact from where it stops
]

OnText = Callable[[str], Awaitable[None]]
"""Called with the text so far while a draft is being written (streaming)."""


@dataclass(frozen=True, slots=True)
class WritingTask:
    """What to write and everything the engine may see to write it.

    ``bible`` is this channel's story only; ``focus`` the characters the request names
    (for dialogue, the speakers, in order); ``artifact`` the text being revised or
    continued; ``turns`` the thread's recent messages.
    """

    kind: TaskKind
    bible: Bible
    seed: int
    params: dict[str, Any] = field(default_factory=dict)
    focus: tuple[Character, ...] = ()
    artifact: str = ""
    turns: tuple[ConversationMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    """What an engine wrote. ``data`` carries structured output (a character sheet)."""

    text: str
    engine: str
    data: dict[str, Any] | None = None
    usage: Usage | None = None


class TextEngine(Protocol):
    name: str
    """Shown in every reply's footer: "offline draft engine" or the model's name."""

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft: ...
