"""Characters a thread mentions, told apart from the people in the room and from labels.

- The room: every author of the thread and every name they are addressed by (a first
  name, a handle, a mention) is a person, never a character, even inside a longer run of
  capitals ("Cass Moreno I'll" is Cass, then "I'll").
- The bible: when the story has characters, a name the thread uses for one of them (the
  full name, or a part of it no other character shares) is that character, under the
  bible's name.
- Anyone else is a character only when the thread uses the name in the story's sense: it
  does something ("Dez boots", "Anselm keeps", "Iggy is counting", "does Dov know"), owns
  something ("Harrow's ferry"), or carries a title ("Mrs. Abernathy", "Brother Anselm").
  What people of the production do ("Priscilla thinks", "Renata's note", "tell Northlight",
  "Inez's agent") counts against it.
- Titles, products, studios and labels are no one: a run opened by "The" ("The Boot"), a
  name in quotes ("Low Tide"), one named as a title ("the title stays Boot Camp", "a show
  called…"), one followed by a label word ("Red Ledger pilot", "B-story", "the Hulu
  thing"), a single name used with "the" ("the Authority"), places
  ("in the Gloomfen", "Skyrend Pass") and calendar words.

The word banks are package data (generation/data/names.txt).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from generation.summarize.thread import Thread
from generation.textkit import STOPWORDS, fold

_TOKEN = re.compile(r"[^\W\d_][\w'’\-&]*|\S")
_QUOTES = frozenset('"“”')
_LOWER_WORD = re.compile(r"[^\W\d_][\w'’\-&]*")
_CONNECTORS = frozenset({"of", "the", "de", "van", "von", "du", "la", "le"})
_ABBREVIATED = frozenset({"mr", "mrs", "ms", "dr", "st", "capt", "sgt", "prof"})


@cache
def banks() -> dict[str, frozenset[str]]:
    """The sections of generation/data/names.txt, each a set of lower-case words."""
    text = files("generation").joinpath("data/names.txt").read_text(encoding="utf-8")
    out: dict[str, set[str]] = {}
    current: set[str] | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], set())
        elif current is not None:
            current.add(line)
    return {k: frozenset(v) for k, v in out.items()}


def _bank(name: str) -> frozenset[str]:
    return banks()[name]


def _bare(word: str) -> tuple[str, bool]:
    """Without a possessive: ("Abbess", True) for "Abbess's"."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)], True
    if word.endswith(("s'", "s’")) and len(word) > 3:
        return word[:-1], True
    return word, False


def _is_cap(word: str) -> bool:
    if not word[:1].isalpha():
        return False
    return (word[:1].isupper() and not word.isupper()) or (len(word) > 1 and word.isupper())


@dataclass
class _Uses:
    first: int
    mid: int = 0
    initial: int = 0
    story: int = 0
    meta: int = 0
    label: int = 0
    place: int = 0
    the: int = 0
    titled: bool = False
    quoted: bool = False

    @property
    def uses(self) -> int:
        return self.mid + self.initial


@dataclass
class _Scan:
    room: frozenset[str]
    uses: dict[str, _Uses] = field(default_factory=dict)
    lower: set[str] = field(default_factory=set)

    def sentence(self, text: str, index: int) -> None:
        if text.islower() or not any(c.isupper() for c in text):
            self.lower.update(_LOWER_WORD.findall(fold(text)))
            return
        words = _TOKEN.findall(text)
        quoted = False
        i = 0
        while i < len(words):
            raw = words[i]
            if raw in _QUOTES:
                quoted = not quoted
                i += 1
                continue
            if raw[:1].isalpha() and raw.islower():
                self.lower.add(fold(_bare(raw)[0]))
            if not _is_cap(raw) or fold(_bare(raw)[0]) in _bank("not_names"):
                i += 1
                continue
            run, j, possessive = self._run(words, i)
            if not run:
                i = j
                continue
            self._record(run, words, i, j, possessive, quoted, index)
            i = j

    def _run(self, words: list[str], i: int) -> tuple[list[str], int, bool]:
        """The capitalised run starting at ``i`` (connectors inside it, a title abbreviation's
        full stop skipped), where it ends, and whether it ends in a possessive."""
        run: list[str] = []
        j = i
        possessive = False
        while j < len(words):
            word, owned = _bare(words[j])
            if not _is_cap(word) or fold(word) in _bank("not_names"):
                if (
                    run
                    and fold(word) in _CONNECTORS
                    and j + 1 < len(words)
                    and _is_cap(words[j + 1])
                ):
                    run.append(word)
                    j += 1
                    continue
                break
            run.append(word)
            j += 1
            if fold(word) in _ABBREVIATED and j < len(words) and words[j] == ".":
                j += 1
            if owned:
                possessive = True
                break
        while run and fold(run[-1]) in _CONNECTORS:
            run.pop()
        return run, max(j, i + 1), possessive

    def _record(
        self,
        run: list[str],
        words: list[str],
        i: int,
        j: int,
        possessive: bool,
        quoted: bool,
        index: int,
    ) -> None:
        titled = False
        while len(run) > 1 and fold(run[0]) in _bank("titles"):
            run = run[1:]
            titled = True
        before = [fold(w) for w in words[max(0, i - 3) : i]]
        prev = before[-1] if before else ""
        if prev in _bank("titles"):
            titled = True
        name = " ".join(run)
        u = self.uses.setdefault(name, _Uses(index))
        if i == 0 or words[i - 1] in '.!?"“(:' or (prev in _ABBREVIATED and not titled):
            u.initial += 1
        else:
            u.mid += 1
        u.titled |= titled
        u.quoted |= quoted
        if run[0] == "The" or run[0] == "A":
            u.label += 1
        if "-" in run[-1] and run[-1].rsplit("-", 1)[1].lower() in _bank("labels"):
            u.label += 1
        if any(w in _bank("label_before") for w in before):
            u.label += 1
        if prev == "the":
            u.the += 1
        locative = _bank("locative")
        if prev in locative or (prev == "the" and len(before) > 1 and before[-2] in locative):
            u.place += 1
        if prev in _bank("meta_before") or (
            prev in {"to", "with", "for"} and any(w in _bank("meta_before") for w in before)
        ):
            u.meta += 1
        self._after(u, words[j:], possessive)

    def _after(self, u: _Uses, rest: list[str], possessive: bool) -> None:
        nxt = [fold(w) for w in rest[:4] if w[:1].isalpha()]
        while nxt and nxt[0] in _bank("adverbs"):
            nxt.pop(0)
        if not nxt:
            return
        word = nxt[0]
        if possessive:
            if word in _bank("meta_nouns"):
                u.meta += 1
            elif word in _bank("labels"):
                u.label += 1
            else:
                u.story += 1
            return
        if word in _bank("labels"):
            u.label += 1
        elif word in _bank("meta_verbs"):
            u.meta += 1
        elif word in _bank("story_after") or _verb_like(word):
            u.story += 1


