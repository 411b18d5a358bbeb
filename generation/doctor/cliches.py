"""Stock phrases and tropes: lines a reader has met too often to feel.

The lists are short on purpose: each entry is a phrase that is almost always a cliché,
so a clean page raises nothing. Matching is by words, so punctuation and case do not
hide a phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generation.doctor.material import Artifact, quote

STOCK_PHRASES = (
    "little did he know",
    "little did she know",
    "little did they know",
    "a chill ran down",
    "shiver down her spine",
    "shiver down his spine",
    "time stood still",
    "let out a breath she didn't know",
    "let out a breath he didn't know",
    "only time will tell",
    "all hell broke loose",
    "in the nick of time",
    "the calm before the storm",
    "a dark and stormy night",
    "it was all a dream",
    "we're not so different",
    "you and what army",
    "this ends now",
    "i have a bad feeling about this",
    "against all odds",
    "at the end of the day",
    "hit him like a ton of bricks",
    "hit her like a ton of bricks",
    "her blood ran cold",
    "his blood ran cold",
    "a single tear",
    "it's not what it looks like",
    "don't you die on me",
    "i'm getting too old for this",
    "if i told you i'd have to kill you",
    "we've got company",
    "you just don't get it",
    "the rest is history",
    "easier said than done",
    "dead of night",
    "out of the frying pan",
    "heart of gold",
    "a force to be reckoned with",
    "cold as ice",
    "fit as a fiddle",
    "avoid like the plague",
    "it's quiet too quiet",
    "too quiet",
    "nothing will ever be the same",
    "you haven't seen the last of me",
    "he's behind me isn't he",
    "we need to talk",
    "there's no time to explain",
    "you're gonna want to see this",
    "it's a trap",
    "cheated death",
    "a race against time",
    "one last job",
    "the chosen one",
    "mysterious stranger",
    "wise old mentor",
    "evil twin",
    "long lost",
    "tragic past",
    "dark past",
    "with a heavy heart",
    "deafening silence",
    "eyes like saucers",
)
"""Phrases, lower case, in words (apostrophes kept)."""


@dataclass(frozen=True, slots=True)
class Cliche:
    phrase: str
    where: str
    quote: str

    def line(self) -> str:
        return f"“{self.phrase}” in {self.where}: “{self.quote}”"


def _pattern(phrase: str) -> re.Pattern[str]:
    parts = [re.escape(w).replace("'", "['’]?") for w in phrase.split()]
    return re.compile(r"\b" + r"[\s,.!?;:—-]+".join(parts) + r"\b", re.I)


_PATTERNS = tuple((p, _pattern(p)) for p in STOCK_PHRASES)


def cliches(material: list[Artifact]) -> list[Cliche]:
    found: list[Cliche] = []
    for art in material:
        taken: list[tuple[int, int]] = []
        for phrase, pattern in _PATTERNS:
            for m in pattern.finditer(art.text):
                if any(a <= m.start() < b for a, b in taken):
                    continue  # "too quiet" inside "it's quiet too quiet"
                taken.append((m.start(), m.end()))
                found.append(Cliche(phrase, art.label, quote(art.text, m.start(), m.end())))
    return found
