"""Tone and style: how a story feels and how its prose should move.

A tone is read from the story's tone field (and a synopsis direction such as "darker");
it biases how the story ends and supplies mood words. Style notes ("spare", "lyrical",
"no adverbs") become a few knobs the prose writers honour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generation.offline.vocab import _b


@dataclass(frozen=True, slots=True)
class Tone:
    key: str
    triggers: tuple[str, ...]
    moods: tuple[str, ...]  # adjectives for the story's feel
    endings: tuple[tuple[str, int], ...]  # ending kind and weight
    asides: tuple[str, ...]  # short closing flourishes for a synopsis


TONES: tuple[Tone, ...] = (
    Tone(
        "dark",
        _b("dark|darker|bleak|grim|grimdark|brutal|nihilist|disturbing|bitter|harsh"),
        _b("bleak|unforgiving|bruising|merciless|cold-eyed"),
        (("tragic", 4), ("bittersweet", 4), ("open", 2), ("happy", 1)),
        _b(
            "Nobody walks away clean.|Some doors, once opened, stay open.|"
            "The cost is paid in full.|Survival, it turns out, is not the same as winning."
        ),
    ),
    Tone(
        "comic",
        _b(
            "comic|comedic|funny|funnier|light|lighter|playful|silly|absurd|zany|"
            "goofy|screwball|farcical|witty|wry|humorous|humourous|cheeky"
        ),
        _b("madcap|wry|gleefully chaotic|warm-hearted|ridiculous"),
        (("happy", 6), ("bittersweet", 2), ("open", 1)),
        _b(
            "It goes about as well as anyone expected.|Dignity is not among the survivors.|"
            "Nobody learns quite the right lesson.|The goose, at least, is happy."
        ),
    ),
    Tone(
        "hopeful",
        _b(
            "hopeful|uplifting|warm|heartwarming|gentle|optimistic|feel-good|cozy|"
            "cosy|tender|sweet|kind"
        ),
        _b("warm|tender|generous|quietly hopeful|big-hearted"),
        (("happy", 6), ("bittersweet", 3), ("open", 1)),
        _b(
            "It is a beginning, not an ending.|Some things, once mended, hold.|"
            "Nobody is fixed, but nobody is alone."
        ),
    ),
    Tone(
        "tense",
        _b(
            "tense|suspenseful|taut|gripping|paranoid|claustrophobic|urgent|"
            "propulsive|relentless|thrilling|edge"
        ),
        _b("taut|relentless|claustrophobic|breathless|knife-edge"),
        (("bittersweet", 4), ("open", 3), ("happy", 2), ("tragic", 2)),
        _b("The clock never stops.|Every choice costs someone.|Trust is the first casualty."),
    ),
    Tone(
        "melancholy",
        _b(
            "melancholy|melancholic|wistful|elegiac|sad|mournful|quiet|"
            "nostalgic|bittersweet|reflective|contemplative"
        ),
        _b("wistful|elegiac|aching|quiet|autumnal"),
        (("bittersweet", 6), ("open", 3), ("tragic", 2), ("happy", 1)),
        _b(
            "What is lost stays lost; what is kept is enough.|Some goodbyes take years.|"
            "The last light is the softest."
        ),
    ),
    Tone(
        "romantic",
        _b("romantic|swoony|passionate|sensual|steamy|yearning|longing"),
        _b("swooning|yearning|heady|aching|sun-warmed"),
        (("happy", 6), ("bittersweet", 3), ("open", 1)),
        _b("Some risks are worth taking twice.|Love, it turns out, is a decision."),
    ),
    Tone(
        "gritty",
        _b(
            "gritty|grounded|raw|realistic|naturalistic|hard-boiled|hardboiled|"
            "noir|pulpy|pulp|sleazy"
        ),
        _b("hard-bitten|grimy|unsentimental|rain-soaked|streetwise"),
        (("bittersweet", 5), ("tragic", 3), ("open", 2), ("happy", 1)),
        _b("The city keeps what it takes.|Everybody pays; some pay twice."),
    ),
    Tone(
        "whimsical",
        _b(
            "whimsical|quirky|fairy-tale|fairytale|magical realist|dreamy|"
            "fanciful|charming|storybook"
        ),
        _b("whimsical|dreamlike|storybook|curious|moonlit"),
        (("happy", 5), ("bittersweet", 3), ("open", 2)),
        _b(
            "Some doors are only there when you need them.|The world is stranger, and kinder, than it looks."
        ),
    ),
)

NEUTRAL = Tone(
    "neutral",
    (),
    _b("gripping|intimate|sharp|character-driven|propulsive"),
    (("bittersweet", 4), ("happy", 3), ("open", 2), ("tragic", 2)),
    (),
)


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
