"""Generic beats that fit any shape: setups, wants, pressure, dark moments, endings.

The shapes (``data/shapes.toml``) carry the beats that make a heist a heist; these carry
what every story has, written so they combine with any of them. The templates are data,
in ``data/beats.toml``; ``BEATS`` holds them, one field per bank.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generation.packdata import load

Bank = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Beats:
    ordinary: Bank  # the hero's world before the story starts
    openers: Bank  # a synopsis's first sentence, with the title
    openers_untitled: Bank
    want: Bank
    need: Bank
    flaw_np: Bank  # the hero's flaw written as a noun ("pride")
    flaw_clause: Bank  # ... or as a clause ("she trusts no one")
    flaw_pressure_np: Bank
    flaw_pressure_clause: Bank
    foe: Bank
    foe_wants: Bank  # when the opposition's sheet says what it wants
    tests: Bank
    closing: Bank  # the net closing in, second half of the middle
    dark: Bank
    climax: Bank
    mentor: Bank
    ally: Bank
    love: Bank
    foe_page: Bank
    theme: Bank
    imagery: Bank
    direction_clause: Bank  # the writers' direction, woven in as a clause
    direction_np: Bank  # ... or as a noun phrase
    loglines: Bank
    default_flaws: Bank  # for a hero whose sheet names no flaw
    default_needs: Bank
    introduce_wanting: Bank  # a supporting character whose sheet says what they want
    introduce_described: Bank  # ... with only a description
    introduce_plain: Bank  # ... with only a name
    outline_others: Bank  # an outline beat for a supporting character
    resolution: Mapping[str, Bank]  # by the plan's ending: happy, bittersweet, tragic, open


BEATS: Beats = load(Beats, "generation.offline", "data/beats.toml")
