"""What the summarizer compares messages by: the stems of the words that carry meaning.

Folding, words, stems, stop words and sentences are the shared ones of
generation/textkit.py; this module adds the summarizer's own reading on top: chat short
forms ("ep 3" is episode 3), content stems as a set (what two sentences share), and
trimming a quote to a length. ``fold`` and ``sentences`` are re-exported for the scene
summary, which imports them from here.
"""

from __future__ import annotations

from functools import lru_cache

from generation.textkit import STOPWORDS, fold, sentences, stem, words

__all__ = [
    "SHORT_FORMS",
    "content_set",
    "content_words",
    "fold",
    "sentences",
    "trim_middle",
    "trim_words",
]

SHORT_FORMS = {"ch": "chapter", "chs": "chapter", "ep": "episode", "eps": "episode", "ur": "your"}


def content_words(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order: no stop words, no one-letter
    words, short forms spelled out ("betrays", "betrayed" and "betrayal" are one stem)."""
    out: list[str] = []
    for w in words(text):
        w = SHORT_FORMS.get(w, w)
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(stem(w))
    return out


@lru_cache(maxsize=1 << 16)
def content_set(text: str) -> frozenset[str]:
    """The content stems of ``text`` as a set, cached: what two sentences can share."""
    return frozenset(content_words(text))


def trim_words(text: str, limit: int) -> str:
    """At most ``limit`` words, with an ellipsis when cut; at the end of a sentence when
    one ends in the last third of them ("the cold open is X, Dez on the radio.…")."""
    parts = text.split()
    if len(parts) <= limit:
        return text
    for k in range(limit, (2 * limit) // 3, -1):
        if parts[k - 1][-1:] in ".;!?":
            return " ".join(parts[:k]).rstrip(";") + " …"
    return " ".join(parts[:limit]).rstrip(",;:—-") + "…"


def trim_middle(text: str, limit: int) -> str:
    """At most ``limit`` words, cut in the middle: a question keeps its end, where the
    "?" and what it asks usually are ("can I tell if it's… does it count as attuned?")."""
    parts = text.split()
    if len(parts) <= limit:
        return text
    head = (limit + 1) // 2
    tail = limit - head
    return " ".join(parts[:head]).rstrip(",;:—-") + " … " + " ".join(parts[-tail:])
