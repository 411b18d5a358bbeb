"""Names for people the bible does not have yet (only used when the story has no cast).

The names are data, in ``data/names.toml``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from generation.offline.pronouns import HE, SHE, THEY, Pronouns
from generation.packdata import load

Pool = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Names:
    """Given names for she, he and they (f, m, n) and surnames, plain and by genre."""

    given_f: Pool
    given_m: Pool
    given_n: Pool
    family: Pool
    fantasy_f: Pool
    fantasy_m: Pool
    fantasy_n: Pool
    fantasy_family: Pool
    western_f: Pool
    western_m: Pool
    western_family: Pool


NAMES: Names = load(Names, "generation.offline", "data/names.toml")


def invent_person(
    rng: random.Random, genre_keys: list[str], taken: set[str]
) -> tuple[str, Pronouns]:
    """A full name that suits the genre and is not in use yet, with fitting pronouns."""
    n = NAMES
    if "fantasy" in genre_keys:
        pools, family = (n.fantasy_f, n.fantasy_m, n.fantasy_n), n.fantasy_family
    elif "western" in genre_keys or "historical" in genre_keys:
        pools, family = (
            (n.western_f + n.given_f[:10], n.western_m + n.given_m[:10], n.given_n[:4]),
            n.western_family,
        )
    else:
        pools, family = (n.given_f, n.given_m, n.given_n), n.family
    which = rng.choices((0, 1, 2), weights=(45, 45, 10), k=1)[0]
    pronouns = (SHE, HE, THEY)[which] if which < 2 else rng.choice((THEY, THEY, SHE, HE))
    first = rng.choice(pools[which])
    for _ in range(30):
        if first.casefold() not in taken:
            break
        first = rng.choice(pools[which])
    return f"{first} {rng.choice(family)}", pronouns
