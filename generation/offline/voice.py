"""How a character talks, read from their sheet.

``read_voice`` turns a sheet's ``voice`` (and, failing that, ``personality``) into traits:
terse, formal, sardonic, warm, rambling, nervous, fiery, folksy, lyrical, or plain. The
sheet's sample line is kept to be reused verbatim. ``voice_render`` rewrites drafted lines
through these traits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from generation.offline.text import one_line, sentences

TRAIT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "terse",
        (
            "clipped",
            "terse",
            "curt",
            "laconic",
            "blunt",
            "brusque",
            "few words",
            "short sentences",
            "monosyllab",
            "economical",
            "military",
            "gruff",
            "taciturn",
            "stoic",
            "matter-of-fact",
            "spare",
            "short",
        ),
    ),
    (
        "rambling",
        (
            "rambl",
            "chatty",
            "talkative",
            "verbose",
            "breathless",
            "babbl",
            "long-winded",
            "garrulous",
            "digress",
            "tangent",
            "motormouth",
            "gush",
            "excitable",
            "run-on",
            "overshar",
            "never stops talking",
        ),
    ),
    (
        "formal",
        (
            "formal",
            "precise",
            "proper",
            "polite",
            "archaic",
            "stiff",
            "courtly",
            "eloquent",
            "measured",
            "pedantic",
            "posh",
            "aristocrat",
            "old-fashioned",
            "prim",
            "academic",
            "no contractions",
            "educated",
            "refined",
        ),
    ),
    (
        "sardonic",
        (
            "sardonic",
            "sarcas",
            "dry",
            "wry",
            "cynic",
            "ironic",
            "caustic",
            "deadpan",
            "acerbic",
            "mocking",
            "snark",
            "biting",
            "witty",
            "droll",
        ),
    ),
    (
        "warm",
        (
            "warm",
            "kind",
            "gentle",
            "soft",
            "nurtur",
            "affection",
            "tender",
            "friendly",
            "motherly",
            "fatherly",
            "reassur",
            "sweet",
            "generous",
            "cheerful",
            "caring",
        ),
    ),
    (
        "nervous",
        (
            "nervous",
            "anxious",
            "hesitant",
            "shy",
            "stammer",
            "stutter",
            "timid",
            "awkward",
            "unsure",
            "jittery",
            "halting",
            "fidget",
            "insecure",
            "worried",
        ),
    ),
    (
        "fiery",
        (
            "angry",
            "hot-headed",
            "hotheaded",
            "volatile",
            "fiery",
            "aggressive",
            "intense",
            "explosive",
            "shout",
            "loud",
            "furious",
            "brash",
            "combative",
            "temper",
        ),
    ),
    (
        "folksy",
        (
            "folksy",
            "southern",
            "drawl",
            "colloquial",
            "slang",
            "earthy",
            "salty",
            "homespun",
            "street",
            "working-class",
            "crude",
            "profane",
            "swear",
            "country",
        ),
    ),
    (
        "lyrical",
        (
            "poetic",
            "lyrical",
            "dreamy",
            "florid",
            "metaphor",
            "flowery",
            "grandiose",
            "theatrical",
            "mystical",
            "grandiloquent",
        ),
    ),
)

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
