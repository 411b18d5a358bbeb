"""English text basics for everything in generation/ that reads text: folding, words,
stems, stop words, sentences and set overlap, one copy of each.

The summaries (generation/summarize), the script doctor (generation/doctor), the choice of
alternatives (generation/alternatives.py) and the offline engine's sentence splitting all
read text through this module, so "a word", "a sentence" and "a stop word" mean the same
thing everywhere. Nothing here downloads data: the stemmer is Snowball's English (Porter2)
algorithm from PyStemmer, compiled into its wheel, and the stop words are package data
(``generation/data/stopwords.txt``), read once.

The sentence splitter is a regular expression on purpose. pysbd, the well-kept rule-based
splitter, was measured on the sample threads: about 100 times slower (3.2 s for the 5,000
messages of the summary benchmark, whose whole budget is 2 s) and worse on chat, where a
sentence often starts in lower case ("works for me. honestly relieved" stays one sentence)
and markup closes after the full stop ("**Arc 3 goes to Lowmere.** Skyrend waits" loses
its bold to the next sentence).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files
from typing import TypeVar

import Stemmer  # PyStemmer

_WORD = re.compile(r"\d+(?:[.,]\d+)*[a-z]*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# A sentence ends at ! or ?, at a full stop that is not part of an ellipsis, or at either
# followed by closing quotes or brackets (which stay with the sentence), when whitespace
# follows; and at every line break.
# Titles and the like keep their full stop inside the sentence: "Mrs. Abernathy", "Dr. Tate".
_ABBREVIATION = "".join(
    rf"(?<!\b{a}\.)"
    for a in (
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "St",
        "Jr",
        "Sr",
        "Mt",
        "Capt",
        "Sgt",
        "Prof",
        "vs",
        "mr",
        "mrs",
        "dr",
    )
)
_SENTENCE_END = re.compile(
    rf"(?<=[!?])\s+|(?<=[^.]\.){_ABBREVIATION}\s+|(?<=[.!?][\"'’”)\]])\s+|\n+"
)
# The same, where an ellipsis ("..." or "…") ends a sentence too.
_SENTENCE_END_ELLIPSIS = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"'’”)\]])\s+|\n+")


def _load_stopwords() -> frozenset[str]:
    text = files("generation").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(line for line in lines if line)


STOPWORDS = _load_stopwords()
"""Lower-case English function words and chat filler ("the", "i'm", "lol", "tbh"), with
straight apostrophes: words too common to say what a text is about."""

_STEMMER = Stemmer.Stemmer("english")

T = TypeVar("T")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without accents: "Lucía" and "lucia" compare equal."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words and numbers, in order, stop words kept.

    A word is a run of letters in any script, apostrophes inside it kept and made straight
    ("don’t" -> don't, as the stop words spell it); hyphens and underscores split words
    ("flash-forward" -> flash, forward); a number keeps its digits and a unit stuck to it
    ("4,000" -> 4000, "2–4k" -> 2, 4k).
    """
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        token = match.group()
        out.append(token.replace(",", "") if token[0].isdigit() else token.replace("’", "'"))
    return out


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball English (Porter2) stem of a folded word: "betrays", "betrayed" and
    "betrayal" are all "betray". Curly apostrophes count as straight ones."""
    return str(_STEMMER.stemWord(word.replace("’", "'")))


def sentences(text: str, *, ellipsis: bool = False) -> list[str]:
    """The sentences of ``text``, stripped, in order, each with its punctuation.

    A sentence ends at "!", "?" or a full stop (with any closing quotes or brackets after
    it) followed by whitespace, and at a line break; not at the full stop of a title
    ("Mrs. Abernathy", "Dr. Tate"). ``ellipsis``: whether "..." and "…"
    end one too; in chat they rarely do ("ok... what if she lives" is one thought), in
    prose they usually do. A piece with no letter or digit in it is not a sentence.
    """
    pattern = _SENTENCE_END_ELLIPSIS if ellipsis else _SENTENCE_END
    parts = (p.strip() for p in pattern.split(text))
    return [p for p in parts if p and any(ch.isalnum() for ch in p)]


def jaccard(a: frozenset[T], b: frozenset[T]) -> float:
    """|a ∩ b| / |a ∪ b|, in [0, 1]. Two empty sets are the same set (1.0); an empty set
    and a non-empty one share nothing (0.0)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
