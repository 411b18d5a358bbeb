"""Which parts of the bible a prompt carries, lorebook-style, within a token budget.

A model sees only what the step needs (Dramatron's way): the story's header always; the
characters the task is about (``focus``) always, in full; other characters and locations
only when the request, the artifact or the thread's recent turns name them (by name or
alias, whole word, any case); then the thread's recent turns, newest first, while the
budget lasts. Pure functions on plain data, so every rule is testable without a server.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.models import (
    CHARACTER_FIELDS,
    Character,
    ConversationMessage,
    Location,
    Story,
    field_label,
)
from core.text import name_key
from generation.base import WritingTask

CHARS_PER_TOKEN = 4
"""English prose averages about four characters a token in OpenAI's tokenizers."""

DEFAULT_BUDGET = 3000
"""Tokens of bible and thread a prompt may carry, besides the instructions."""

STORY_HEADER_FIELDS = ("title", "logline", "genre", "tone", "setting", "style")
BRIEF_FIELDS = ("pronouns", "role", "one_line", "voice", "relationships")
"""What a character merely mentioned contributes; the focus characters bring every field."""

REQUEST_PARAMS = ("name", "brief", "direction", "situation", "instruction")
"""The task params that carry the writer's own words (and so the names they mention)."""

MAX_TURN_CHARS = 600


def estimate_tokens(text: str) -> int:
    """Tokens in ``text``, estimated without a tokenizer (tiktoken downloads its vocabulary).

    ASCII counts four characters a token; any other character one token each, which
    over-counts accented Latin slightly and is about right for CJK: a budget errs short.
    """
    if not text:
        return 0
    ascii_chars = sum(1 for ch in text if ch.isascii())
    return math.ceil(ascii_chars / CHARS_PER_TOKEN) + (len(text) - ascii_chars)


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = name_key(name).split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")


def names_of(character: Character) -> list[str]:
    """The character's name and every alias."""
    return [character.name, *(a for a in character.aliases.split(",") if a.strip())]


def is_named(haystack: str, names: Iterable[str]) -> bool:
    """Whether any of ``names`` occurs in ``haystack`` as a whole word, ignoring case."""
    text = name_key(haystack)
    for name in names:
        pattern = _name_pattern(name)
        if pattern is not None and pattern.search(text):
            return True
    return False


def request_text(task: WritingTask) -> str:
    """The writer's words in the task: the params that carry text, and given sheet fields."""
    parts = [str(task.params[p]) for p in REQUEST_PARAMS if task.params.get(p)]
    given = task.params.get("fields")
    if isinstance(given, dict):
        parts.extend(str(v) for v in given.values() if v)
    return "\n".join(parts)


def mentioned_characters(task: WritingTask) -> tuple[Character, ...]:
    """Characters besides the focus that the request, artifact or thread name, in bible order."""
    haystack = "\n".join([request_text(task), task.artifact, *(t.text for t in task.turns)])
    focus_keys = {c.key for c in task.focus}
    return tuple(
        c
        for c in task.bible.characters
        if c.key not in focus_keys and is_named(haystack, names_of(c))
    )


def mentioned_locations(task: WritingTask) -> tuple[Location, ...]:
    """Locations the request, the artifact or the thread name, in bible order."""
    haystack = "\n".join([request_text(task), task.artifact, *(t.text for t in task.turns)])
    return tuple(loc for loc in task.bible.locations if is_named(haystack, [loc.name]))


# --- rendering entries: what each piece costs is what it renders to -------------------


def render_story(story: Story) -> str:
    lines = [
        f"{name.capitalize()}: {getattr(story, name)}"
        for name in STORY_HEADER_FIELDS
        if getattr(story, name)
    ]
    return "\n".join(lines)


def render_character(character: Character, *, full: bool = True) -> str:
    fields = CHARACTER_FIELDS if full else BRIEF_FIELDS
    lines = [f"Name: {character.name}"]
    if not full and character.aliases:
        lines.append(f"Aliases: {character.aliases}")
    lines.extend(
        f"{field_label(f)}: {getattr(character, f)}" for f in fields if getattr(character, f)
    )
    return "\n".join(lines)


def render_location(location: Location) -> str:
    """ "Lamp Room: the glass room at the top. Looks: brass… Sounds: the lamp's hum." """
    parts = [location.description.rstrip(".")] if location.description else []
    if location.look:
        parts.append(f"Looks: {location.look.rstrip('.')}")
    if location.sound:
        parts.append(f"Sounds: {location.sound.rstrip('.')}")
    return f"{location.name}: {'. '.join(parts)}." if parts else location.name


def render_turn(turn: ConversationMessage) -> str:
    text = turn.text.strip()
    if len(text) > MAX_TURN_CHARS:
        text = text[: MAX_TURN_CHARS - 1].rstrip() + "…"
    who = f"Writer ({turn.author})" if turn.role == "user" else "Assistant"
    return f"{who}: {text}"


@dataclass(frozen=True, slots=True)
class PromptContext:
    """The bible and thread a prompt carries, chosen for one task."""

    story: str
    focus: tuple[Character, ...]
    characters: tuple[Character, ...]
    locations: tuple[Location, ...]
    turns: tuple[ConversationMessage, ...]
    """Kept turns, oldest first."""
    left_out: int = 0
    """Named entries and turns that did not fit the budget."""

    def cast_text(self) -> str:
        """Focus characters in full, then the characters merely named, in brief."""
        entries = [render_character(c) for c in self.focus]
        entries += [render_character(c, full=False) for c in self.characters]
        return "\n\n".join(entries)

    def places_text(self) -> str:
        return "\n".join(render_location(loc) for loc in self.locations)

    def thread_text(self) -> str:
        return "\n".join(render_turn(t) for t in self.turns)


def choose_context(
    task: WritingTask, *, budget: int = DEFAULT_BUDGET, fixed: Sequence[str] = ()
) -> PromptContext:
    """Pick what the prompt for ``task`` carries within ``budget`` tokens.

    ``fixed`` is text the prompt carries whatever happens (the request, the artifact, the
    synopsis); it counts against the budget first. The story header and the focus
    characters always go in; named characters, then named locations, then turns (newest
    first, stopping at the first that does not fit, so the kept turns are contiguous) fill
    what is left.
    """
    story = render_story(task.bible.story)
    focus = task.focus
    spent = estimate_tokens(story) + sum(estimate_tokens(t) for t in fixed)
    spent += sum(estimate_tokens(render_character(c)) for c in focus)
    left_out = 0

    characters: list[Character] = []
    for c in mentioned_characters(task):
        cost = estimate_tokens(render_character(c, full=False))
        if spent + cost <= budget:
            characters.append(c)
            spent += cost
        else:
            left_out += 1

    locations: list[Location] = []
    for loc in mentioned_locations(task):
        cost = estimate_tokens(render_location(loc))
        if spent + cost <= budget:
            locations.append(loc)
            spent += cost
        else:
            left_out += 1

    kept: list[ConversationMessage] = []
    for turn in reversed(task.turns):
        cost = estimate_tokens(render_turn(turn))
        if spent + cost > budget:
            break
        kept.append(turn)
        spent += cost
    left_out += len(task.turns) - len(kept)

    return PromptContext(
        story=story,
        focus=focus,
        characters=tuple(characters),
        locations=tuple(locations),
        turns=tuple(reversed(kept)),
        left_out=left_out,
    )
