"""The cast a draft is written about: who is the hero, who opposes them, who helps.

Characters come from the bible first (their names, pronouns and roles as the sheets say);
only a story with nobody in it gets invented people, and then only as many as the draft
needs. Missing opposition becomes a force ("the Meridian Mining Company") or an unnamed
figure ("a company fixer"), never a new named character the writers did not ask for.
The role words, titles and adjectives for invented people are in ``data/cast.toml``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass

from core.models import Character
from generation.offline import names
from generation.offline.grammar import article
from generation.offline.pronouns import HE, IT, NAME_ONLY, SHE, THEY, Pronouns, parse_pronouns
from generation.offline.text import clip, lower_first
from generation.packdata import load


@dataclass(frozen=True, slots=True)
class _CastWords:
    role_words: Mapping[str, tuple[str, ...]]  # story slot -> words of a role field
    titles: frozenset[str]  # words before a name that a short name keeps
    hero_adjectives: tuple[str, ...]
    foe_adjectives: tuple[str, ...]
    ally_adjectives: tuple[str, ...]


_WORDS = load(_CastWords, "generation.offline", "data/cast.toml")
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(_WORDS.role_words.items())
"""Story slots and the role words that put a character in them, in the order tried."""
_META = re.compile(
    r"\b(" + "|".join(re.escape(w) for _, ws in ROLE_WORDS for w in ws) + r"|character|role|"
    r"secondary|minor|main|the|a|an|and|of|reluctant|tertiary|recurring)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Figure:
    """Someone (or something) a draft talks about, with every form prose needs."""

    name: str
    short: str
    pronouns: Pronouns
    desc: str = ""
    slot: str = "other"
    sheet: Character | None = None
    person: bool = True
    invented: bool = False

    def form(self, key: str, first: bool = False) -> str:
        p = self.pronouns
        if key in ("", "name"):
            return self.name if first or key == "name" else self.short
        if key == "short":
            return self.short
        if key == "poss":
            return _possessive(self.name if first else self.short)
        if key == "intro":
            if not first:
                return self.short
            return (
                f"{self.name}, {self.desc}," if self.desc and self.name != self.desc else self.name
            )
        if key == "desc":
            return self.desc
        plural = p.plural_verbs
        verbs = {
            "is": ("is", "are"),
            "was": ("was", "were"),
            "has": ("has", "have"),
            "does": ("does", "do"),
            "s": ("s", ""),
            "es": ("es", ""),
        }
        if key in verbs:
            return verbs[key][1] if plural else verbs[key][0]
        lower = key.lower()
        value = {
            "they": p.subject or self.short,
            "them": p.object or self.short,
            "their": p.possessive or _possessive(self.short),
            "theirs": p.possessive_pronoun or _possessive(self.short),
            "self": p.reflexive or self.short,
        }.get(lower)
        if value is None:
            raise KeyError(f"no form {key!r}")
        return value[:1].upper() + value[1:] if key[:1].isupper() else value


def _with_article(phrase: str) -> str:
    return f"{article(phrase)} {phrase}"


def _possessive(name: str) -> str:
    return f"{name}’" if name.endswith(("s’", "'")) else f"{name}'s"


def short_name(name: str) -> str:
    tokens = name.split()
    if len(tokens) <= 1:
        return name
    if tokens[0].lower() in _WORDS.titles:
        return f"{tokens[0]} {tokens[-1]}" if len(tokens) > 2 else name
    return tokens[0]


def role_slot(role: str) -> str | None:
    low = role.lower()
    for slot, words in ROLE_WORDS:
        if any(re.search(rf"\b{re.escape(w)}\b", low) for w in words):
            return slot
    return None


def infer_pronouns(c: Character) -> Pronouns:
    """The sheet's pronouns; if blank, what its own prose clearly uses; else they/them."""
    parsed = parse_pronouns(c.pronouns)
    if parsed is not None:
        return parsed
    prose = " ".join([c.one_line, c.personality, c.backstory, c.arc, c.flaw, c.appearance]).lower()
    she = len(re.findall(r"\b(she|herself)\b", prose))
    he = len(re.findall(r"\b(he|him|his|himself)\b", prose))
    if she >= 2 and he == 0:
        return SHE
    if he >= 2 and she == 0:
        return HE
    return THEY


def epithet(c: Character, keep: frozenset[str]) -> str:
    """A noun phrase for the character from their one-line or role, or ""."""
    line = clip(c.one_line, 12)
    if line and re.match(r"^(a|an|the|one|some)\s", line, re.IGNORECASE):
        return lower_first(line, keep)
    role = clip(c.role, 8)
    leftover = _META.sub(" ", role).strip(" ,;/-&")
    if role and len(leftover) > 2:
        role = lower_first(role, keep)
        return role if re.match(r"^(a|an|the)\s", role) else _with_article(role)
    return ""


