"""Invented names for a story with no cast: fitting the genre, free, with pronouns."""

from __future__ import annotations

import random

import pytest

from generation.offline.names import NAMES, invent_person
from generation.offline.pronouns import HE, SHE


@pytest.mark.parametrize(
    ("genres", "given", "family"),
    [
        (["fantasy"], NAMES.fantasy_f + NAMES.fantasy_m + NAMES.fantasy_n, NAMES.fantasy_family),
        (
            ["western"],
            NAMES.western_f + NAMES.western_m + NAMES.given_f + NAMES.given_m + NAMES.given_n,
            NAMES.western_family,
        ),
        (
            ["historical"],
            NAMES.western_f + NAMES.western_m + NAMES.given_f + NAMES.given_m + NAMES.given_n,
            NAMES.western_family,
        ),
        (["scifi"], NAMES.given_f + NAMES.given_m + NAMES.given_n, NAMES.family),
        ([], NAMES.given_f + NAMES.given_m + NAMES.given_n, NAMES.family),
    ],
)
def test_a_name_comes_from_the_genre_s_pools(
    genres: list[str], given: tuple[str, ...], family: tuple[str, ...]
) -> None:
    for seed in range(30):
        name, _ = invent_person(random.Random(seed), genres, set())
        first, last = name.split(" ", 1)
        assert first in given and last in family, name


def test_a_gendered_given_name_comes_with_its_pronouns() -> None:
    for seed in range(200):
        name, pronouns = invent_person(random.Random(seed), [], set())
        first = name.split()[0]
        if first in NAMES.given_f and first not in NAMES.given_n:
            assert pronouns is SHE, name
        if first in NAMES.given_m and first not in NAMES.given_n:
            assert pronouns is HE, name


def test_a_first_name_already_in_the_story_is_not_used_again() -> None:
    taken = {"mara", "jonah", "wren"}
    for seed in range(100):
        name, _ = invent_person(random.Random(seed), [], taken)
        assert name.split()[0].casefold() not in taken


def test_the_same_seed_invents_the_same_person() -> None:
    assert invent_person(random.Random(4), ["fantasy"], set()) == invent_person(
        random.Random(4), ["fantasy"], set()
    )
