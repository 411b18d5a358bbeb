"""Words and sentences for the offline summarizer: tokens, light stems, overlap.

Everything here is plain English text handling with no downloaded data. Tokens are
lower-cased, hyphenated words are split ("flash-forward" -> flash, forward), numbers keep
their digits ("4,000" -> 4000, "2–4k" -> 2, 4k) and a light suffix-stripping stemmer makes
"betrays", "betrayal" and "betrayed" one word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"\d+(?:[.,]\d+)*[a-z]*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[!?])\s+|(?<=[^.]\.)\s+|(?<=[.!?][\"'’”)\]])\s+|\n+")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "actually",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "although",
        "always",
        "am",
        "an",
        "and",
        "any",
        "anyone",
        "anything",
        "are",
        "aren't",
        "around",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "even",
        "ever",
        "every",
        "everyone",
        "everything",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "getting",
        "got",
        "gonna",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "he'd",
        "he'll",
        "he's",
        "her",
        "here",
        "here's",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "how's",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it'd",
        "it'll",
        "it's",
        "its",
        "itself",
        "just",
        "kind",
        "kinda",
        "know",
        "let",
        "let's",
        "like",
        "literally",
        "lol",
        "lot",
        "maybe",
        "me",
        "might",
        "mine",
        "more",
        "most",
        "much",
        "must",
        "mustn't",
        "my",
        "myself",
        "need",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "oh",
        "ok",
        "okay",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "pretty",
        "quite",
        "rather",
        "re",
        "really",
        "right",
        "same",
        "say",
        "says",
        "said",
        "see",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "so",
        "some",
        "something",
        "somebody",
        "someone",
        "still",
        "such",
        "sure",
        "tbh",
        "than",
        "that",
        "that'd",
        "that'll",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "thing",
        "things",
        "think",
        "this",
        "those",
        "though",
        "through",
        "to",
        "too",
        "totally",
        "u",
        "um",
        "uh",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "want",
        "wanna",
        "was",
        "wasn't",
        "way",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "well",
        "were",
        "weren't",
        "what",
        "what's",
        "whatever",
        "when",
        "when's",
        "where",
        "where's",
        "whether",
        "which",
        "while",
        "who",
        "who's",
        "whom",
        "why",
        "why's",
        "will",
        "with",
        "won't",
        "would",
        "wouldn't",
        "yeah",
        "yep",
        "yes",
        "yet",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "btw",
        "honestly",
        "genuinely",
        "basically",
        "ooh",
        "ohh",
        "ohhh",
        "hmm",
        "hey",
        "hi",
        "also",
        "noted",
        "yo",
    ]
)

SHORT_FORMS = {"ch": "chapter", "chs": "chapter", "ep": "episode", "eps": "episode", "ur": "your"}


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without accents: "Lucía" and "lucia" compare equal."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plural, possessive, -ing, -ed, -al, final e."""
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    if len(w) <= 3 or w[0].isdigit():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if w.endswith("al") and len(w) >= 7:
        w = w[:-2]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words and numbers, in order (stopwords kept)."""
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        token = match.group().replace(",", "") if match.group()[0].isdigit() else match.group()
        out.append(token)
    return out


def content_words(text: str) -> list[str]:
    """Stems of the words that carry meaning: no stopwords, no one-letter words."""
    out: list[str] = []
    for w in words(text):
        w = SHORT_FORMS.get(w, w)
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(stem(w))
    return out


@lru_cache(maxsize=1 << 16)
def content_set(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def sentences(text: str) -> list[str]:
    """Split on sentence punctuation and line breaks; keeps the punctuation."""
    parts = (p.strip() for p in _SENTENCE_END.split(text))
    return [p for p in parts if p and any(ch.isalnum() for ch in p)]


def overlap(a: Iterable[str], b: Iterable[str]) -> int:
    return len(set(a) & set(b))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the larger: 1.0 when one says all the other says."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def trim_words(text: str, limit: int) -> str:
    """At most ``limit`` words, with an ellipsis when cut."""
    parts = text.split()
    if len(parts) <= limit:
        return text
    return " ".join(parts[:limit]).rstrip(",;:—-") + "…"
