"""Reading a want, need or goal the way a writer types it ("To get home.", "Revenge").

``aim`` strips the lead-in ("she wants to ...") and classifies what is left as an action,
a thing or anything else, so the result fits into a sentence (see ``Aim``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generation.offline.lexicon import LEXICON
from generation.offline.text import clip, lower_first

_WANT_LEAD = re.compile(
    r"^(?:(?:i|she|he|they|xe|ze|ey|fae|it|[\w'’-]+)\s+)?"
    r"(?:wants?|needs?|longs?|hopes?|wishes|wish|yearns?|desires?|craves?|"
    r"is desperate|are desperate)"
    r"(?:\s+(?:for|to))?\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Aim:
    """A want, need or goal as typed, and how it fits into a sentence.

    ``kind`` is "vp" for an action ("get her brother home"), "np" for a thing ("revenge",
    "her father's approval"), "other" for anything else (a gerund, a clause).
    """

    raw: str
    kind: str

    @property
    def vp(self) -> str:
        """As an action without "to"; things become "get X"."""
        if self.kind == "vp":
            return self.raw
        if self.kind == "np":
            return f"get {self.raw}"
        return ""

    def predicate(self, verb: str = "wants") -> str:
        """ "wants to get home" / "wants revenge" / "wants one thing: finding him"."""
        if self.kind == "vp":
            return f"{verb} to {self.raw}"
        if self.kind == "np":
            return f"{verb} {self.raw}"
        return f"{verb} one thing: {self.raw}"

    @property
    def noun(self) -> str:
        """Fits "All I want is ___": "to get home" / "revenge"."""
        return f"to {self.raw}" if self.kind == "vp" else self.raw


def aim(text: str, max_words: int = 18, keep: frozenset[str] = frozenset()) -> Aim | None:
    """Read a want/need/goal the way a writer types it ("To get home.", "Revenge")."""
    phrase = clip(text, max_words)
    if not phrase:
        return None
    phrase = _WANT_LEAD.sub("", phrase, count=1) or phrase
    if phrase.lower().startswith("to "):
        phrase = phrase[3:]
        first = phrase.split(" ", 1)[0].lower()
        return Aim(lower_first(phrase, keep), "vp") if first else None
    first = phrase.split(" ", 1)[0].lower().strip("\"'“‘")
    if first in LEXICON.verbs:
        return Aim(lower_first(phrase, keep), "vp")
    if first.endswith("ing") and len(first) > 4:
        return Aim(lower_first(phrase, keep), "other")
    if first in {"that", "for", "if", "whether"}:
        return Aim(lower_first(phrase, keep), "other")
    return Aim(lower_first(phrase, keep), "np")
