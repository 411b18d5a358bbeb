"""Word banks for character sheets: temperaments, wants, histories, looks, nicknames.

A temperament bundles what belongs together (a trait, the flaw it grows into, the need
that answers it, a way of talking, a habit, lines the character might say), so a sheet
reads as one person rather than fifteen random fields. The banks are data, in
``data/sheets.toml``; templates use {c} for the character (see ``grammar`` and
``cast.Figure``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generation.packdata import load

Bank = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Temperament:
    key: str
    traits: Bank  # adjectives, the first is the core
    flaw: str
    need: str
    voice: str
    habits: Bank
    lines: Bank


@dataclass(frozen=True, slots=True)
class SheetBanks:
    temperaments: tuple[Temperament, ...]
    quirks: Bank  # "a <trait> <job> who ..." for a one-line
    wants: Bank
    foe_wants: Bank
    mentor_wants: Bank
    origins: Bank  # "grew up ..."
    events: Bank  # "At 17, {c.they} ..."
    secrets: Bank
    builds: Bank
    features: Bank
    details: Bank
    ageing: Bank  # after the build, for 45 and over
    young: Bank  # after the build, under 24
    personalities: Bank  # {T0}/{t0}, {t1}, {t2}: traits; {habit}
    support_roles: Bank
    arcs: Bank  # from {flaw} to {need}
    ties: Bank  # a relationship to another character, {o}
    ties_back: Bank  # to a character whose own sheet names this one
    clothes: Mapping[str, Bank]  # by genre key; "default" for the others
    nicknames: Mapping[str, str]  # by a word of the character's job


BANKS: SheetBanks = load(SheetBanks, "generation.offline", "data/sheets.toml")
