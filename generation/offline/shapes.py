"""Story shapes: the structural spines a synopsis or outline can take.

Each shape (heist, quest, mystery, romance, revenge, coming of age, fall from grace,
survival, fish out of water, escape, rebellion, rivalry, redemption) has its own inciting
incidents, act-one commitments, second-act tests, midpoint reversals, dark moments and
climaxes, several of each, written as grammar templates in ``data/shapes.toml``. A draft
picks one shape, biased by the logline, genre and direction, and combines its beats with
the generic ones in ``beats``, so two seeds tell two different stories.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from generation.packdata import load


@dataclass(frozen=True, slots=True)
class Shape:
    key: str
    label: str  # "heist", "fall from grace": how a writer would say it
    triggers: tuple[str, ...]
    goals: tuple[str, ...]  # what the hero sets out to do, when no want is given (a VP)
    hooks: tuple[str, ...]  # short inciting clauses for loglines ("a job goes wrong")
    inciting: tuple[str, ...]
    commit: tuple[str, ...]
    tests: tuple[str, ...]
    midpoint: tuple[str, ...]
    dark: tuple[str, ...]
    climax: tuple[str, ...]
    themes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Shapes:
    shapes: tuple[Shape, ...]


SHAPES: tuple[Shape, ...] = load(_Shapes, "generation.offline", "data/shapes.toml").shapes
BY_KEY = {s.key: s for s in SHAPES}


def mentioned_shapes(text: str) -> list[str]:
    """Shapes a writer names outright ("make it a heist", "more of a romance")."""
    low = text.lower()
    found = []
    for s in SHAPES:
        if re.search(rf"\b{re.escape(s.label)}\b", low) or re.search(
            rf"\b{re.escape(s.key)}\b", low
        ):
            found.append(s.key)
    return found


def choose_shape(
    rng: random.Random, premise: str, genre_bias: list[str], forced: list[str]
) -> Shape:
    """One shape, weighted toward those the premise and genre suggest, never certain.

    A logline about a vault makes a heist likely, but other seeds may still find a
    revenge story or a rivalry inside the same premise.
    """
    if forced:
        return BY_KEY[rng.choice(forced)]
    low = premise.lower()
    weights = []
    for s in SHAPES:
        w = 1.0
        hits = sum(1 for t in s.triggers if re.search(rf"\b{re.escape(t)}", low))
        w += 2.5 * min(hits, 3)
        if s.key in genre_bias:
            w += 1.5
        weights.append(w)
    return rng.choices(SHAPES, weights=weights, k=1)[0]
