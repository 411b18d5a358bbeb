"""Who a draft is about: short names, story slots, pronouns read from a sheet."""

from __future__ import annotations

import pytest

from core.models import Character
from generation.offline.cast import Figure, epithet, infer_pronouns, role_slot, short_name
from generation.offline.pronouns import HE, SHE, THEY


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Mara Quell", "Mara"),
        ("Mara de la Cruz", "Mara"),
        ("Mara", "Mara"),
        ("Captain Reyes", "Captain Reyes"),  # a title stays with the surname
        ("Captain Ada Reyes", "Captain Reyes"),
        ("Dr. Ines Okafor", "Dr. Okafor"),
        ("Old Tom", "Old Tom"),
    ],
)
def test_short_name_is_the_given_name_or_the_title_and_surname(name: str, short: str) -> None:
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("role", "slot"),
    [
        ("protagonist", "hero"),
        ("the villain", "foe"),
        ("rival", "foe"),
        ("antagonist, secretly the mentor", "foe"),  # slots are tried in order
        ("mentor figure", "mentor"),
        ("love interest", "love"),
        ("comic relief", "ally"),
        ("reluctant ally", "ally"),
        ("wildcard", None),
        ("", None),
    ],
)
def test_a_role_puts_a_character_in_a_story_slot(role: str, slot: str | None) -> None:
    assert role_slot(role) == slot


def test_pronouns_come_from_the_sheet_then_its_prose_then_they() -> None:
    assert infer_pronouns(Character(name="Jonah", pronouns="he/him")) == HE
    assert infer_pronouns(Character(name="Mara", one_line="She flies; she lies to herself.")) == SHE
    assert infer_pronouns(Character(name="Kit", one_line="She and he argue.")) == THEY
    assert infer_pronouns(Character(name="Kit")) == THEY


def test_an_epithet_comes_from_the_one_line_or_a_descriptive_role() -> None:
    pilot = Character(name="Mara", one_line="A salvage pilot who owes everyone")
    assert epithet(pilot, frozenset()) == "a salvage pilot who owes everyone"
    assert (
        epithet(Character(name="Jonah", role="harbour master"), frozenset()) == "a harbour master"
    )
    assert epithet(Character(name="Ines", role="old inspector"), frozenset()) == "an old inspector"
    assert epithet(Character(name="Kit", role="protagonist"), frozenset()) == ""  # just a slot


@pytest.mark.parametrize(
    ("name", "possessive"), [("James", "James's"), ("Mara Quell", "Mara Quell's")]
)
def test_a_possessive_adds_apostrophe_s(name: str, possessive: str) -> None:
    assert Figure(name, name, HE).form("poss", True) == possessive
