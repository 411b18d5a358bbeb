"""How a character talks, read from their sheet.

``read_voice`` turns a sheet's ``voice`` (and, failing that, ``personality``) into traits:
terse, formal, sardonic, warm, rambling, nervous, fiery, folksy, lyrical, or plain. The
sheet's sample line is kept to be reused verbatim. ``voice_render`` rewrites drafted lines
through these traits. The trait words and each trait's stock phrases are data, in
``data/voice.toml``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from generation.offline.text import one_line, sentences
from generation.packdata import load


@dataclass(frozen=True, slots=True)
class VoiceWords:
    """``data/voice.toml``: what reveals a trait, and the stock phrases each trait adds."""

    trait_words: Mapping[str, tuple[str, ...]]  # trait -> word starts that reveal it
    asides: tuple[str, ...]  # rambling
    tails: tuple[str, ...]  # rambling afterthoughts ("" for none)
    joiners: tuple[str, ...]  # how a rambler runs sentences together
    hesitations: tuple[str, ...]  # nervous
    rhetorical: tuple[str, ...]  # sardonic
    warmth: tuple[str, ...]
    fire: tuple[str, ...]  # fiery
    folk: tuple[str, ...]  # folksy
    lyric: tuple[str, ...]  # lyrical; {texture}
    parentheticals: Mapping[str, tuple[str, ...]]  # by trait, "plain" included


VOICE_WORDS: VoiceWords = load(VoiceWords, "generation.offline", "data/voice.toml")
TRAIT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(VOICE_WORDS.trait_words.items())

_EXCLUSIVE = (("terse", "rambling"), ("formal", "folksy"), ("warm", "sardonic"))


@dataclass(frozen=True, slots=True)
class Voice:
    traits: tuple[str, ...]
    sample: str = ""

    def has(self, trait: str) -> bool:
        return trait in self.traits


def traits_in(text: str) -> list[str]:
    low = text.lower()
    found = [(low.find(w), t) for t, ws in TRAIT_WORDS for w in ws if w in low]
    ordered: list[str] = []
    for _, t in sorted(found):
        if t not in ordered:
            ordered.append(t)
    for a, b in _EXCLUSIVE:  # the trait named first wins
        if a in ordered and b in ordered:
            ordered.remove(b if ordered.index(a) < ordered.index(b) else a)
    return ordered[:3]


def read_voice(
    voice: str, personality: str, sample: str, rng: random.Random | None = None
) -> Voice:
    """Traits from the voice field, else from personality; a random mild one if both are blank."""
    traits = traits_in(voice) or traits_in(personality)
    if not traits and rng is not None and not voice.strip():
        traits = [
            rng.choice(("plain", "plain", "warm", "sardonic", "terse", "nervous", "rambling"))
        ]
    flat = one_line(sample)
    if len(flat) > 300:
        flat = " ".join(sentences(flat)[:2])[:300]
    return Voice(tuple(traits or ["plain"]), flat)
