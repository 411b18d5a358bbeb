"""Genre word banks: the ``Genre`` record and the ``_b`` bank-writing helper.

Each genre carries places, prizes, forces, threats, textures, stakes and secrets. Bank
entries are grammar templates (see ``grammar``), mostly plain phrases. The banks are in
the ``vocab_*`` modules, the catalogue and matcher in ``genres``.
"""

from __future__ import annotations

from dataclasses import dataclass


def _b(*chunks: str) -> tuple[str, ...]:
    """Bank entries written several to a line, separated by "|"."""
    return tuple(p.strip() for c in chunks for p in c.split("|") if p.strip())


@dataclass(frozen=True, slots=True)
class Genre:
    key: str
    label: str
    triggers: tuple[str, ...]
    places: tuple[str, ...]  # where a story could be set, with an article
    rooms: tuple[str, ...]  # interiors for scene headings, without article
    outside: tuple[str, ...]  # exteriors for scene headings
    prizes: tuple[str, ...]  # what people want to get hold of
    forces: tuple[str, ...]  # organised opposition, named or not
    jobs: tuple[str, ...]  # occupations for invented people
    threats: tuple[str, ...]
    deadlines: tuple[str, ...]  # "before ..." phrases, without "before"
    textures: tuple[str, ...]  # sensory fragments
    stakes: tuple[str, ...]
    secrets: tuple[str, ...]  # clauses: "the colony was never meant to last"
    shapes: tuple[str, ...]  # story shapes this genre leans toward
