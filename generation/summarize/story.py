"""Story content in a thread: the characters it names and the changes it settles on.

Characters are found by how names look in running text: runs of capitalised words that
are not the start of a sentence ("Vesna Kadir", "Ysolde of the Reeds"), names after a title
("Ser", "Administrator"), and all-caps names used again and again ("SABLE"). Participants,
places ("in Lowmere", "Skyrend Pass") and calendar words are left out; a first name merges
into the one full name it belongs to.

Story changes are the final decisions about characters or beats, and the proposals those
decisions accepted, cut to their story sentences. Proposals nobody took up are not changes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from generation.summarize.model import Point
from generation.summarize.text import content_set
from generation.summarize.thread import Line, Thread
from generation.textkit import STOPWORDS, fold, stem

_WORD = re.compile(r"[^\W\d_][\w'’\-]*|\S")
TITLES = frozenset(
    [
        "ser",
        "sir",
        "lady",
        "lord",
        "dame",
        "captain",
        "capt",
        "dr",
        "doctor",
        "administrator",
        "margrave",
        "king",
        "queen",
        "prince",
        "princess",
        "general",
        "mr",
        "mrs",
        "ms",
        "miss",
        "father",
        "mother",
        "professor",
        "detective",
        "agent",
        "officer",
        "commander",
        "admiral",
        "abbess",
        "abbot",
        "duke",
        "duchess",
        "baron",
        "count",
        "countess",
        "saint",
        "st",
        "hydrologist",
        "inspector",
        "sergeant",
        "chief",
        "president",
        "minister",
        "governor",
        "judge",
        "uncle",
        "aunt",
    ]
)
PLACE_WORDS = frozenset(
    [
        "pass",
        "city",
        "vault",
        "dome",
        "station",
        "street",
        "road",
        "river",
        "sea",
        "lake",
        "mountain",
        "mountains",
        "valley",
        "keep",
        "tower",
        "castle",
        "hall",
        "house",
        "bridge",
        "forest",
        "woods",
        "marsh",
        "marshes",
        "market",
        "district",
        "harbor",
        "harbour",
        "port",
        "island",
        "bay",
        "gate",
        "temple",
        "abbey",
        "monastery",
        "inn",
        "tavern",
        "planet",
        "moon",
        "colony",
        "county",
    ]
)
_LOCATIVE = frozenset(
    [
        "in",
        "to",
        "at",
        "from",
        "into",
        "near",
        "on",
        "under",
        "across",
        "outside",
        "inside",
        "toward",
        "towards",
        "up",
    ]
)
_CALENDAR = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_CONDITIONAL = re.compile(r"^(?:(?:ok(?:ay)?|so|and|but)\W+)*(?:what if|if|unless|suppose)\b")
_CONNECTORS = frozenset({"of", "the", "de", "van", "von"})
BEAT_WORDS = frozenset(
    stem(w)
    for w in [
        "act",
        "scene",
        "beat",
        "cold",
        "opening",
        "ending",
        "midpoint",
        "chapter",
        "episode",
        "pilot",
        "finale",
        "arc",
        "flashback",
        "flash",
        "reveal",
        "twist",
        "teaser",
        "plot",
        "subplot",
        "storyline",
        "character",
        "villain",
        "backstory",
        "dies",
        "dead",
        "death",
        "lives",
        "survives",
        "captured",
        "killed",
        "joins",
        "betrays",
        "betrayal",
        "resurrection",
        "returns",
        "introduced",
        "cut",
    ]
)


def _tokens(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def _bare(word: str) -> str:
    """Without a possessive: "Abbess's" -> "Abbess"."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _is_cap(word: str) -> bool:
    return (word[:1].isupper() and not word.isupper()) or (len(word) == 1 and word.isupper())


