"""Cast balance: who the cast are, and patterns the room may want a second look at.

Everything here is an observation ("every antagonist is he/him"), never a verdict: the
room knows its story. Patterns are only reported when there are enough characters for
a pattern to mean something.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from core.models import Character
from generation.textkit import STOPWORDS, words

LEADS = ("protagonist", "lead", "hero", "heroine", "main")
OPPOSITION = ("antagonist", "villain", "nemesis", "rival")


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    pronouns: str  # "she/her", "he/him", "they/them", another, or "" when unknown
    age: int | None
    role: str  # "lead", "opposition", "supporting" or "" when unknown
    role_text: str


def member(c: Character) -> Member:
    first = c.pronouns.lower().replace(" ", "").split("/")[0]
    known = {"she": "she/her", "he": "he/him", "they": "they/them"}
    pronouns = known.get(first, c.pronouns.strip())
    found = re.search(r"\d{1,3}", c.age)
    age = int(found.group(0)) if found else None
    r = c.role.lower()
    role = "supporting" if r.strip() else ""
    if any(w in r for w in OPPOSITION):
        role = "opposition"
    if any(w in r for w in LEADS):
        role = "lead"
    return Member(c.name, pronouns, age, role, c.role.strip())


def table(cast: tuple[Character, ...]) -> list[str]:
    rows = []
    for m in map(member, cast):
        age = str(m.age) if m.age is not None else "age not set"
        bits = [m.pronouns or "pronouns not set", age, m.role_text or "role not set"]
        rows.append(f"**{m.name}**: " + " · ".join(bits))
    return rows


def observations(cast: tuple[Character, ...]) -> list[str]:
    members = [member(c) for c in cast]
    out: list[str] = []
    opposition = [m for m in members if m.role == "opposition"]
    by_id = {c.name: c for c in cast}
    if len(opposition) >= 2:
        shared = {m.pronouns for m in opposition}
        if len(shared) == 1 and "" not in shared and len(members) > len(opposition):
            out.append(f"Every antagonist ({_names(opposition)}) is {shared.pop()}.")
        ages = [m.age for m in opposition]
        if all(a is not None and a >= 55 for a in ages):
            out.append(f"Every antagonist ({_names(opposition)}) is 55 or older.")
        trait = _shared_word([by_id[m.name] for m in opposition])
        if trait:
            out.append(f"Every antagonist's sheet ({_names(opposition)}) mentions “{trait}”.")
    groups = Counter(m.pronouns for m in members if m.pronouns)
    leads = [m for m in members if m.role == "lead"]
    for pronouns in groups:
        mine = [m for m in members if m.pronouns == pronouns]
        if len(mine) >= 2 and leads and all(m.role == "supporting" for m in mine):
            out.append(
                f"Every {pronouns} character ({_names(mine)}) is in a supporting role; "
                f"the leads ({_names(leads)}) are not."
            )
    known = sum(groups.values())
    if known >= 5:
        top, n = groups.most_common(1)[0]
        if n / known >= 0.8:
            out.append(f"{n} of the {known} characters with pronouns set are {top}.")
    aged = [m.age for m in members if m.age is not None]
    if len(aged) >= 4 and max(aged) - min(aged) < 10:
        out.append(f"The cast's ages all fall between {min(aged)} and {max(aged)}.")
    missing = [m.name for m in members if not m.pronouns or m.age is None or not m.role]
    if len(missing) >= 2 or (missing and len(members) <= 3):
        out.append(f"Pronouns, age or role not set for: {', '.join(missing)}.")
    return out


def _names(ms: list[Member]) -> str:
    return ", ".join(m.name for m in ms)


def _shared_word(cs: list[Character]) -> str | None:
    """A content word every one of these sheets uses in appearance, personality or flaw."""
    sets = []
    for c in cs:
        text = " ".join((c.appearance, c.personality, c.flaw))
        bare = (w.removesuffix("'s") for w in words(text))
        sets.append({w for w in bare if len(w) >= 4 and w.isalpha() and w not in STOPWORDS})
    common = set.intersection(*sets) if sets else set()
    return sorted(common)[0] if common else None
