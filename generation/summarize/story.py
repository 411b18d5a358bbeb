"""Story content in a thread: the changes it settles on (the characters it names are
found by generation/summarize/characters.py).

Story changes are the final decisions about characters or beats, and the proposals those
decisions accepted, cut to their story sentences. Proposals nobody took up are not changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from generation.summarize.model import Point
from generation.summarize.text import content_set
from generation.summarize.thread import Line
from generation.textkit import fold, stem

_WORD = re.compile(r"[^\W\d_][\w'’\-]*|\S")
_CONDITIONAL = re.compile(r"^(?:(?:ok(?:ay)?|so|and|but)\W+)*(?:what if|if|unless|suppose)\b")
BEAT_WORDS = frozenset(
    stem(w)
    for w in [
        "act",
        "scene",
        "beat",
        "cold",
        "opening",
        "ending",
        "midpoint",
        "chapter",
        "episode",
        "pilot",
        "finale",
        "arc",
        "flashback",
        "flash",
        "reveal",
        "twist",
        "teaser",
        "plot",
        "subplot",
        "storyline",
        "character",
        "villain",
        "backstory",
        "dies",
        "dead",
        "death",
        "lives",
        "survives",
        "captured",
        "killed",
        "joins",
        "betrays",
        "betrayal",
        "resurrection",
        "returns",
        "introduced",
        "cut",
    ]
)


def mentions_story(text: str, characters: Iterable[str]) -> bool:
    tokens = content_set(text)
    if tokens & BEAT_WORDS:
        return True
    name_parts = {stem(fold(p)) for c in characters for p in c.split() if len(p) > 2}
    return bool(tokens & name_parts)


def story_sentences(
    line: Line, characters: list[str], ruled_out: frozenset[str] = frozenset(), limit: int = 3
) -> str:
    """The sentences of a message that talk about characters or beats (at most ``limit``),
    leaving out conditionals and any sentence about something ``ruled_out``."""
    picked = [
        s.text
        for s in line.sentences
        if not s.is_question
        and not s.tokens & ruled_out
        and not _CONDITIONAL.match(s.folded)
        and mentions_story(s.text, characters)
    ]
    return " ".join(picked[:limit])


def group_by_line(points: Iterable[tuple[Line, str]]) -> list[Point]:
    seen: dict[int, list[str]] = defaultdict(list)
    lines: dict[int, Line] = {}
    for line, text in points:
        if text and text not in seen[line.index]:
            seen[line.index].append(text)
            lines[line.index] = line
    return [lines[i].point(" ".join(seen[i])) for i in sorted(seen)]
