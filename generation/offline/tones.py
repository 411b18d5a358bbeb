"""Tone and style: how a story feels and how its prose should move.

A tone is read from the story's tone field (and a synopsis direction such as "darker");
it biases how the story ends and supplies mood words (the tones are in ``data/tones.toml``).
Style notes ("spare", "lyrical", "no adverbs") become a few knobs the prose writers honour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generation.packdata import load


@dataclass(frozen=True, slots=True)
class Tone:
    key: str
    triggers: tuple[str, ...]
    moods: tuple[str, ...]  # adjectives for the story's feel
    endings: tuple[tuple[str, int], ...]  # ending kind and weight
    asides: tuple[str, ...]  # short closing flourishes for a synopsis


@dataclass(frozen=True, slots=True)
class _Tones:
    tones: tuple[Tone, ...]
    neutral: Tone


_BANK = load(_Tones, "generation.offline", "data/tones.toml")
TONES: tuple[Tone, ...] = _BANK.tones
NEUTRAL: Tone = _BANK.neutral


def match_tone(*texts: str) -> Tone:
    joined = " ".join(t.lower() for t in texts if t)
    best, best_hits = NEUTRAL, 0
    for tone in TONES:
        hits = sum(1 for t in tone.triggers if re.search(rf"\b{re.escape(t)}\b", joined))
        if hits > best_hits:
            best, best_hits = tone, hits
    return best


@dataclass(frozen=True, slots=True)
class Style:
    """Knobs from the style notes: fewer clauses when spare, more imagery when lyrical."""

    spare: bool = False
    lyrical: bool = False
    no_adverbs: bool = False

    @property
    def imagery(self) -> float:
        """How often to add a sensory clause."""
        return 0.05 if self.spare else 0.6 if self.lyrical else 0.3


def match_style(text: str) -> Style:
    low = text.lower()
    spare = bool(
        re.search(
            r"\b(spare|terse|minimal|minimalist|lean|clipped|sparse|economical|"
            r"hemingway|punchy|short sentences|tight)\b",
            low,
        )
    )
    lyrical = bool(
        re.search(
            r"\b(lyrical|lush|poetic|rich|ornate|purple|descriptive|sensory|"
            r"atmospheric|evocative|literary)\b",
            low,
        )
    )
    no_adverbs = bool(re.search(r"\bno adverbs?\b|\bwithout adverbs?\b|\bavoid adverbs?\b", low))
    return Style(spare=spare and not lyrical, lyrical=lyrical and not spare, no_adverbs=no_adverbs)