def _verb_like(word: str) -> bool:
    """ "tows", "knocked": a verb's third person or past, by its ending."""
    if word in STOPWORDS or len(word) < 4:
        return False
    return (word.endswith("s") and not word.endswith(("ss", "us", "is"))) or word.endswith("ed")


def _room(thread: Thread) -> frozenset[str]:
    parts = {fold(w) for name in thread.people.order for w in re.split(r"[\s_().\-]+", name) if w}
    return frozenset(parts | set(thread.people.aliases))


def _cast_aliases(cast: Sequence[str], room: frozenset[str]) -> dict[str, str]:
    """Every name the thread may use for a bible character -> the bible's name."""
    claims: dict[str, set[str]] = {}
    for name in cast:
        folded = fold(name).strip()
        if not folded:
            continue
        claims.setdefault(folded, set()).add(name)
        for part in re.split(r"[\s_\-]+", folded):
            if len(part) >= 3 and part not in _bank("titles") and part not in STOPWORDS:
                claims.setdefault(part, set()).add(name)
    return {a: next(iter(n)) for a, n in claims.items() if len(n) == 1 and a not in room}


def _bible_mentions(thread: Thread, aliases: dict[str, str]) -> dict[str, int]:
    if not aliases:
        return {}
    alts = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w])(?:{alts})(?![\w])")
    seen: dict[str, int] = {}
    for line in thread.lines:
        for match in pattern.finditer(line.folded):
            seen.setdefault(aliases[match.group()], line.index)
    return seen


def _keep(name: str, u: _Uses, scan: _Scan) -> bool:
    parts = name.split()
    folded = [fold(p) for p in parts]
    if any(p in scan.room for p in folded):
        return False
    if any(len(p) == 1 for p in parts) or all(
        p in _bank("calendar") or p in STOPWORDS for p in folded
    ):
        return False
    if u.quoted or (u.label and u.label >= u.story):
        return False
    if u.story <= u.meta and not (u.titled and u.meta == 0):
        return False
    if u.place * 2 >= u.uses and not u.titled:
        return False
    if folded[-1] in _bank("places") and not u.titled:
        return False
    if len(parts) > 1:
        return True
    word = parts[0]
    if word.isupper():
        return len(word) >= 4 and u.uses >= 3 and folded[0] not in scan.lower
    if folded[0] in scan.lower or folded[0] in STOPWORDS:
        return False
    if u.the * 2 >= u.uses and not u.titled:
        return False
    return u.titled or u.mid >= 2 or (u.uses >= 2 and u.story >= 1)


def find_characters(thread: Thread, cast: Iterable[str] = ()) -> list[str]:
    """The characters the thread mentions, in order of first mention (see the module
    docstring): bible characters under their bible names, others as the thread names them."""
    room = _room(thread)
    cast = [c for c in cast if c.strip()]
    aliases = _cast_aliases(cast, room)
    order = _bible_mentions(thread, aliases)
    scan = _Scan(room)
    for line in thread.lines:
        for sent in line.sentences:
            scan.sentence(sent.text, line.index)
    found: dict[str, int] = {}
    for name, u in scan.uses.items():
        if any(fold(p) in aliases for p in name.split()) or not _keep(name, u, scan):
            continue
        found[name] = u.first
    # A first name used alone merges into the one full name it belongs to.
    names = [n for n in found if not any(n != m and f" {n} " in f" {m} " for m in found)]
    merged = {n: found[n] for n in names}
    merged.update(order)
    return sorted(merged, key=lambda n: merged[n])
