"""Small pure helpers for handling what writers typed: phrases, sentences, names.

Everything a writer types can be long, empty, multi-line or in any script, so these
helpers make a phrase safe to drop into the middle of a sentence: one line, one clause,
a bounded number of words, no trailing full stop.
"""

from __future__ import annotations

import re

from generation import textkit
from generation.offline.lexicon import LEXICON

_SPACES = re.compile(r"\s+")
_TRAILING = " \t\n.,;:!?…-–—"


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
    relative = [k for k, t in enumerate(kept) if t.lower() in LEXICON.relative and k >= 2]
    if relative:
        kept = kept[: relative[-1]]
    while len(kept) > 2 and kept[-1].lower().strip(_TRAILING) in LEXICON.function_words:
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
    if (
        bare.lower() in LEXICON.function_words
        or bare.lower() in LEXICON.verbs
        or bare.lower().endswith("ing")
    ):
        return text[0].lower() + text[1:] if text[0].isupper() else text
    return text if not text[0].isupper() else text[0].lower() + text[1:]


def upper_first(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if ch not in "\"'“‘(¿¡ ":
            return text
    return text


def content_words(text: str) -> list[str]:
    """Words that carry meaning (not function words), lower-cased, in order."""
    return [
        w.lower() for w in words(text) if w.lower() not in LEXICON.function_words and len(w) > 2
    ]


_ADVERBS = frozenset({"never", "always", "often", "still", "then"})
_IRREGULAR = {"has": "have", "is": "are", "does": "do", "goes": "go", "was": "were"}
_NOT_VERBS = frozenset({"his", "its", "this", "yes", "us", "as", "thus", "hers", "theirs"})


def plural_agreement(phrase: str) -> str:
    """A habit written for "she"/"he" ("volunteers first", "never sits in the back",
    "arrives early and resents it") as it reads after "they": the verbs that agree with
    the subject lose their -s; nothing else changes."""
    ws = phrase.split(" ")
    verb_at = True  # the next word that is not an adverb is a verb
    for i, w in enumerate(ws):
        low = w.lower()
        if verb_at and low in _ADVERBS:
            continue
        if verb_at:
            ws[i] = _unconjugated(w)
        verb_at = low == "and"
    return " ".join(ws)


def _unconjugated(verb: str) -> str:
    low = verb.lower()
    if low in LEXICON.function_words or low in _NOT_VERBS:
        return verb
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low.endswith("ies") and len(low) > 4:
        return verb[:-3] + "y"
    if low.endswith(("ches", "shes", "sses", "xes", "zes")):
        return verb[:-2]
    if low.endswith("s") and not low.endswith("ss") and len(low) > 2:
        return verb[:-1]
    return verb
