"""Is a point a model made traceable to the thread? The check behind map-reduce's "a point
that cannot be traced to a message is dropped".

A point cites a message by number (``ref``); it is traced when
- most of its content words (stems, so "towed" is "tows") are in the cited message or in
  the few messages just before it (a "yes, let's do that" decides what was pitched), at
  least ``SHARE`` of them, and
- every name it uses (a capitalised word past its first) is in those messages, or is the
  name of someone in the thread.
A TL;DR sentence cites nothing: it is traced against the whole thread. Characters the
model lists must be named somewhere in the thread and not be someone in the room.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from generation.summarize.people import Directory
from generation.summarize.text import content_set
from generation.textkit import fold

SHARE = 0.6
CONTEXT = 3
"""Messages before the cited one that a point may draw on."""
_NAME = re.compile(r"(?<![\w'’])[A-Z][\w'’\-]+")
_PRONOUNS = frozenset({"i'll", "i'm", "i'd", "i've", "i’ll", "i’m", "i’d", "i’ve"})


def names_in(text: str) -> list[str]:
    """Capitalised words past the first word of each sentence: the names a point uses."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?;:])\s+", text.strip()):
        for k, match in enumerate(_NAME.finditer(sentence)):
            if k == 0 and match.start() == 0:
                continue
            word = match.group()
            for suffix in ("'s", "’s"):
                word = word.removesuffix(suffix)
            if fold(word) not in _PRONOUNS:
                out.append(word)
    return out


class Tracer:
    """Traces points against one thread's cleaned messages."""

    def __init__(self, texts: Sequence[str], people: Directory) -> None:
        self.texts = list(texts)
        self.folded = [fold(t) for t in self.texts]
        self.stems = [content_set(t) for t in self.texts]
        self.people = people
        self._all: frozenset[str] | None = None

    def _room(self, word: str) -> bool:
        return self.people.resolve(word) is not None or fold(word) in self.people.aliases

    def _supported(self, text: str, stems: frozenset[str], folded: Iterable[str]) -> bool:
        wanted = content_set(text)
        if wanted and len(wanted & stems) < SHARE * len(wanted):
            return False
        where = " ".join(folded)
        return all(fold(n) in where or self._room(n) for n in names_in(text))

    def traced(self, text: str, ref: int) -> bool:
        """``text`` rests on message ``ref`` (1-based) and the few before it."""
        k = ref - 1
        if not 0 <= k < len(self.texts):
            return False
        window = range(max(0, k - CONTEXT), k + 1)
        stems = frozenset().union(*(self.stems[i] for i in window))
        return self._supported(text, stems, (self.folded[i] for i in window))

    def traced_anywhere(self, text: str) -> bool:
        """``text`` says what the thread says somewhere (for a TL;DR sentence)."""
        if self._all is None:
            self._all = frozenset().union(*self.stems) if self.stems else frozenset()
        return self._supported(text, self._all, self.folded)

    def character(self, name: str) -> bool:
        """The thread names ``name`` and it is nobody in the room."""
        key = fold(name.strip())
        if not key or self._room(name):
            return False
        return any(key in t for t in self.folded)