def find_characters(thread: Thread) -> list[str]:
    """Names of characters the thread mentions, full names first-seen order."""
    participants = {
        fold(w) for name in thread.people.order for w in re.split(r"[\s_()]+", name) if w
    }
    participants |= set(thread.people.aliases)
    runs: Counter[str] = Counter()
    titled: set[str] = set()
    singles_mid: Counter[str] = Counter()
    locative: Counter[str] = Counter()
    lower_seen: set[str] = set()
    caps: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for line in thread.lines:
        for sent in line.sentences:
            words = _tokens(sent.text)
            _scan_sentence(words, runs, titled, singles_mid, locative, lower_seen, caps)
            for w in words:
                first_seen.setdefault(_bare(w), line.index)
    names: list[str] = []
    for run in runs:
        parts = run.split()
        if all(fold(p) in participants for p in parts):
            continue
        alone = singles_mid[parts[0]] > 0 and fold(parts[0]) not in lower_seen
        if fold(parts[-1]) in PLACE_WORDS and not alone:
            continue
        if all(fold(p) in _CALENDAR or fold(p) in STOPWORDS for p in parts):
            continue
        names.append(run)
    for word, count in singles_mid.items():
        key = fold(word)
        if key in participants or key in _CALENDAR or key in STOPWORDS or key in lower_seen:
            continue
        if any(word in n.split() for n in names):
            continue
        if locative[word] * 2 >= count and word not in titled:
            continue
        if count >= 2 or word in titled:
            names.append(word)
    for word, count in caps.items():
        if count >= 3 and fold(word) not in lower_seen and fold(word) not in participants:
            names.append(word)
    names = [n for n in names if not any(n != m and f" {n} " in f" {m} " for m in names)]
    names.sort(key=lambda n: min(first_seen.get(p, 1 << 30) for p in n.split()))
    return list(dict.fromkeys(names))


def _scan_sentence(
    words: list[str],
    runs: Counter[str],
    titled: set[str],
    singles_mid: Counter[str],
    locative: Counter[str],
    lower_seen: set[str],
    caps: Counter[str],
) -> None:
    i = 0
    while i < len(words):
        w = _bare(words[i])
        if w.islower():
            lower_seen.add(fold(w))
        if w.isupper() and len(w) >= 3 and w.isalpha():
            caps[w] += 1
        if not _is_cap(w):
            i += 1
            continue
        run = [w]
        j = i + 1
        while j < len(words):
            nxt = _bare(words[j])
            if _is_cap(nxt) or (
                nxt in _CONNECTORS
                and j + 1 < len(words)
                and (
                    _is_cap(words[j + 1])
                    or (words[j + 1] == "the" and j + 2 < len(words) and _is_cap(words[j + 2]))
                )
            ):
                run.append(nxt)
                j += 1
            else:
                break
        while run and fold(run[0]) in TITLES and len(run) > 1:
            titled.add(run[1])
            run = run[1:]
        prev = fold(words[i - 1]) if i > 0 else ""
        if len(run) >= 2 and run[-1] not in _CONNECTORS:
            runs[" ".join(run)] += 1
        elif len(run) == 1 and i > 0 and words[i - 1] not in '.!?"“(':
            singles_mid[run[0]] += 1
            if prev in _LOCATIVE or (prev == "the" and i > 1 and fold(words[i - 2]) in _LOCATIVE):
                locative[run[0]] += 1
        elif len(run) == 1 and fold(words[i - 1] if i else "") in TITLES:
            titled.add(run[0])
        i = j


def mentions_story(text: str, characters: Iterable[str]) -> bool:
    tokens = content_set(text)
    if tokens & BEAT_WORDS:
        return True
    name_parts = {stem(fold(p)) for c in characters for p in c.split() if len(p) > 2}
    return bool(tokens & name_parts)


def story_sentences(
    line: Line, characters: list[str], ruled_out: frozenset[str] = frozenset(), limit: int = 3
) -> str:
    """The sentences of a message that talk about characters or beats (at most ``limit``),
    leaving out conditionals and any sentence about something ``ruled_out``."""
    picked = [
        s.text
        for s in line.sentences
        if not s.is_question
        and not s.tokens & ruled_out
        and not _CONDITIONAL.match(s.folded)
        and mentions_story(s.text, characters)
    ]
    return " ".join(picked[:limit])


def group_by_line(points: Iterable[tuple[Line, str]]) -> list[Point]:
    seen: dict[int, list[str]] = defaultdict(list)
    lines: dict[int, Line] = {}
    for line, text in points:
        if text and text not in seen[line.index]:
            seen[line.index].append(text)
            lines[line.index] = line
    return [lines[i].point(" ".join(seen[i])) for i in sorted(seen)]
