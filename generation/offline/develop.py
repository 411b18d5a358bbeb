"""Deepening one field of a sheet: a longer, richer value that agrees with the rest.

The field's current text is kept as the opening (or written fresh when empty) and grown
with material drawn from the rest of the sheet: a want is made concrete and tied to the
need, a flaw gets an origin, a trigger and a cost, a voice gets example lines in that
voice. Pronouns and age are facts, not material, so they are not developed.
"""

from __future__ import annotations

import random
import re

from core.errors import GenerationError
from core.models import CHARACTER_FIELDS, Bible, Character, field_label
from generation.offline import sheet_banks as banks
from generation.offline.aims import aim
from generation.offline.cast import Figure, short_name, solo
from generation.offline.characters import _temperament, relationships, write_sheet
from generation.offline.grammar import Expander, Lit, finish
from generation.offline.plan import read_direction
from generation.offline.text import clip, one_line, sentences
from generation.offline.voice import read_voice
from generation.offline.voice_render import render

__all__ = ["develop_field"]

_PRESSURE = (
    "go{c.es} very quiet",
    "make{c.s} jokes nobody laughs at",
    "start{c.s} giving orders",
    "disappear{c.s} for a day and come{c.s} back with a plan",
    "get{c.s} kinder, which is worse",
    "reach{c.es} for the oldest bad habit {c.they} {c.has}",
)
_CONTRA = (
    "{c.they} crave{c.s} company and can't stand being seen",
    "{c.they} {c.is} brave for strangers and a coward at home",
    "{c.they} believe{c.s} in rules and break{c.s} them daily",
    "{c.they} give{c.s} everything away except the truth",
)
_SPEECH = (
    "never say{c.s} a name when a nickname will do",
    "end{c.s} arguments by changing the subject",
    "use{c.s} other people's words when {c.their} own fail",
    "go{c.es} quiet instead of shouting",
    "repeat{c.s} the last word of a question before answering it",
    "swear{c.s} only in {c.their} grandmother's language",
)
_TRIGGERS = (
    "someone offers help",
    "a plan starts to fail",
    "anyone mentions the past",
    "{c.they} {c.is} tired",
    "someone {c.they} love{c.s} is in danger",
    "{c.they} feel{c.s} watched",
)
_COSTS = (
    "a friendship {c.they} still miss{c.es}",
    "the best job {c.they} ever had",
    "a year {c.they} won't talk about",
    "the trust of the one person who mattered",
)
_MOVES = (
    "Moves like someone who expects to be interrupted.",
    "Hands never still: a coin, a pen, a loose thread.",
    "Stands a little too close, then a little too far.",
    "Laughs with {c.their} whole body, rarely.",
    "Carries everything that matters in one inside pocket.",
    "Sits on the edge of chairs, ready to go.",
)


def _fig(c: Character) -> Figure:
    f = solo(c)
    return Figure(f.short, f.short, f.pronouns, f.desc, f.slot, c)


def develop_field(bible: Bible, character: Character, field: str, direction: str, seed: int) -> str:
    """A deeper, longer value for one field of the character's sheet."""
    if field not in CHARACTER_FIELDS:
        raise GenerationError(
            f"'{field}' is not a sheet field. Fields: {', '.join(CHARACTER_FIELDS)}."
        )
    if field in ("pronouns", "age"):
        raise GenerationError(
            f"{field_label(field)} is a fact on the sheet, not something to develop; "
            f"change it with /character edit {character.name} {field} <value>."
        )
    rng = random.Random(f"develop:{seed}:{field}:{character.name}")
    sheet = {f: getattr(character, f) for f in CHARACTER_FIELDS}
    filled = write_sheet(
        bible, character.name, character.one_line, {k: v for k, v in sheet.items() if v}, seed
    )
    base = one_line(sheet[field]) or one_line(filled[field])
    fig = _fig(character)
    temperament = _temperament(filled, character.one_line, rng)
    others = [solo(c) for c in bible.characters if c.key != character.key][:3]
    want = aim(filled["want"], 14)
    need = aim(filled["need"], 14)
    flaw = clip(filled["flaw"], 10)
    ex = Expander(
        rng,
        {
            "c": fig,
            "o": others[0] if others else Figure("someone", "someone", fig.pronouns),
            "want": Lit(want.noun if want else "something of {c.their} own"),
            "need": Lit(need.noun if need else "to be understood"),
            "flaw": Lit(flaw.lower() if flaw else "old habits"),
        },
    )
    extra = _grow(field, ex, rng, temperament, bible, filled, fig, base)
    note = _direction_note(direction, bible)
    parts = [_sentence(base), *([note] if note else []), *extra]
    joiner = ", " if field == "aliases" else " / " if field == "sample_line" else " "
    if field == "aliases":
        return joiner.join(p.strip(" .") for p in parts if p.strip(" ."))
    return joiner.join(p for p in parts if p)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", "…", '"', "”")) else text + "."


def _direction_note(direction: str, bible: Bible) -> str:
    d = read_direction(direction, bible.characters)
    if not d.extra:
        return ""
    if d.extra_is_clause:
        return finish(d.extra[0].upper() + d.extra[1:] + ".")
    return finish(f"Much of it comes back to {d.extra}.")


