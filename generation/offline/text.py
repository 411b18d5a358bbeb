"""Small pure helpers for handling what writers typed: phrases, sentences, names.

Everything a writer types can be long, empty, multi-line or in any script, so these
helpers make a phrase safe to drop into the middle of a sentence: one line, one clause,
a bounded number of words, no trailing full stop.
"""

from __future__ import annotations

import re

from generation import textkit

_SPACES = re.compile(r"\s+")
_TRAILING = " \t\n.,;:!?…-–—"

VERBS = frozenset(
    [
        "accept",
        "achieve",
        "admit",
        "avenge",
        "avoid",
        "bargain",
        "be",
        "beat",
        "become",
        "belong",
        "bring",
        "build",
        "buy",
        "capture",
        "catch",
        "change",
        "choose",
        "claim",
        "clear",
        "climb",
        "close",
        "come",
        "complete",
        "conquer",
        "convince",
        "cross",
        "cure",
        "defeat",
        "defend",
        "deliver",
        "destroy",
        "discover",
        "do",
        "earn",
        "end",
        "escape",
        "expose",
        "face",
        "fall",
        "feel",
        "fight",
        "find",
        "finish",
        "fix",
        "flee",
        "forget",
        "forgive",
        "free",
        "get",
        "give",
        "go",
        "grow",
        "guard",
        "have",
        "heal",
        "help",
        "hide",
        "hold",
        "honour",
        "honor",
        "hunt",
        "inherit",
        "join",
        "keep",
        "kill",
        "know",
        "land",
        "lead",
        "learn",
        "leave",
        "live",
        "lose",
        "love",
        "make",
        "marry",
        "matter",
        "mean",
        "meet",
        "move",
        "open",
        "outlast",
        "outlive",
        "outrun",
        "own",
        "pass",
        "pay",
        "play",
        "protect",
        "prove",
        "pull",
        "put",
        "raise",
        "reach",
        "read",
        "rebuild",
        "reclaim",
        "recover",
        "redeem",
        "remember",
        "repair",
        "rescue",
        "restore",
        "retire",
        "return",
        "reunite",
        "rise",
        "rob",
        "ruin",
        "run",
        "save",
        "say",
        "see",
        "sell",
        "send",
        "settle",
        "show",
        "silence",
        "sing",
        "solve",
        "speak",
        "stand",
        "start",
        "stay",
        "steal",
        "stop",
        "survive",
        "take",
        "tell",
        "topple",
        "track",
        "trust",
        "turn",
        "unite",
        "unmask",
        "uncover",
        "walk",
        "win",
        "work",
        "write",
        "address",
        "confess",
        "confront",
        "argue",
        "ask",
        "beg",
        "apologise",
        "apologize",
        "visit",
        "wait",
        "warn",
        "interrogate",
        "refuse",
        "propose",
        "plead",
        "explain",
        "lie",
        "threaten",
        "corner",
        "kiss",
        "break",
        "reveal",
        "question",
        "accuse",
        "comfort",
        "persuade",
        "bargain",
        "negotiate",
        "celebrate",
        "mourn",
        "bury",
        "dance",
        "drink",
        "eat",
        "cook",
        "hunt",
        "plot",
        "discuss",
        "demand",
        "offer",
        "promise",
        "recruit",
        "interview",
        "hire",
        "fire",
        "arrest",
        "interrupt",
    ]
)
"""Common base-form verbs: a want starting with one of these is an action ("get home")."""

FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "for",
        "and",
        "or",
        "but",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "her",
        "his",
        "their",
        "its",
        "my",
        "your",
        "our",
        "xyr",
        "hir",
        "zir",
        "eir",
        "faer",
        "some",
        "any",
        "one",
        "no",
        "every",
        "each",
        "this",
        "that",
        "these",
        "those",
        "what",
        "who",
        "whom",
        "whose",
        "which",
        "more",
        "less",
        "most",
        "least",
        "just",
        "only",
        "all",
    ]
)


def one_line(text: str) -> str:
    """The text on one line with single spaces."""
    return _SPACES.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """Split prose into sentences (good enough for synopses and dialogue lines): the
    shared splitter on the text made one line, where an ellipsis ends a sentence too."""
    return textkit.sentences(one_line(text), ellipsis=True)


def words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text)


def strip_end(text: str) -> str:
    """No trailing punctuation, so the phrase can sit inside a sentence."""
    return text.rstrip(_TRAILING).strip()


_RELATIVE = frozenset({"who", "that", "which", "whose", "where", "whom", "because", "while"})


def clip(text: str, max_words: int = 14) -> str:
    """A short phrase from free text: its first sentence, cut at a clause if too long."""
    flat = one_line(text)
    if not flat:
        return ""
    first = sentences(flat)[0] if sentences(flat) else flat
    tokens = first.split(" ")
    if len(tokens) <= max_words:
        return strip_end(first)
    head = " ".join(tokens[:max_words])
    for mark in (";", " — ", " – ", ", "):
        cut = head.rfind(mark)
        if cut > len(head) // 3:
            return strip_end(head[:cut])
    # No clause boundary: drop a relative clause cut in half ("who ever lied" -> ""),
    # then end on a content word so the phrase does not dangle.
    kept = tokens[:max_words]
    relative = [k for k, t in enumerate(kept) if t.lower() in _RELATIVE and k >= 2]
    if relative:
        kept = kept[: relative[-1]]
    while len(kept) > 2 and kept[-1].lower().strip(_TRAILING) in FUNCTION_WORDS:
        kept.pop()
    return strip_end(" ".join(kept))


def lower_first(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Lower-case the first letter for mid-sentence use, unless it starts a name."""
    if not text:
        return text
    first = text.split(" ", 1)[0]
    bare = first.strip("\"'“‘(")
    if not bare or bare.lower() in keep or bare == "I" or bare.startswith("I'"):
        return text
    if bare.isupper() and len(bare) > 1:
        return text  # an acronym
    if any(ch.isupper() for ch in bare[1:]):
        return text  # McCall, iPhone-style names
    if bare.lower() in FUNCTION_WORDS or bare.lower() in VERBS or bare.lower().endswith("ing"):
        return text[0].lower() + text[1:] if text[0].isupper() else text
    return text if not text[0].isupper() else text[0].lower() + text[1:]


def upper_first(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if ch not in "\"'“‘(¿¡ ":
            return text
    return text


def join_names(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def word_count(text: str) -> int:
    return len(words(text))


def content_words(text: str) -> list[str]:
    """Words that carry meaning (not function words), lower-cased, in order."""
    return [w.lower() for w in words(text) if w.lower() not in FUNCTION_WORDS and len(w) > 2]
