"""Continuity: facts about a character stated in two places that disagree.

Facts are read with narrow patterns (a narrow reader misses things, a loose one cries
wolf): a character's age, eye colour, how two characters are related, and what a
character is said not to know. Each finding quotes both places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.models import Bible, Character
from generation.doctor.material import Artifact, quote

COLOURS = ("blue", "green", "brown", "grey", "gray", "hazel", "amber", "black", "violet")
KIN = {
    "brother": "sibling",
    "sister": "sibling",
    "twin": "sibling",
    "sibling": "sibling",
    "husband": "spouse",
    "wife": "spouse",
    "spouse": "spouse",
    "father": "parent",
    "mother": "parent",
    "son": "child",
    "daughter": "child",
    "uncle": "uncle/aunt",
    "aunt": "uncle/aunt",
    "nephew": "nephew/niece",
    "niece": "nephew/niece",
    "cousin": "cousin",
    "ex-wife": "ex-spouse",
    "ex-husband": "ex-spouse",
    "fiancé": "engaged",
    "fiancée": "engaged",
    "fiance": "engaged",
    "fiancee": "engaged",
}
_INVERSE = {
    "parent": "child",
    "child": "parent",
    "uncle/aunt": "nephew/niece",
    "nephew/niece": "uncle/aunt",
}
_KIN_WORDS = "|".join(sorted((re.escape(k) for k in KIN), key=len, reverse=True))
_COLOUR = "(" + "|".join(COLOURS) + ")"
_NOT_AGE = r"(?!\s*(?:years? ago|minutes|hours|days|weeks|months|feet|metres|meters|miles|%|:))"
_AGE_PAREN = r"\b{name}\b\s*(?:\(|,\s*(?:aged?\s*)?)(\d{{1,3}})\b" + _NOT_AGE
_AGE_IS = r"\b{name}\b(?:,? now| is| is now| turns)\s+(\d{{1,3}})\b" + _NOT_AGE
_EYES = (
    r"\b{name}['’]s\s+(?:\w+\s+)?" + _COLOUR + r"\s+eyes",
    r"\b{name}['’]s\s+eyes\s+(?:are|were)\s+" + _COLOUR,
    r"\b{name}\b\s+(?:has|had)\s+(?:\w+\s+)?" + _COLOUR + r"\s+eyes",
)
_OWN_EYES = r"\b" + _COLOUR + r"(?:-eyed|\s+eyes)"
_KIN_PATTERNS = (  # "Jonah, Mara's brother" / "Jonah is Mara's brother" / "Mara's brother Jonah"
    r"\b{oname}\b(?:,| is| was)\s+{name}['’]s\s+(?:\w+\s+)?(" + _KIN_WORDS + r")\b",
    r"\b{name}['’]s\s+(?:\w+\s+)?(" + _KIN_WORDS + r"),?\s+{oname}\b",
)
_OWN_KIN = r"\b{oname}\b\s*[:—-]\s*[^;\n]*?\b(" + _KIN_WORDS + r")\b"
_TOLD = (
    r"\b{name}\b (?:does not|doesn['’]t|never|must never|can['’]t) (?:know|knows|learn|"
    r"learns|find out|finds out|hear|hears) (?:about|of) "
    r"(?:the |her |his |their |a |an )?(\w+)"
)


@dataclass(frozen=True, slots=True)
class Fact:
    subject: str  # a character's name
    attribute: str  # "age", "eye colour", "relation to Jonah", "does not know"
    value: str
    where: str
    quote: str


@dataclass(frozen=True, slots=True)
class Contradiction:
    subject: str
    attribute: str
    first: Fact
    second: Fact

    def line(self) -> str:
        return (
            f"**{self.subject}**, {self.attribute}: {self.first.where} says "
            f"“{self.first.quote}”, but {self.second.where} says “{self.second.quote}”."
        )


def _names(c: Character, cast: tuple[Character, ...]) -> list[str]:
    """The ways the material names a character: full name, aliases, a unique first name."""
    found = [c.name, *(a.strip() for a in c.aliases.split(",") if a.strip())]
    for part in c.name.split():
        if len(part) > 2 and sum(part.lower() in o.name.lower().split() for o in cast) == 1:
            found.append(part)
    return sorted(set(found), key=len, reverse=True)


def facts(bible: Bible, material: list[Artifact]) -> list[Fact]:
    out: list[Fact] = []
    cast = bible.characters
    for c in cast:
        age = re.search(r"\d{1,3}", c.age)
        if age:
            out.append(Fact(c.name, "age", age.group(0), f"{c.name}'s sheet", f"Age: {c.age}"))
    for c in cast:
        name = "(?:" + "|".join(re.escape(n) for n in _names(c, cast)) + ")"
        for art in material:
            if not re.search(name, art.text, re.I) and art.subject != c.name:
                continue
            own = art.group == "sheet" and art.subject == c.name
            out += _read(c.name, name, art, own, cast)
    return out


def _read(who: str, name: str, art: Artifact, own: bool, cast: tuple[Character, ...]) -> list[Fact]:
    t = art.text
    out: list[Fact] = []

    def add(attribute: str, value: str, m: re.Match[str]) -> None:
        out.append(Fact(who, attribute, value, art.label, quote(t, m.start(), m.end())))

    if not own:
        for m in re.finditer(_AGE_PAREN.format(name=name), t, re.I):
            add("age", m.group(1), m)
        for m in re.finditer(_AGE_IS.format(name=name), t, re.I):
            add("age", m.group(1), m)
    for p in _EYES + ((_OWN_EYES,) if own else ()):
        for m in re.finditer(p.format(name=name), t, re.I):
            add("eye colour", m.group(1).lower().replace("gray", "grey"), m)
    for other in cast:
        if other.name == who:
            continue
        oname = "(?:" + "|".join(re.escape(n) for n in _names(other, cast)) + ")"
        for p in _KIN_PATTERNS + ((_OWN_KIN,) if own else ()):
            for m in re.finditer(p.format(name=name, oname=oname), t, re.I):
                kind = KIN[m.group(1).lower()]  # what ``other`` is to ``who``
                a, b = sorted((who, other.name))
                value = kind if a == who else _INVERSE.get(kind, kind)
                out.append(
                    Fact(a, f"relation to {b}", value, art.label, quote(t, m.start(), m.end()))
                )
    return out


def secrets(bible: Bible, material: list[Artifact]) -> list[Contradiction]:
    """ "Mara doesn't know about the letter" set down in the bible, then Mara speaking of
    the letter in a scene."""
    found: list[Contradiction] = []
    for c in bible.characters:
        names = _names(c, bible.characters)
        name = "(?:" + "|".join(re.escape(n) for n in names) + ")"
        for art in material:
            if art.group == "scene":
                continue
            for m in re.finditer(_TOLD.format(name=name), art.text, re.I):
                thing = m.group(1).lower()
                first = Fact(
                    c.name, "does not know", thing, art.label, quote(art.text, m.start(), m.end())
                )
                for scene in (a for a in material if a.group == "scene"):
                    said = _speech_of(scene.text, names)
                    hit = re.search(rf"\b{re.escape(thing)}\b", said, re.I)
                    if hit:
                        second = Fact(
                            c.name,
                            "knows",
                            thing,
                            scene.label,
                            f"{c.name.upper()}: " + quote(said, hit.start(), hit.end()),
                        )
                        found.append(
                            Contradiction(c.name, f"what they know of “{thing}”", first, second)
                        )
    return found


def _speech_of(scene: str, names: list[str]) -> str:
    """The dialogue a character speaks in a Fountain scene, one line per speech."""
    keys = {n.upper() for n in names}
    out, speaking = [], False
    for line in scene.split("\n"):
        raw = line.strip()
        if not raw:
            speaking = False
            continue
        cue = re.sub(r"\s*\(.*\)\s*$", "", raw.lstrip("@")).upper()
        if not speaking and cue in keys:
            speaking = True
            continue
        if speaking and not raw.startswith("("):
            out.append(raw)
    return "\n".join(out)


def contradictions(bible: Bible, material: list[Artifact]) -> list[Contradiction]:
    seen: dict[tuple[str, str], Fact] = {}
    found: list[Contradiction] = []
    reported: set[tuple[str, str, str, str]] = set()
    for f in facts(bible, material):
        key = (f.subject, f.attribute)
        first = seen.setdefault(key, f)
        pair = (f.subject, f.attribute, first.value, f.value)
        if first.value != f.value and pair not in reported:
            reported.add(pair)
            found.append(Contradiction(f.subject, f.attribute, first, f))
    return found + secrets(bible, material)
