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

from generation.offline.voice import Voice

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
_ASIDES = (
    "which, honestly, nobody asked me about",
    "and I know how that sounds",
    "I've been up all night thinking about it",
    "not that anyone listens to me",
    "and don't look at me like that",
    "which is a whole other story",
    "and I mean that in the nicest way",
    "and yes, I did write it down",
    "my mother always said this would happen",
    "and before you say anything",
    "which I realise is not the point",
    "if we're being honest, and we should be",
)
_HESITATIONS = ("I— ", "Um. ", "I mean— ", "Sorry. ", "It's just— ")
_RHETORICAL = (
    "What could possibly go wrong?",
    "Isn't that convenient?",
    "Who could have seen that coming?",
    "And how's that working out?",
    "Wonderful, isn't it?",
    "Shocking, I know.",
)
_WARMTH = ("Hey.", "Listen to me.", "Oh, {you}.", "Come here.")
_FIRE = ("Don't you dare.", "Look at me!", "Enough!", "No. No!")
_FOLK = ("Well, now.", "Lord.", "Here's the thing.")
_LYRIC = (
    "It's like {texture}, all of it.",
    "Everything here smells of endings.",
    "Some nights I can hear it, {texture}.",
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


_STARTERS = frozenset(
    "you we it that this there what don't maybe fine and but so then listen look hey no yes "
    "not all say tell mine funny somebody nobody everyone both if walk go decide that's there's "
    "it's what's you're we're you've you'd you'll decide tomorrow here's nobody's".split()
)
_TAILS = (
    "",
    "",
    "",
    " Anyway.",
    " Sorry. Where was I?",
    " Does that make sense?",
    " I'm just saying.",
)


def _joinable(sentence: str, keep: frozenset[str]) -> str:
    """A sentence ready to follow a comma: no end stop, first word lower-cased unless a name."""
    bare = sentence.rstrip(".!?… ")
    first = bare.split(" ", 1)[0].strip(",;:—")
    if first.lower() in keep or first == "I" or first.startswith(("I'", "I’")):
        return bare
    if first[1:].islower() or first.lower() in _STARTERS:
        bare = bare[0].lower() + bare[1:]
    return bare


def _ramble(parts: list[str], rng: random.Random, keep: frozenset[str]) -> list[str]:
    """Everything in one breath, with an aside and sometimes an afterthought."""
    aside = rng.choice(_ASIDES)
    text = f"{parts[0].rstrip('.!?… ')}, {aside}"
    for piece in (_joinable(p, keep) for p in parts[1:]):
        lead = piece.split(" ", 1)[0].lower()
        joiner = (
            ", "
            if lead in ("and", "but", "so", "because")
            else rng.choice((", and ", " — and ", ", and honestly, "))
        )
        text += joiner + piece
    end = "?" if parts[-1].rstrip().endswith("?") else "."
    return [text + end + rng.choice(_TAILS)]


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
        parts.append(rng.choice(_RHETORICAL))
    if "warm" in t and rng.random() < 0.45:
        parts.insert(0, expand(rng.choice(_WARMTH)))
    if "fiery" in t:
        parts = [p[:-1] + "!" if p.endswith(".") and rng.random() < 0.5 else p for p in parts]
        if rng.random() < 0.3:
            parts.insert(0, rng.choice(_FIRE))
    if "folksy" in t and rng.random() < 0.35:
        parts.insert(0, rng.choice(_FOLK))
    if "lyrical" in t and rng.random() < 0.4:
        parts.append(expand(rng.choice(_LYRIC)))
    text = " ".join(parts)
    if "nervous" in t:
        text = rng.choice(_HESITATIONS) + text
        if rng.random() < 0.5:
            text = re.sub(r"[.!]$", "...", text, count=1)
    if "formal" in t:
        text = formalise(text)
    elif "folksy" in t:
        text = _apply(_CONTRACT, text)
    elif "terse" not in t:
        text = _apply(_CONTRACT[:9], text)
    return text


_PARENS = {
    "terse": ("flat", "beat", "not looking up"),
    "formal": ("evenly", "precisely", "a thin smile"),
    "sardonic": ("dry", "deadpan", "a humourless laugh"),
    "warm": ("softly", "gently", "reaching for {you.poss} hand"),
    "rambling": ("all in one breath", "barely pausing", "off on a tangent"),
    "nervous": ("too quickly", "almost a whisper", "swallowing hard"),
    "fiery": ("sharp", "rounding on {you.them}", "too loud"),
    "folksy": ("with a slow grin", "shaking {me.their} head", "spitting"),
    "lyrical": ("far away", "half to {me.self}", "watching the light"),
    "plain": ("beat", "quietly", "after a moment"),
}


def parenthetical_for(voice: Voice, rng: random.Random, expand: Callable[[str], str]) -> str:
    """Direction for the actor, lower-case as Fountain writes it."""
    text = expand(rng.choice(_PARENS[rng.choice(voice.traits) if voice.traits else "plain"]))
    return text[:1].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text
