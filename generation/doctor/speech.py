"""Who speaks in the saved scenes, and how much: speeches read from the Fountain, each
tied to the character whose cue it is, and grouped by the pronouns on their sheets.

A cue is matched to a character by full name, alias, or a first or last name no one else
in the cast has ("ISLA" is Isla Brodie); a cue the bible does not know is counted under
its own name, with pronouns "not set".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core import board, fountain
from core.models import Bible, Character
from core.text import name_key
from generation.doctor.cast import member
from generation.scenes import names_of
from generation.textkit import words

UNSET = "not set"


@dataclass(frozen=True, slots=True)
class Speech:
    """One speech: the scene's number in the script, who speaks it, what is said."""

    scene: int
    cue: str
    who: Character | None
    text: str

    @property
    def name(self) -> str:
        return self.who.name if self.who is not None else self.cue.title()

    def quote(self, room: int = 110) -> str:
        flat = " ".join(self.text.split())
        short = flat if len(flat) <= room else flat[: room - 1].rstrip() + "…"
        return f"{self.cue.upper()}: “{short}”"


def pronouns_of(c: Character | None) -> str:
    """The group a character counts in: "she/her", "he/him", "they/them", another set as
    written, or "not set"."""
    if c is None:
        return UNSET
    return member(c).pronouns or UNSET


def cue_index(cast: Sequence[Character]) -> dict[str, Character]:
    """Every way a cue may name a character, folded, to that character."""
    index: dict[str, Character] = {}
    for c in cast:
        for name in names_of(c, cast):
            index.setdefault(name_key(name), c)
    return index


def speeches(bible: Bible) -> list[Speech]:
    """Every speech of every saved scene, in script order."""
    index = cue_index(bible.characters)
    out: list[Speech] = []
    for n, scene in enumerate(board.script(bible.beats, bible.scenes), 1):
        cue: str | None = None
        for el in fountain.parse(scene.text):
            if el.kind == "character":
                cue = fountain.cue_name(el.text) or fountain.cue_parts(el.text)[0]
                out.append(Speech(n, cue, index.get(name_key(cue)), ""))
            elif el.kind == "dialogue" and cue is not None:
                last = out[-1]
                text = f"{last.text} {el.text}".strip()
                out[-1] = Speech(last.scene, last.cue, last.who, text)
            elif el.kind != "parenthetical":
                cue = None
    return [s for s in out if s.text]


@dataclass(frozen=True, slots=True)
class Share:
    """How much one character, or one pronoun group, speaks: ``speeches`` are their lines
    (a cue and what follows it), ``words`` the words in them."""

    label: str
    speeches: int
    words: int
    speakers: int = 1


def by_character(found: Sequence[Speech]) -> list[Share]:
    """Speeches and words per speaker, most words first."""
    totals: dict[str, list[int]] = {}
    for s in found:
        t = totals.setdefault(s.name, [0, 0])
        t[0] += 1
        t[1] += len(words(s.text))
    rows = [Share(name, n, w) for name, (n, w) in totals.items()]
    return sorted(rows, key=lambda r: (-r.words, r.label))


def by_pronouns(found: Sequence[Speech]) -> list[Share]:
    """Speeches, words and speakers per pronoun group, most words first."""
    totals: dict[str, list[int]] = {}
    people: dict[str, set[str]] = {}
    for s in found:
        group = pronouns_of(s.who)
        t = totals.setdefault(group, [0, 0])
        t[0] += 1
        t[1] += len(words(s.text))
        people.setdefault(group, set()).add(s.name)
    rows = [Share(g, n, w, len(people[g])) for g, (n, w) in totals.items()]
    return sorted(rows, key=lambda r: (-r.words, r.label))
