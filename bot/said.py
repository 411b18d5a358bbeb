"""A sentence as the offline reading sees it: its words, found as whole phrases, and the
small readers of names, numbers and what follows a marker that the command readers share
(bot/readers.py, bot/router.py)."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from core.text import name_key


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _padded(text: str) -> str:
    """The text's words, space-separated with a space at each end (so that " a b " in it
    finds the phrase "a b" as whole words)."""
    return f" {' '.join(words(text))} "


SPELLED = frozenset(
    [
        *("show", "change", "delete", "remove", "move", "rewrite", "edit", "update"),
        *("scene", "scenes", "beat", "beats", "synopsis", "logline", "character"),
        *("characters", "outline", "location", "locations", "portrait", "dialogue"),
        *("summarize", "summarise", "summary", "recap", "draw", "paint", "sketch"),
        *("develop", "deepen", "rename", "note", "board", "story", "write", "draft"),
        *("open", "backstory", "flaw", "want", "need", "voice", "appearance"),
        *("personality", "weakness", "motivation", "place", "places", "scrap", "title"),
        *("genre", "tone", "undo", "export", "help", "conversation", "picture", "image"),
    ]
)
"""The words of the commands that a slip ("shwo", "chnage", "charater", "scenne") is
read as."""
WORDS_NOT_SLIPS = frozenset(
    {"beast", "beta", "betas", "scarp", "summaries", "laces", "paces", "ketch", "tittle"}
    | {"chang", "renae"}  # names people have
)
"""Slips of those that are words of their own ("a scene where Mara fights the beast")."""
DROPPED_FROM = 6
"""A word this long or longer is read through one dropped letter ("charater", "sumarize");
a shorter one is not: too many of its slips are words (draft: daft, board: bard)."""
DOUBLED_FROM = 5
"""A word this long or longer is read through one doubled letter ("scenne", "chaange")."""


def _slips_of(word: str) -> set[str]:
    """Two neighbouring letters swapped; one letter dropped or doubled, for long words."""
    slips = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    if len(word) >= DROPPED_FROM:
        slips |= {word[:i] + word[i + 1 :] for i in range(len(word))}
    if len(word) >= DOUBLED_FROM:
        slips |= {word[: i + 1] + word[i:] for i in range(len(word))}
    return slips


@functools.cache
def _slips() -> dict[str, str]:
    """Each slip of a SPELLED word, and the word (the first in sorted order when two words
    share a slip)."""
    found: dict[str, str] = {}
    for word in sorted(SPELLED):
        for slip in sorted(_slips_of(word)):
            if slip != word and slip not in SPELLED and slip not in WORDS_NOT_SLIPS:
                found.setdefault(slip, word)
    return found


def mended(text: str, keep: Sequence[str] = ()) -> str:
    """``text`` with each slip of a command word ("shwo me scene 3", "chnage beat 2")
    spelled right, its first letter's case kept; every other word as typed, and every
    word of ``keep`` (the story's names: a Renae is not a rename)."""
    slips = _slips()
    kept = {w.lower() for name in keep for w in words(name)}

    def mend(m: re.Match[str]) -> str:
        typed = m.group()
        if typed.lower() in kept:
            return typed
        right = slips.get(typed.lower())
        if right is None:
            return typed
        return right.capitalize() if typed[0].isupper() else right

    return re.sub(r"[A-Za-z]{4,}", mend, text)


@dataclasses.dataclass(frozen=True)
class Said:
    """A sentence being read: as written (spaces collapsed), and its words padded once
    for the phrase lists, which a reading tries a dozen of."""

    text: str
    padded: str

    @classmethod
    def of(cls, text: str) -> Said:
        return cls(text, _padded(text))


@functools.cache
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list of phrases, found as whole words in a padded text (the
    rules' lists and the readers' own, which every request reads; never what people
    write: their words are not kept)."""
    inner = sorted({_padded(p)[1:-1] for p in phrases} - {""}, key=len, reverse=True)
    if not inner:
        return re.compile(r"(?!x)x")  # matches nothing
    return re.compile(" (?:" + "|".join(re.escape(w) for w in inner) + ") ")


def first_of(said: Said, phrases: Sequence[str]) -> int | None:
    """Where in the sentence the first of ``phrases`` is (to tell which of two comes
    first); None if none is there."""
    m = phrase_pattern(tuple(phrases)).search(said.padded)
    return m.start() if m else None


def has(said: Said, phrases: Sequence[str]) -> bool:
    return phrase_pattern(tuple(phrases)).search(said.padded) is not None


def names_in(text: str, names: Sequence[str]) -> list[str]:
    """The story's names the text mentions (by name or first name), in the text's order."""
    low = text.lower()
    found: list[tuple[int, str]] = []
    for name in names:
        for form in {name, name.split()[0]}:
            m = re.search(rf"\b{re.escape(form.lower())}(?:'s)?\b", low)
            if m:
                found.append((m.start(), name))
                break
    result: list[str] = []
    for _at, name in sorted(found):
        if name_key(name) not in {name_key(r) for r in result}:
            result.append(name)
    return result


def after(text: str, markers: Sequence[str], *, in_order: bool = False) -> str:
    """The words after a marker ("about", "of", "where"), trimmed: after the one that
    comes first in the text, or with ``in_order`` after the first marker of the list
    that the text has (the likeliest one)."""
    low = text.lower()
    best: int | None = None
    for marker in markers:
        m = re.search(rf"\b{re.escape(marker)}\b", low)
        if m and in_order:
            best = m.end()
            break
        if m and (best is None or m.end() < best):
            best = m.end()
    if best is None:
        return ""
    return text[best:].strip(" .!?,:;")


_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a couple of": 2}


def number_in(text: str) -> int | None:
    m = re.search(r"\b(\d+|one|two|three|four|five)\b", text.lower())
    if not m:
        return None
    word = m.group(1)
    return int(word) if word.isdigit() else _NUMBER.get(word)


_CARDINALS = [
    *("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
]
_ORDINALS = [
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
    *("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth"),
    *("seventeenth", "eighteenth", "nineteenth", "twentieth"),
]
_WORDS = {w: n for n, w in enumerate(_CARDINALS, 1)} | {w: n for n, w in enumerate(_ORDINALS, 1)}
_NUM = r"(\d+|" + "|".join(_CARDINALS) + r")"
_NTH = r"(\d+(?:st|nd|rd|th)|" + "|".join(_ORDINALS) + r")"


def _value(word: str) -> int:
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else _WORDS[word.lower()]


class Numbered(NamedTuple):
    number: int
    start: int
    end: int
    """Where in the text the mention starts and ends."""


def numbered(text: str, noun: str) -> Numbered | None:
    """Which ``noun`` the text names by number ("beat 4", "beat #4", "the fourth beat",
    "the 4th beat"), and where in the text that mention is; None if it names none."""
    n = re.escape(noun)
    for pattern in (
        rf"\b{n}\s*(?:number\s*|no\.?\s*|#\s*)?{_NUM}\b",
        rf"\b(?:the\s+)?{_NTH}\s+{n}\b",
    ):
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return Numbered(_value(m.group(1)), m.start(), m.end())
    return None


ACT = rf"\bact\s+{_NUM}\b|\b(?:the\s+)?{_NTH}\s+act\b"
"""An act named by number: "act 2", "act two", "the second act"."""


def act_in(text: str) -> int | None:
    m = re.search(ACT, text, re.IGNORECASE)
    if m is None:
        return None
    return _value(m.group(1) or m.group(2))


ACTS = re.compile(rf"\b{_NUM}(?:\s+|-)acts?\b", re.IGNORECASE)
"""A count of acts ("in four acts", "a 3-act outline"), not an act named ("act two")."""


def acts_in(text: str) -> int | None:
    """How many acts the text asks for, if it counts them."""
    m = ACTS.search(text)
    return _value(m.group(1)) if m else None


def say(intent: Mapping[str, Any], **values: str) -> str:
    """What the bot says it understood: the intent's ``said``, filled in."""
    return str(intent["said"]).format(**values)
