"""Who is in the thread, and how they are named in it.

Owners and answerers are resolved to the display names the thread uses: a mention id to
its author's name, a first name to the one participant who has it ("Priya" -> "Priya
Raman"), a handle or a part of one to its owner ("@oatmilk" -> "oatmilk", "tess" ->
"mossy_tess"), a name with a role tag without the tag ("Brann" -> "Brann (GM)"). A word
that could be two people resolves to nobody: a wrong owner is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generation.summarize.model import ThreadMessage
from generation.textkit import STOPWORDS, fold

_ROLE_TAG = re.compile(r"\s*[\(\[]([^)\]]*)[\)\]]\s*")
_NAME_PARTS = re.compile(r"[\s_.\-]+")
LEAD_ROLES = re.compile(
    r"\b(gm|dm|showrunner|show runner|host|lead|head writer|producer|ep|editor|mod|chair)\b"
)
# Words that are no name on their own, besides the stop words: "Red Team" is not "Red".
_COMMON = frozenset(
    [
        "new",
        "old",
        "big",
        "red",
        "art",
        "ink",
        "sun",
        "moon",
        "day",
        "team",
        "crew",
        "room",
        "writer",
        "writers",
        "admin",
        "bot",
        "user",
        "guest",
    ]
)


@dataclass
class Directory:
    """Participants' display names and every alias that points to exactly one of them."""

    names_by_id: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    _sorted: list[str] | None = field(default=None, repr=False)
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _prefix: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def from_messages(cls, messages: Iterable[ThreadMessage]) -> Directory:
        d = cls()
        for m in messages:
            if m.author_id and m.author_id not in d.names_by_id:
                d.names_by_id[m.author_id] = m.author
            if m.author not in d.order:
                d.order.append(m.author)
        d._build_aliases()
        return d

    def _build_aliases(self) -> None:
        claims: dict[str, set[str]] = {}
        for name in self.order:
            for alias in _aliases_of(name):
                claims.setdefault(alias, set()).add(name)
        self.aliases = {a: next(iter(n)) for a, n in claims.items() if len(n) == 1}
        self._sorted = None
        self._pattern = None
        self._prefix = None

    def resolve(self, word: str) -> str | None:
        """The display name ``word`` refers to (an id, a name, a handle), or None."""
        word = word.strip().lstrip("@").strip(" ,.:;!?\"'")
        if not word:
            return None
        if word in self.names_by_id:
            return self.names_by_id[word]
        return self.aliases.get(fold(word))

    def resolve_prefix(self, text: str) -> tuple[str, str] | None:
        """When ``text`` starts with a participant's name or @mention: (display name, rest)."""
        body = text.lstrip()
        if body.startswith("@"):
            body = body[1:]
        if self._prefix is None:
            alts = "|".join(re.escape(a) for a in self._longest_first())
            self._prefix = re.compile(rf"(?:{alts})(?![\w'’])") if alts else None
        if self._prefix is None:
            return None
        match = self._prefix.match(fold(body))
        if match is None:
            return None
        alias = match.group()
        return self.aliases[alias], body[_cut(body, len(alias)) :]

    def names_in(self, text: str) -> list[str]:
        """Participants named anywhere in ``text`` (mentions or aliases), in order."""
        if self._pattern is None:
            alts = "|".join(re.escape(a) for a in self._longest_first())
            self._pattern = re.compile(rf"(?<![\w])(?:{alts})(?![\w'’])") if alts else None
        if self._pattern is None:
            return []
        found: list[str] = []
        for match in self._pattern.finditer(fold(text)):
            name = self.aliases[match.group()]
            if name not in found:
                found.append(name)
        return found

    def _longest_first(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.aliases, key=len, reverse=True)
        return self._sorted


def _cut(body: str, folded_length: int) -> int:
    """The index in ``body`` where its first ``folded_length`` folded characters end."""
    for k in range(max(0, folded_length - 2), min(len(body), folded_length + 3) + 1):
        if len(fold(body[:k])) == folded_length:
            return k
    return min(len(body), folded_length)


def _aliases_of(name: str) -> set[str]:
    aliases = {fold(name)}
    bare = _ROLE_TAG.sub(" ", name).strip()
    if bare:
        aliases.add(fold(bare))
    parts = [p for p in _NAME_PARTS.split(fold(bare)) if p]
    if len(parts) > 1:
        for p in parts:
            if len(p) >= 3 and p not in _COMMON and p not in STOPWORDS:
                aliases.add(p)
    return aliases


def lead_of(
    messages: Sequence[ThreadMessage], requests_by: Counter[str], decisions_by: Counter[str]
) -> str | None:
    """The person who runs the room: a role tag in the name, who opened the thread, who
    assigns work and calls decisions. The lead's confirmations count as decisions."""
    if not messages:
        return None
    score: Counter[str] = Counter()
    for name in dict.fromkeys(m.author for m in messages):
        tag = " ".join(_ROLE_TAG.findall(name)).casefold()
        if tag and LEAD_ROLES.search(tag):
            score[name] += 6
    score[messages[0].author] += 3
    for name, count in requests_by.items():
        score[name] += 2 * count
    for name, count in decisions_by.items():
        score[name] += count
    best = score.most_common(2)
    if not best or best[0][1] < 3:
        return None
    if len(best) > 1 and best[0][1] == best[1][1]:
        return None
    return best[0][0]
