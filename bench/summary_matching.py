"""Does a digest's point say an annotated statement? The text matching behind
bench/summary_quality.py.

The matcher is deliberately independent of the summarizer's own reading of text: its own
tokenizer and stopword list, so the summarizer's choice of which words matter is not
graded by itself. Only the stemmer is shared (Snowball's English algorithm, through
generation/textkit.py): stemming is a standard, not a judgement. ``similarity`` is an F2
score (recall weighted four times precision) between the expected statement's words and
the point's words, where key entities of the expected statement (capitalised words,
numbers) weigh double. An item is covered at ``THRESHOLD`` = 0.40; the F2 form rewards a
point that says the expected thing, and its precision term keeps a long message that
merely mentions the same words (a whole brainstorm quoted as one point) from matching. For
false claims a point must also (a) not negate the claim's words ("Ruth lives, not killed"
does not claim "Ruth is killed", nor "Friday's off" "Friday"), negation counted within
three words before a matched word or a ruling-out within four after; and (b) name the
same people the claim names (for an action item, its owner): "Marcus is drafting the cold
open" is not made by an item owned by Priya; and (c) say what the claim says about its
subject, not only name it: two (or half) of the claim's words other than its key
entities, or else all of its key entities when they are more than the name of someone in
the room ("last shot of the pilot is Teague getting word…" names Teague and the pilot but
does not say "Teague is revealed as the buyer in the pilot"; "Eli: write three haiku"
names Eli but does not say "Eli is writing the tow scene").
The matcher is bag-of-words: a paraphrase with other words
("Ruth dies" for "Ruth is killed") can escape it, so false claims are a floor, read
together with the listed points.
"""

from __future__ import annotations

import re
import unicodedata

from generation.summarize.cues import NEGATION_WORDS
from generation.textkit import stem

THRESHOLD = 0.40

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "so",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "me",
        "my",
        "not",
        "no",
        "yes",
        "do",
        "does",
        "did",
        "done",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "just",
        "also",
        "only",
        "very",
        "really",
        "about",
        "over",
        "under",
        "up",
        "down",
        "out",
        "off",
        "than",
        "too",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "each",
        "every",
        "both",
        "more",
        "most",
        "much",
        "many",
        "such",
        "own",
        "same",
        "other",
        "again",
        "once",
        "here",
        "now",
        "ok",
        "okay",
        "one",
        "s",
        "t",
    ]
)
_SHORT = {"ch": "chapter", "chs": "chapter", "ep": "episode", "eps": "episode"}
_RULED_OUT = frozenset(
    [
        "dead",
        "shelved",
        "scrapped",
        "dropped",
        "gone",
        "someday",
        "parked",
        "cancelled",
        "canceled",
        "abandoned",
        "off",
        "out",
        "cut",
    ]
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")


def tokens(text: str) -> list[str]:
    out = []
    for raw in _TOKEN.findall(fold(text)):
        raw = _SHORT.get(raw, raw)
        if raw in _STOP:
            continue
        out.append(stem(raw))
    return out


def key_entities(text: str) -> set[str]:
    """Capitalised words and numbers of a statement: what it is about."""
    found: set[str] = set()
    for raw in re.findall(r"[\w'’]+", text):
        if raw[0].isdigit() or raw[0].isupper():
            found.update(tokens(raw))
    return found


def similarity(expected: str, point: str) -> float:
    """F2 of the point against the expected statement; key entities weigh double."""
    want = set(tokens(expected))
    have = set(tokens(point))
    if not want or not have:
        return 0.0
    keys = key_entities(expected)
    weight = {t: 2.0 if t in keys else 1.0 for t in want}
    recall = sum(weight[t] for t in want & have) / sum(weight.values())
    precision = len(want & have) / len(have)
    if recall == 0 or precision == 0:
        return 0.0
    return 5 * precision * recall / (4 * precision + recall)


def says_it(claim: str, point: str, people: set[str] | frozenset[str] = frozenset()) -> bool:
    """The point says what the claim says about its subject, not only names the subject:
    two (or half) of the claim's other words are there, or every key entity is, when the
    key entities are more than a person's name (``people``: name tokens of the room);
    "Eli: write three haiku" names Eli Sandoval but does not say he writes the tow scene."""
    have = set(tokens(point))
    keys = key_entities(claim)
    predicate = set(tokens(claim)) - keys
    present = len(predicate & have)
    if not predicate or present >= 2 or present >= len(predicate) / 2:
        return True
    return len(keys - set(people)) >= 2 and keys <= have


def negates(point: str, claim: str) -> bool:
    """The point denies a word of the claim that the claim itself asserts: a negation in
    the three words before it ("not killed") or a ruling-out in the four after ("platinum
    is dead", "Skyrend goes in the someday pile")."""
    claim_words = set(tokens(claim))
    if any(w in NEGATION_WORDS for w in _TOKEN.findall(fold(claim))):
        return False
    raw = _TOKEN.findall(fold(point))
    for i, word in enumerate(raw):
        stemmed = tokens(word)
        if not stemmed or stemmed[0] not in claim_words:
            continue
        if any(w in NEGATION_WORDS for w in raw[max(0, i - 3) : i]):
            return True
        if any(w in _RULED_OUT for w in raw[i + 1 : i + 5]):
            return True
    return False