def from_sheet(c: Character, slot: str, keep: frozenset[str], desc: str = "") -> Figure:
    return Figure(c.name, short_name(c.name), infer_pronouns(c), desc or epithet(c, keep), slot, c)


@dataclass(frozen=True, slots=True)
class Cast:
    hero: Figure
    foe: Figure
    mentor: Figure
    ally: Figure
    love: Figure
    others: tuple[Figure, ...]

    def slots(self) -> dict[str, Figure]:
        return {
            "hero": self.hero,
            "foe": self.foe,
            "mentor": self.mentor,
            "ally": self.ally,
            "love": self.love,
        }

    def named(self) -> list[Figure]:
        """Bible characters (and invented named people), hero first."""
        seen: list[Figure] = []
        for f in (self.hero, self.foe, self.ally, self.mentor, self.love, *self.others):
            if f.person and f.name not in [s.name for s in seen] and (f.sheet or _is_named(f)):
                seen.append(f)
        return seen


def _is_named(f: Figure) -> bool:
    return not re.match(r"^(a|an|the)\s", f.name, re.IGNORECASE)


def build_cast(
    characters: tuple[Character, ...],
    focus: tuple[Character, ...],
    rng: random.Random,
    genre_keys: list[str],
    jobs: tuple[str, ...],
    forces: tuple[str, ...],
    hero_desc: str = "",
) -> Cast:
    """Assign the bible's characters to story slots; invent only what is missing."""
    keep = frozenset(n.lower() for c in characters for n in c.name.split())
    ordered = list(focus) + [c for c in characters if c.key not in {f.key for f in focus}]
    slots = {c.key: role_slot(c.role) for c in ordered}
    used: set[str] = set()

    def take(slot: str, allow_any: bool = False) -> Character | None:
        for c in ordered:
            if c.key not in used and slots[c.key] == slot:
                used.add(c.key)
                return c
        if allow_any:
            for c in ordered:
                if c.key not in used and slots[c.key] not in ("foe",):
                    used.add(c.key)
                    return c
        return None

    hero_c = None
    if focus and slots[focus[0].key] != "foe":
        hero_c = focus[0]
        used.add(hero_c.key)
    hero_c = hero_c or take("hero") or take("ally", True)
    taken = {c.name.split()[0].casefold() for c in characters if c.name.split()}
    if hero_c is not None:
        hero = from_sheet(hero_c, "hero", keep, "" if epithet(hero_c, keep) else hero_desc)
    else:
        name, pronouns = names.invent_person(rng, genre_keys, taken)
        taken.add(name.split()[0].casefold())
        desc = hero_desc or _with_article(
            f"{rng.choice(_WORDS.hero_adjectives)} {rng.choice(jobs)}"
        )
        hero = Figure(name, short_name(name), pronouns, desc, "hero", invented=True)
    foe_c = take("foe")
    if foe_c is not None:
        foe = from_sheet(foe_c, "foe", keep)
    elif not characters and rng.random() < 0.5:
        name, pronouns = names.invent_person(rng, genre_keys, taken)
        taken.add(name.split()[0].casefold())
        foe = Figure(
            name,
            short_name(name),
            pronouns,
            _with_article(f"{rng.choice(_WORDS.foe_adjectives)} {rng.choice(jobs)}"),
            "foe",
            invented=True,
        )
    else:
        force = rng.choice(forces)
        foe = Figure(force, force, IT, "", "foe", person=False, invented=True)
    mentor_c = take("mentor")
    mentor = (
        from_sheet(mentor_c, "mentor", keep) if mentor_c else _unnamed(rng, "mentor", jobs, "old")
    )
    love_c = take("love")
    ally_c = take("ally") or _any_left(ordered, used, slots)
    ally = (
        from_sheet(ally_c, "ally", keep)
        if ally_c
        else _unnamed(rng, "ally", jobs, rng.choice(_WORDS.ally_adjectives))
    )
    love = from_sheet(love_c, "love", keep) if love_c else _unnamed(rng, "love", jobs, "")
    others = tuple(
        from_sheet(c, slots[c.key] or "other", keep) for c in ordered if c.key not in used
    )
    return Cast(hero, foe, mentor, ally, love, others)


def _any_left(
    ordered: list[Character], used: set[str], slots: dict[str, str | None]
) -> Character | None:
    for c in ordered:
        if c.key not in used and slots[c.key] != "foe":
            used.add(c.key)
            return c
    return None


def _unnamed(rng: random.Random, slot: str, jobs: tuple[str, ...], adj: str) -> Figure:
    job = rng.choice(jobs)
    name = _with_article(f"{adj} {job}" if adj else job)
    return Figure(name, f"the {job}", THEY, "", slot, invented=True)


def solo(c: Character) -> Figure:
    """A figure for one named character outside any story slots (dialogue, sheets)."""
    keep = frozenset(n.lower() for n in c.name.split())
    return from_sheet(c, role_slot(c.role) or "other", keep)


__all__ = ["NAME_ONLY", "Cast", "Figure", "build_cast", "short_name", "solo"]
