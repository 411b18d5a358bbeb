"""Saying a drafted line in a character's voice: the rewrites that make a line theirs.

Lines are drafted in a neutral register and then ``render``-ed through the traits that
``voice.read_voice`` found: a terse speaker keeps the shortest clause, a formal one loses
contractions, a rambler runs sentences together, a nervous one hesitates.
``parenthetical_for`` picks the actor's direction to match.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from generation.offline.lexicon import LEXICON
from generation.offline.voice import VOICE_WORDS, Voice

_EXPAND = (
    (r"\bcan't\b", "cannot"),
    (r"\bwon't\b", "will not"),
    (r"\bain't\b", "is not"),
    (r"\bshan't\b", "shall not"),
    (r"\blet's\b", "let us"),
    (r"\bI'm\b", "I am"),
    (r"\b(it|that|what|there|here|who|he|she|where|how)'s\b", r"\1 is"),
    (r"n't\b", " not"),
    (r"'re\b", " are"),
    (r"'ve\b", " have"),
    (r"'ll\b", " will"),
    (r"'d\b", " would"),
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"\byeah\b", "yes"),
    (r"\bokay\b", "very well"),
    (r"\bkid\b", "child"),
    (r"\bguys\b", "people"),
)
_BEFORE_WORD = r"(?=\s+[\w'])"  # "as it is." stays; "it is late" -> "it's late"
_CONTRACT = (
    (r"\bI am\b" + _BEFORE_WORD, "I'm"),
    (r"\bdo not\b", "don't"),
    (r"\bis not\b", "isn't"),
    (r"\bcannot\b", "can't"),
    (r"\bwill not\b", "won't"),
    (r"\bit is\b" + _BEFORE_WORD, "it's"),
    (r"\bthat is\b" + _BEFORE_WORD, "that's"),
    (r"\byou are\b" + _BEFORE_WORD, "you're"),
    (r"\bwe are\b" + _BEFORE_WORD, "we're"),
    (r"\bgoing to\b", "gonna"),
    (r"\bisn't\b", "ain't"),
    (r"\bthink\b", "reckon"),
)


def _apply(rules: tuple[tuple[str, str], ...], text: str) -> str:
    """Rewrite by rules, case-insensitively, keeping a capital where the match had one."""
    for pattern, repl in rules:

        def sub(m: re.Match[str], repl: str = repl) -> str:
            out = m.expand(repl)
            return out[:1].upper() + out[1:] if m.group(0)[:1].isupper() else out

        text = re.sub(pattern, sub, text, flags=re.IGNORECASE)
    return text


def formalise(text: str) -> str:
    return _apply(_EXPAND, text.replace("’", "'"))


def _terse(parts: list[str], rng: random.Random) -> list[str]:
    """The first (key) sentence cut to its main clause, and at most one short one more."""
    cut = []
    for s in parts:
        head = re.split(r",\s+|\s+—\s+|;\s+|\s+(?:because|but|which|so)\s+", s, maxsplit=1)[0]
        head = head.rstrip(",;:—- ")
        if not re.search(r"[.!?…]$", head):
            head += "?" if s.endswith("?") else "."
        cut.append(head)
    keep = [cut[0]]
    rest = sorted(cut[1:], key=len)
    if rest and len(rest[0].split()) <= 4 and rng.random() < 0.5:
        keep.append(rest[0])
    return keep


def _joinable(sentence: str, keep: frozenset[str]) -> str:
    """A sentence ready to follow a comma: no end stop, first word lower-cased unless a name."""
    bare = sentence.rstrip(".!?… ")
    first = bare.split(" ", 1)[0].strip(",;:—")
    if first.lower() in keep or first == "I" or first.startswith(("I'", "I’")):
        return bare
    if first[1:].islower() or first.lower() in LEXICON.starters:
        bare = bare[0].lower() + bare[1:]
    return bare


def _ramble(parts: list[str], rng: random.Random, keep: frozenset[str]) -> list[str]:
    """Everything in one breath, with an aside and sometimes an afterthought."""
    aside = rng.choice(VOICE_WORDS.asides)
    text = f"{parts[0].rstrip('.!?… ')}, {aside}"
    for piece in (_joinable(p, keep) for p in parts[1:]):
        lead = piece.split(" ", 1)[0].lower()
        joiner = (
            ", " if lead in ("and", "but", "so", "because") else rng.choice(VOICE_WORDS.joiners)
        )
        text += joiner + piece
    end = "?" if parts[-1].rstrip().endswith("?") else "."
    return [text + end + rng.choice(VOICE_WORDS.tails)]


def render(
    voice: Voice,
    parts: list[str],
    rng: random.Random,
    expand: Callable[[str], str],
    keep: frozenset[str] = frozenset(),
) -> str:
    """A drafted line (key sentence first) said the way this voice says things.

    ``expand`` fills the voice's own stock phrases ("Oh, {you}.") for this scene; ``keep``
    holds lower-cased names, never lower-cased when sentences run together.
    """
    parts = [p for p in parts if p.strip()]
    if not parts:
        return "..."
    t = voice.traits
    if "terse" in t:
        parts = _terse(parts, rng)
    if "rambling" in t:
        parts = _ramble(parts, rng, keep)
    if "sardonic" in t and rng.random() < 0.3:
        parts.append(rng.choice(VOICE_WORDS.rhetorical))
    if "warm" in t and rng.random() < 0.45:
        parts.insert(0, expand(rng.choice(VOICE_WORDS.warmth)))
    if "fiery" in t:
        parts = [p[:-1] + "!" if p.endswith(".") and rng.random() < 0.5 else p for p in parts]
        if rng.random() < 0.3:
            parts.insert(0, rng.choice(VOICE_WORDS.fire))
    if "folksy" in t and rng.random() < 0.35:
        parts.insert(0, rng.choice(VOICE_WORDS.folk))
    if "lyrical" in t and rng.random() < 0.4:
        parts.append(expand(rng.choice(VOICE_WORDS.lyric)))
    text = " ".join(parts)
    if "nervous" in t:
        text = rng.choice(VOICE_WORDS.hesitations) + text
        if rng.random() < 0.5:
            text = re.sub(r"[.!]$", "...", text, count=1)
    if "formal" in t:
        text = formalise(text)
    elif "folksy" in t:
        text = _apply(_CONTRACT, text)
    elif "terse" not in t:
        text = _apply(_CONTRACT[:9], text)
    return text


def parenthetical_for(voice: Voice, rng: random.Random, expand: Callable[[str], str]) -> str:
    """Direction for the actor, lower-case as Fountain writes it."""
    text = expand(
        rng.choice(
            VOICE_WORDS.parentheticals[rng.choice(voice.traits) if voice.traits else "plain"]
        )
    )
    return text[:1].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text
