"""The small Protocol every text engine implements, like an httpx transport.

A command builds a ``WritingTask`` (what to write, the bible context it needs, a seed)
and an engine turns it into a ``Draft``. The offline engine is both the default and the
test double; an OpenAI-compatible engine implements the same method.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from core.models import Bible, Character, ConversationMessage, Usage

TaskKind = Literal[
    "synopsis", "dialogue", "character", "develop", "outline", "revise", "continue", "scene"
]
"""What a task asks for, and the ``params`` each kind carries (the contract with commands):

- "synopsis": length ("logline" | "short" | "page", default "short"), direction (str, may be "").
  Draft.text is the synopsis.
- "dialogue": situation (str). ``focus`` holds the speakers in order (one or more).
  Draft.text is a scene in Fountain: optional scene heading, action lines, character cues in
  CAPS, (parentheticals), dialogue; each character speaking in the voice of their sheet.
- "character": name (str), brief (str, may be ""), fields (dict of sheet fields already given,
  which the result must keep). Draft.data is the full sheet: "name" plus every field in
  core.models.CHARACTER_FIELDS, all strings; Draft.text a readable rendering.
- "develop": field (one of CHARACTER_FIELDS), direction (str, may be ""); ``focus`` = (the
  character,). Draft.data = {field: new value}; Draft.text = the new value.
- "outline": acts (int, default 3), direction (str). Draft.data =
  {"acts": [{"act": 1, "beats": ["...", ...]}, ...]}; Draft.text a readable rendering.
- "revise": instruction (str: "shorter", "longer", or free text such as "make her older"),
  artifact_kind (the kind that made ``artifact``). Draft.text is the whole revised artifact
  (for "character", Draft.data is the revised sheet as in "character").
- "continue": artifact_kind. Draft.text is only the new text that follows ``artifact``.
- "scene": one scene of a draft written from the board (generation.scenes.scene_task):
  beat (str), number and total (its place on the board), act, location_id and location
  (the place's id and name, or None and ""), previous (a short recap of the scene before,
  may be ""), next_beat (str, may be ""). ``focus`` holds the characters the beat names.
  Draft.text is a Fountain scene headed with the location's name when there is one.

An engine that cannot do what is asked raises core.errors.GenerationError with a message
saying what it can do instead; it never returns junk.
"""

OnText = Callable[[str], Awaitable[None]]
"""Called with the text so far while a draft is being written (streaming)."""

REQUEST_SENT: ContextVar[Callable[[], None] | None] = ContextVar(
    "writersroom_request_sent", default=None
)
"""Called by an engine the moment a request to its model has left (each try), where the
caller set it: the bot lets the next request of a burst be prepared then (bot/lane.py).
An engine that calls it says so with a true ``reports_sent`` attribute."""


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
    note: str = ""
    """What the engine could not do of what was asked, in words for the writer ("" if
    it did it all): the offline engine's "shorter, and make Mara angrier" is shorter, and
    says it left the rest for a model."""


class TextEngine(Protocol):
    name: str
    """Shown in every reply's footer: "offline draft engine" or the model's name."""

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft: ...
