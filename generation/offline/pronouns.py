"""Pronoun sets read from a sheet ("she/her", "they/them", "xe/xem", "ze/hir"...).

A set gives every form prose needs (subject, object, possessive, possessive pronoun,
reflexive) and whether verbs agree in the plural ("they are"). A set that cannot be read
falls back to the character's name, which is never wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pronouns:
    """Forms of one pronoun set. ``None`` forms mean "use the name" (name-only sets)."""

    subject: str | None
    object: str | None
    possessive: str | None
    possessive_pronoun: str | None
    reflexive: str | None
    plural_verbs: bool = False

    @property
    def name_only(self) -> bool:
        return self.subject is None


def _set(
    subject: str, obj: str, poss: str, poss_pron: str, refl: str, plural: bool = False
) -> Pronouns:
    return Pronouns(subject, obj, poss, poss_pron, refl, plural)


SHE = _set("she", "her", "her", "hers", "herself")
HE = _set("he", "him", "his", "his", "himself")
THEY = _set("they", "them", "their", "theirs", "themselves", plural=True)
IT = _set("it", "it", "its", "its", "itself")
NAME_ONLY = Pronouns(None, None, None, None, None)

KNOWN: dict[str, Pronouns] = {
    "she": SHE,
    "he": HE,
    "they": THEY,
    "it": IT,
    "xe": _set("xe", "xem", "xyr", "xyrs", "xemself"),
    "ze/hir": _set("ze", "hir", "hir", "hirs", "hirself"),
    "ze/zir": _set("ze", "zir", "zir", "zirs", "zirself"),
    "zie": _set("zie", "hir", "hir", "hirs", "hirself"),
    "ey": _set("ey", "em", "eir", "eirs", "emself"),
    "e": _set("e", "em", "eir", "eirs", "emself"),
    "fae": _set("fae", "faer", "faer", "faers", "faerself"),
    "ve": _set("ve", "ver", "vis", "vis", "verself"),
    "per": _set("per", "per", "pers", "pers", "perself"),
    "thon": _set("thon", "thon", "thons", "thons", "thonself"),
}

_BY_OBJECT = {"her": "she", "him": "he", "them": "they", "xem": "xe", "em": "ey", "faer": "fae"}
_NAME_WORDS = {"none", "no pronouns", "name", "name only", "use name", "use my name", "no pronoun"}
_ANY = {"any", "any/all", "all", "any pronouns", "whatever"}
_TOKEN = re.compile(r"^[^\W\d_]{1,10}$")


def parse_pronouns(text: str) -> Pronouns | None:
    """The set a sheet's ``pronouns`` field names, ``None`` if the field is empty.

    "she/they" reads as she/her (the first set given); "any" as they/them; a name-only
    request, or text that is not a pronoun set, as the name.
    """
    flat = " ".join(text.lower().split()).strip(" .;,")
    if not flat:
        return None
    if flat in _NAME_WORDS:
        return NAME_ONLY
    if flat in _ANY or flat.startswith("any "):
        return THEY
    parts = [p for p in re.split(r"[/,|\\;]+|\s+", flat) if p]
    if not parts or not all(_TOKEN.match(p) for p in parts[:3]):
        return NAME_ONLY
    first = parts[0]
    second = parts[1] if len(parts) > 1 else ""
    if first == "ze":
        return KNOWN["ze/hir"] if second in {"hir", ""} else KNOWN["ze/zir"]
    if first in KNOWN:
        return KNOWN[first]
    if first in _BY_OBJECT and len(parts) == 1:
        return KNOWN[_BY_OBJECT[first]]
    if len(parts) > 5:
        return NAME_ONLY
    obj = second or first
    poss = parts[2] if len(parts) > 2 else None
    poss_pron = (
        parts[3] if len(parts) > 3 else (poss + "s" if poss and not poss.endswith("s") else poss)
    )
    refl = parts[4] if len(parts) > 4 else obj + "self"
    return Pronouns(first, obj, poss, poss_pron, refl)


def label(p: Pronouns) -> str:
    """How a set is written on a sheet: "she/her"."""
    if p.name_only or p.subject is None or p.object is None:
        return "name only"
    return f"{p.subject}/{p.object}"
