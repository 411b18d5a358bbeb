"""What characters say in a scene, by intent, before a voice makes it theirs.

Each intent (open, deflect, press, counter, challenge, accuse, reveal, ultimatum, refuse,
soften, button; interjections for a third speaker; a monologue's movements) has several
drafts in a neutral register, in ``data/dialogue.toml``; the key sentence comes first so
a terse voice keeps it. Slots: {topic}, {my_want}, {your_want}, {flaw} (the addressee's,
as a noun), {my_need}, {threat}, {you} (the addressee), {texture}.

``personal`` turns a sheet's third-person want ("get her brother home") into the
speaker's own words ("get my brother home") or the addressee's ("your brother").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generation.offline.cast import Figure
from generation.offline.lexicon import LEXICON
from generation.offline.pronouns import Pronouns
from generation.packdata import load

Bank = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lines:
    """Drafts by intent, in a neutral register; the scene writer picks and voices them."""

    open: Bank
    deflect: Bank
    press: Bank
    counter: Bank
    challenge: Bank
    accuse_flaw: Bank  # when the addressee's sheet names a flaw
    accuse: Bank
    reveal_need: Bank  # when the speaker's sheet names a need
    reveal: Bank
    ultimatum: Bank
    refuse: Bank
    soften: Bank
    button: Bank
    interject: Bank  # a third speaker cutting in
    echo: Bank  # a speaker coming back to their own sample line ({echo})
    mono_open: Bank
    mono_want: Bank
    mono_flaw: Bank
    mono_turn: Bank
    mono_end: Bank
    opening_action: Bank
    solo_action: Bank
    mid_action: Bank
    closing_action: Bank
    monologue_beats: Bank  # the action line that breaks a monologue
    situations: Bank  # stating the situation typed: {situation}, {situation_lower}
    default_wants: Bank  # what a speaker with no want on their sheet is after


LINES: Lines = load(Lines, "generation.offline", "data/dialogue.toml")

_PARTICLES = "|".join(LEXICON.particles)


def personal(
    text: str, who: Figure, person: int, other: Figure | None = None, inward: bool = False
) -> str:
    """A sheet's phrase about ``who`` as ``who`` says it (person 1) or hears it (person 2).

    Possessives and reflexives change ("her brother" -> "my brother"), and so does an
    object pronoun that can only mean the character: after a preposition ("the people who
    laughed at her" -> "at me") or closing a relative clause ("something that outlasts
    him" -> "outlasts me"). Any other object pronoun in a want usually means someone else
    ("win her back"), so it stays; in a need (``inward``) a final one means the character
    ("let someone help her" -> "help me").
    """
    my, myself = ("my", "myself") if person == 1 else ("your", "yourself")
    me = "me" if person == 1 else "you"
    if inward and who.pronouns.object:
        text = re.sub(rf"\b{re.escape(who.pronouns.object)}$", me, text.rstrip())
    p = who.pronouns
    out = text
    for name in {who.name, who.short}:
        out = re.sub(rf"\b{re.escape(name)}['’]s\b", my, out)
    if other is not None:
        for name in {other.name, other.short}:
            out = re.sub(rf"\b{re.escape(name)}['’]s\b", "your" if person == 1 else "my", out)
    if p.reflexive:
        out = re.sub(rf"\b{re.escape(p.reflexive)}\b", myself, out, flags=re.IGNORECASE)
    out = _own_subject(out, p, person)
    poss = p.possessive
    if poss and poss != p.object:
        out = re.sub(rf"\b{re.escape(poss)}\b", my, out, flags=re.IGNORECASE)
    elif poss:
        out = re.sub(
            rf"\b{re.escape(poss)}\b(?=\s+(?!(?:{_PARTICLES})\b)[^\W\d_])",
            my,
            out,
            flags=re.IGNORECASE,
        )
    return _own_object(out, p, me)


_PREPOSITIONS = (
    "at|from|to|for|with|about|of|on|against|behind|without|beside|toward|towards|than|"
    "like|over|after|before|around|past|near|upon|into|onto|under|through"
)


def _own_object(text: str, p: Pronouns, me: str) -> str:
    """The character's object pronoun where it can only mean them (see ``personal``)."""
    obj = p.object
    if not obj:
        return text
    o = re.escape(obj)
    text = re.sub(rf"\b({_PREPOSITIONS})\s+{o}\b", rf"\1 {me}", text, flags=re.IGNORECASE)
    return re.sub(
        rf"(\b(?:who|that|which|whom)\b.*\s){o}(?=\s*[.!?]?\s*$)",
        rf"\1{me}",
        text,
        flags=re.IGNORECASE,
    )


_BE = {
    "is": ("am", "are"),
    "was": ("was", "were"),
    "has": ("have", "have"),
    "does": ("do", "do"),
    "goes": ("go", "go"),
    "isn't": ("am not", "aren't"),
    "wasn't": ("wasn't", "weren't"),
    "hasn't": ("haven't", "haven't"),
    "doesn't": ("don't", "don't"),
}
_PAST_OR_MODAL = re.compile(
    r"^(?:\w+ed|lost|had|did|made|left|took|got|saw|knew|said|felt|kept|let|gave|"
    r"thought|told|won|could|would|should|will|can|must|might|never|always|once|still|"
    r"cannot|can't|won't|couldn't|wouldn't|shouldn't|didn't|mustn't|hadn't)$",
    re.I,
)


def _own_subject(text: str, p: Pronouns, person: int) -> str:
    """A sheet's "she lost" or "she feels" as the character says it ("I lost", "I feel")
    or hears it ("you lost", "you feel"). Only a subject pronoun followed by a verb form
    we can conjugate changes; anything else is left as written."""
    subject = p.subject
    if not subject:
        return text
    me = "I" if person == 1 else "you"

    def swap(m: re.Match[str]) -> str:
        verb = m.group(2)
        low = verb.lower().replace("’", "'")
        if p.plural_verbs:
            return _plural_swap(m, me, person)
        if low in _BE:
            return f"{me} {_BE[low][0 if person == 1 else 1]}"
        if _PAST_OR_MODAL.match(verb):
            return f"{me} {verb}"
        if low.endswith("ies") and len(low) > 4:
            return f"{me} {verb[:-3]}y"
        if low.endswith(("ches", "shes", "sses", "xes")):
            return f"{me} {verb[:-2]}"
        if low.endswith("s") and not low.endswith("ss") and len(low) > 2:
            return f"{me} {verb[:-1]}"
        return m.group(0)

    return re.sub(rf"\b({re.escape(subject)})\s+([A-Za-z'’]+)", swap, text, flags=re.I)


_PLURAL_BE = {"are": ("am", "are"), "were": ("was", "were"), "aren't": ("am not", "aren't")}


def _plural_swap(m: re.Match[str], me: str, person: int) -> str:
    """ "they lost" / "they are" / "they feel" (a they/them character's own verbs) as the
    character says them; a word that is no verb leaves the phrase as it was."""
    verb = m.group(2)
    low = verb.lower().replace("’", "'")
    if low in _PLURAL_BE:
        return f"{me} {_PLURAL_BE[low][0 if person == 1 else 1]}"
    if (
        _PAST_OR_MODAL.match(verb)
        or low in LEXICON.verbs
        or low in ("have", "do", "don't", "can't", "won't", "feel", "want", "need")
    ):
        return f"{me} {verb}"
    return m.group(0)
