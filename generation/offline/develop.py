"""Deepening one field of a sheet: a longer, richer value that agrees with the rest.

The field's current text is kept as the opening (or written fresh when empty) and grown
with material drawn from the rest of the sheet: a want is made concrete and tied to the
need, a flaw gets an origin, a trigger and a cost, a voice gets example lines in that
voice. Pronouns and age are facts, not material, so they are not developed. The phrases
are data, in ``data/develop.toml``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import GenerationError
from core.models import CHARACTER_FIELDS, Bible, Character, field_label
from generation.offline.aims import aim
from generation.offline.cast import Figure, short_name, solo
from generation.offline.characters import _temperament, relationships, write_sheet
from generation.offline.genres import story_genres
from generation.offline.grammar import Expander, Lit, finish
from generation.offline.plan import read_direction
from generation.offline.sheet_banks import BANKS, Temperament
from generation.offline.text import clip, one_line, plural_agreement, sentences
from generation.offline.voice import read_voice
from generation.offline.voice_render import render
from generation.packdata import load

__all__ = ["develop_field"]

Bank = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DevelopBanks:
    """``data/develop.toml``: phrases framed by the code, then whole sentences by field."""

    pressure: Bank  # "Under pressure {c.they} ..."
    contradictions: Bank  # "The contradiction at {c.their} centre: ..."
    speech: Bank  # "{c.They} ..." (voice)
    triggers: Bank  # "It shows up whenever ..." (flaw)
    costs: Bank  # "It has already cost {c.them} ..." (flaw)
    moves: Bank  # appearance
    want_concrete: Bank
    want_sacrifice: Bank
    want_underneath: Bank
    need_against: Bank
    need_teacher: Bank
    flaw_inside: Bank
    backstory_points: Bank
    arc_start: Bank
    arc_middle: Bank
    arc_end: Bank
    relationships_fallback: Bank
    one_line: Bank
    role: Bank


_D: DevelopBanks = load(DevelopBanks, "generation.offline", "data/develop.toml")


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
    temperament = _temperament(filled, character.one_line, rng, frozenset())
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


def _agree(habit: str, fig: Figure) -> str:
    """A habit as it reads after the character's pronoun ("they volunteer first")."""
    return plural_agreement(habit) if fig.pronouns.plural_verbs else habit


def _speaking(ex: Expander, bible: Bible) -> Callable[[str], str]:
    """What a voice's stock phrases expand with when a sheet's line is said aloud: the
    person spoken to ("Oh, {you}.") and the story's textures."""
    textures = tuple(Lit(x) for x in story_genres(bible)[0].textures)
    return ex.with_slots(you=ex.slots["o"], texture=textures).__call__


def _grow(
    field: str,
    ex: Expander,
    rng: random.Random,
    t: Temperament,
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
            say(["Under pressure {c.they} " + p + "." for p in _D.pressure]),
            ex(
                f"With strangers {{c.they}} {{c.is}} {t.traits[1]}; with the people {{c.they}} "
                f"trust{{c.s}}, {t.traits[3]}."
            ),
            ex("{c.They} " + _agree(fresh(t.habits), fig) + "."),
            say(
                tuple(
                    "The contradiction at {c.their} centre: " + x + "." for x in _D.contradictions
                )
            ),
        ]
    if field == "want":
        return [say(_D.want_concrete), say(_D.want_sacrifice), say(_D.want_underneath)]
    if field == "need":
        return [
            say(_D.need_against),
            ex("It shows in small ways: {c.they} " + _agree(rng.choice(t.habits), fig) + "."),
            say(_D.need_teacher),
        ]
    if field == "flaw":
        return [
            ex("It started when {c.they} " + rng.choice(BANKS.events) + "."),
            say(tuple("It shows up whenever " + x + "." for x in _D.triggers)),
            say(tuple("It has already cost {c.them} " + x + "." for x in _D.costs)),
            say(_D.flaw_inside),
        ]
    if field == "backstory":
        return [
            ex("Later, {c.they} " + fresh(BANKS.events) + "."),
            ex(fresh(BANKS.secrets)),
            say(_D.backstory_points),
        ]
    if field == "arc":
        return [say(_D.arc_start), say(_D.arc_middle), say(_D.arc_end)]
    spoken = _speaking(ex, bible)
    if field == "voice":
        v = read_voice(sheet["voice"], sheet["personality"], sheet["sample_line"], rng)
        lines = [render(v, sentences(line), rng, spoken) for line in rng.sample(t.lines, 2)]
        return [
            ex("{c.They} " + rng.choice(_D.speech) + "."),
            ex("{c.They} " + rng.choice(_D.speech) + "."),
            "Listen for it: " + " / ".join(f'"{x}"' for x in lines),
        ]
    if field == "appearance":
        return [ex(rng.choice(_D.moves)), ex(rng.choice(BANKS.details))]
    if field == "sample_line":
        v = read_voice(sheet["voice"], sheet["personality"], "", rng)
        unsaid = [x for x in t.lines if x.lower() not in low] or list(t.lines)
        return [
            render(v, sentences(line), rng, spoken)
            for line in rng.sample(unsaid, min(2, len(unsaid)))
        ]
    if field == "relationships":
        more = relationships(bible, sheet["name"], fig, rng)
        new = [
            p + "."
            for p in more.split("; ")
            if p and short_name(p.split(":")[0]).lower() not in low
        ]
        return new or [say(_D.relationships_fallback)]
    if field == "one_line":
        return [say(_D.one_line)]
    if field == "role":
        return [say(_D.role)]
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