def _grow(
    field: str,
    ex: Expander,
    rng: random.Random,
    t: banks.Temperament,
    bible: Bible,
    sheet: dict[str, str],
    fig: Figure,
    base: str,
) -> list[str]:
    """New sentences for the field, none repeating what ``base`` already says."""
    say = ex.pick
    low = base.lower()

    def fresh(options: tuple[str, ...]) -> str:
        unused = [o for o in options if ex.expand(o).lower() not in low] or list(options)
        return rng.choice(unused)

    if field == "personality":
        return [
            say(["Under pressure {c.they} " + p + "." for p in _PRESSURE]),
            ex(
                f"With strangers {{c.they}} {{c.is}} {t.traits[1]}; with the people {{c.they}} "
                f"trust{{c.s}}, {t.traits[3]}."
            ),
            ex("{c.They} " + fresh(t.habits) + "."),
            say(tuple("The contradiction at {c.their} centre: " + x + "." for x in _CONTRA)),
        ]
    if field == "want":
        return [
            say(
                ("Concretely, it comes down to this: {want}.", "It is specific, and it is urgent.")
            ),
            say(
                (
                    "{c} would give up almost anything for it, including things {c.they} shouldn't.",
                    "{c.They} {c.has} already given up more for it than anyone knows.",
                )
            ),
            say(
                (
                    "What {c.they} won't say is why: underneath it, {c.they} need{c.s} {need}.",
                    "If {c.they} got it tomorrow, {c.they} would still need {need}.",
                )
            ),
        ]
    if field == "need":
        return [
            say(
                (
                    "It pulls against what {c.they} want{c.s}, which is {want}.",
                    "It is the opposite of what {c.they} chase{c.s}: {want}.",
                )
            ),
            ex("It shows in small ways: {c.they} " + rng.choice(t.habits) + "."),
            say(
                (
                    "{o} could teach {c.them} this, if {c.they} let {o.them}.",
                    "Getting it will cost {c.them} the armour {c.they} {c.has} spent years building.",
                )
            ),
        ]
    if field == "flaw":
        return [
            ex("It started when {c.they} " + rng.choice(banks.EVENTS) + "."),
            say(tuple("It shows up whenever " + x + "." for x in _TRIGGERS)),
            say(tuple("It has already cost {c.them} " + x + "." for x in _COSTS)),
            say(
                (
                    "From the inside it feels like strength.",
                    "The worst part: it has worked, often enough.",
                )
            ),
        ]
    if field == "backstory":
        return [
            ex("Later, {c.they} " + fresh(banks.EVENTS) + "."),
            ex(fresh(banks.SECRETS)),
            say(
                (
                    "That is where {flaw} comes from, though {c.they} would never put it that way.",
                    "All of it points toward what {c.they} want{c.s} now: {want}.",
                )
            ),
        ]
    if field == "arc":
        return [
            say(("At the start, {c} is ruled by {flaw}.", "Beginning: {flaw}, and a plan.")),
            say(
                (
                    "At the midpoint, the chase costs {c.them} the thing {c.they} valued most.",
                    "Midway, {c} comes close to what {c.they} want{c.s} and finds it is not enough.",
                )
            ),
            say(
                (
                    "By the end, {c.they} {c.has} had to learn {need}, and {c.is} changed by it.",
                    "End: the first real choice, made out of {need} rather than fear.",
                )
            ),
        ]
    if field == "voice":
        v = read_voice(sheet["voice"], sheet["personality"], sheet["sample_line"], rng)
        lines = [render(v, sentences(line), rng, ex.__call__) for line in rng.sample(t.lines, 2)]
        return [
            ex("{c.They} " + rng.choice(_SPEECH) + "."),
            ex("{c.They} " + rng.choice(_SPEECH) + "."),
            "Listen for it: " + " / ".join(f'"{x}"' for x in lines),
        ]
    if field == "appearance":
        return [ex(rng.choice(_MOVES)), ex(rng.choice(banks.DETAILS))]
    if field == "sample_line":
        v = read_voice(sheet["voice"], sheet["personality"], "", rng)
        unsaid = [x for x in t.lines if x.lower() not in low] or list(t.lines)
        return [
            render(v, sentences(line), rng, ex.__call__)
            for line in rng.sample(unsaid, min(2, len(unsaid)))
        ]
    if field == "relationships":
        more = relationships(bible, sheet["name"], fig, rng)
        new = [
            p + "."
            for p in more.split("; ")
            if p and short_name(p.split(":")[0]).lower() not in low
        ]
        return new or [
            say(
                (
                    "Everyone else gets the polite version of {c}; the people who matter get the rest.",
                    "{c.They} keep{c.s} a short list of people {c.they} would lie for, and a shorter one of people {c.they} wouldn't.",
                    "Nobody who knew {c.them} before is still close; that is not an accident.",
                )
            )
        ]
    if field == "one_line":
        return [say(("{c.They} want{c.s} {want}.", "What {c.they} really need{c.s} is {need}."))]
    if field == "role":
        return [
            say(
                (
                    "In the story's machine, {c.they} {c.is} the pressure on everyone else's choices.",
                    "{c.They} exist{c.s} to test what the others claim to believe.",
                    "Every scene {c.they} {c.is} in should cost somebody something.",
                )
            )
        ]
    if field == "aliases":
        name = sheet["name"]
        first = name.split()[0] if name.split() else ""
        pool = [re.sub(r"[^\w' -]", "", x) for x in (first[:3], name.split()[-1], "Boss", "Kid")]
        out: list[str] = []
        for p in pool:
            if (
                p
                and p.lower() not in low
                and p.lower() != name.lower()
                and p not in out
                and bible.character(p) is None
            ):
                out.append(p)
        return out[:2]
    return []
