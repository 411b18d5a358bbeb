"""The Bechdel–Wallace test, per saved scene and for the draft: two named women (she/her
on their sheets) talk to each other (one answers the other's speech) about something
other than a man (no he/him character named, no word of ``men`` in the vocabulary).

A scene passes on the first such exchange, which is quoted; a scene that does not pass
says why, quoting what came closest. It is a test of presence, not of quality: the
report states what it finds and leaves the judging to the room.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Bible, Character
from generation.doctor.speech import Speech, pronouns_of, speeches
from generation.doctor.vocabulary import VOCABULARY
from generation.scenes import names_of
from generation.textkit import words


@dataclass(frozen=True, slots=True)
class SceneTest:
    scene: int
    passes: bool
    why: str
    """What the scene shows, in words, with the lines quoted."""


def _women(bible: Bible) -> set[str]:
    return {c.name for c in bible.characters if pronouns_of(c) == "she/her"}


def _men(bible: Bible) -> list[Character]:
    return [c for c in bible.characters if pronouns_of(c) == "he/him"]


def about_a_man(text: str, men: Sequence[Character], cast: Sequence[Character]) -> str | None:
    """The word or name that makes a line about a man, or None."""
    for c in men:
        for name in names_of(c, cast):
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                return name
    return next((w for w in words(text) if w in VOCABULARY.men), None)


def scene_result(n: int, lines: Sequence[Speech], bible: Bible) -> SceneTest:
    women = _women(bible)
    men = _men(bible)
    speaking = list(dict.fromkeys(s.name for s in lines if s.who and s.who.name in women))
    if len(speaking) < 2:
        who = f"only {speaking[0]} speaks" if speaking else "no named woman speaks"
        return SceneTest(n, False, f"{who} among the named women")
    exchanges = [
        (a, b)
        for a, b in itertools.pairwise(lines)
        if a.name in women and b.name in women and a.name != b.name
    ]
    if not exchanges:
        names = " and ".join(speaking[:2])
        return SceneTest(n, False, f"{names} both speak, but never to each other")
    for a, b in exchanges:
        if about_a_man(a.text, men, bible.characters) is None and not about_a_man(
            b.text, men, bible.characters
        ):
            return SceneTest(n, True, f"{a.quote()} / {b.quote()}")
    a, b = exchanges[0]
    man = about_a_man(a.text, men, bible.characters) or about_a_man(b.text, men, bible.characters)
    return SceneTest(
        n,
        False,
        f"{a.name} and {b.name} talk, but about a man (“{man}”): {a.quote()} / {b.quote()}",
    )


def bechdel(bible: Bible) -> list[SceneTest]:
    """One result per saved scene, in script order."""
    found = speeches(bible)
    count = len(bible.scenes)
    return [scene_result(n, [s for s in found if s.scene == n], bible) for n in range(1, count + 1)]
