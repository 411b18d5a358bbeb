"""A sheet's third-person phrases as the character says them, or hears them."""

from __future__ import annotations

import pytest

from generation.offline.cast import Figure
from generation.offline.lines import personal
from generation.offline.pronouns import HE, SHE, THEY, parse_pronouns

MARA = Figure("Mara Quell", "Mara", SHE)
JONAH = Figure("Jonah Vale", "Jonah", HE)


@pytest.mark.parametrize(
    ("phrase", "said", "heard"),
    [
        ("get her brother home", "get my brother home", "get your brother home"),
        (
            "prove Mara's worth to herself",
            "prove my worth to myself",
            "prove your worth to yourself",
        ),
        ("she lost the ship", "I lost the ship", "you lost the ship"),
        ("she is free", "I am free", "you are free"),
        ("she has a plan", "I have a plan", "you have a plan"),
        ("she carries the debt", "I carry the debt", "you carry the debt"),
        ("she tries", "I try", "you try"),
        ("she watches", "I watch", "you watch"),
        ("she misses him", "I miss him", "you miss him"),
    ],
)
def test_a_phrase_moves_to_the_first_or_second_person(phrase: str, said: str, heard: str) -> None:
    assert personal(phrase, MARA, 1) == said
    assert personal(phrase, MARA, 2) == heard


def test_an_object_pronoun_in_a_want_is_someone_else() -> None:
    assert personal("win her back", MARA, 1) == "win her back"


def test_an_object_pronoun_ending_a_need_is_the_character() -> None:
    assert personal("let someone help her", MARA, 1, inward=True) == "let someone help me"


def test_the_other_speaker_s_name_becomes_you_or_me() -> None:
    assert personal("beat Jonah's crew", MARA, 1, JONAH) == "beat your crew"
    assert personal("beat Jonah's crew", MARA, 2, JONAH) == "beat my crew"


def test_possessives_change_for_every_set() -> None:
    ash = Figure("Ash", "Ash", THEY)
    assert personal("get their ship back", ash, 1) == "get my ship back"
    xe = parse_pronouns("xe/xem")
    assert xe is not None
    assert personal("find xyr sister", Figure("Wren", "Wren", xe), 1) == "find my sister"
