"""No clause twice in one story: choosing among bank items what the story has not said yet.

Word banks are finite, so a cast written from them repeats itself unless each choice
looks at what the story's sheets already say. ``Fresh`` holds the word runs already used
(runs of ``RUN`` words, as the script doctor's repetition check counts them, within one
field: runs do not cross fields) and ``pick`` draws until a candidate shares none of
them, or keeps the draw that shares fewest. Draws come from the caller's random source,
so a seed still fixes the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generation.offline.pronouns import KNOWN
from generation.textkit import words

RUN = 6
"""Words in a run, as generation/doctor/repetition.py quotes repeats (``RUN``)."""
TRIES = 12


_PRONOUNS = frozenset(
    form
    for p in KNOWN.values()
    for form in (p.subject, p.object, p.possessive, p.possessive_pronoun, p.reflexive)
    if form
)
"""Pronoun forms count as one word: "the smile she rarely uses" and "the smile he rarely
uses" are the same clause, whoever it is said of."""


def runs(text: str) -> set[tuple[str, ...]]:
    ws = ["·" if w in _PRONOUNS else w for w in words(text)]
    return {tuple(ws[i : i + RUN]) for i in range(len(ws) - RUN + 1)}


class Fresh:
    """The runs a story has used, and choices that avoid them."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.seen: set[tuple[str, ...]] = set()
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        self.seen |= runs(text)

    def clashes(self, text: str) -> int:
        return len(runs(text) & self.seen)

    def uses(self, text: str) -> bool:
        """Whether ``text`` (a whole bank item, however short) is already in the story."""
        ws = words(text)
        if len(ws) >= RUN:
            return self.clashes(text) > 0
        return any(_contains(run, ws) for run in self.seen)

    def pick(self, make: Callable[[], str], tries: int = TRIES) -> str:
        """The first of up to ``tries`` draws of ``make`` that repeats no run the story has
        used, else the draw that repeats fewest. Not yet added: call ``add`` with the
        field's final text."""
        best, fewest = "", -1
        for _ in range(tries):
            text = make()
            n = self.clashes(text)
            if n == 0:
                return text
            if fewest < 0 or n < fewest:
                best, fewest = text, n
        return best


def _contains(run: tuple[str, ...], ws: list[str]) -> bool:
    n = len(ws)
    return any(list(run[i : i + n]) == ws for i in range(len(run) - n + 1))
