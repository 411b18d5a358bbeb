"""How a character talks: traits read from a sheet, and a drafted line said in them."""

from __future__ import annotations

import random

import pytest

from generation.offline.voice import VOICE_WORDS, Voice, read_voice, traits_in
from generation.offline.voice_render import formalise, parenthetical_for, render

LINE = ["I need the ship back, because it is mine.", "You know that.", "It is late."]


def say(traits: tuple[str, ...], seed: int, parts: list[str] = LINE) -> str:
    return render(Voice(traits), list(parts), random.Random(seed), lambda s: s)


def test_traits_are_read_from_the_words_a_sheet_uses() -> None:
    assert traits_in("Clipped and dry; answers questions with questions.") == ["terse", "sardonic"]
    assert traits_in("nervous, poetic, loud, formal, dry") == ["nervous", "lyrical", "fiery"]
    assert traits_in("") == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("rambling, terse", ["rambling"]),
        ("terse and rambling", ["terse"]),
        ("formal, folksy", ["formal"]),
        ("warm but sardonic", ["warm"]),
    ],
)
def test_of_two_opposite_traits_the_one_named_first_wins(text: str, kept: list[str]) -> None:
    assert traits_in(text) == kept


def test_a_voice_falls_back_to_personality_and_keeps_the_sample_line_on_one_line() -> None:
    assert read_voice("", "warm and kind", "").traits == ("warm",)
    assert read_voice("", "", "  Debts  float.\n I sink. ").sample == "Debts float. I sink."
    assert read_voice("", "", "").traits == ("plain",)


def test_formal_speech_has_no_contractions() -> None:
    assert formalise("I can't and won't. It's what's there. They're here, we'll go.") == (
        "I cannot and will not. It is what is there. They are here, we will go."
    )
    assert formalise("Can't stop. Yeah, okay, kid.") == "Cannot stop. Yes, very well, child."


def test_plain_speech_contracts_but_not_at_the_end_of_a_clause() -> None:
    assert say(("plain",), 1, ["I am sure it is late.", "Leave it as it is."]) == (
        "I'm sure it's late. Leave it as it is."
    )


def test_a_formal_speaker_keeps_every_word() -> None:
    assert (
        say(("formal",), 1)
        == "I need the ship back, because it is mine. You know that. It is late."
    )


def test_a_terse_speaker_keeps_the_key_clause_and_at_most_one_short_sentence() -> None:
    seen = {say(("terse",), seed) for seed in range(10)}
    assert seen == {"I need the ship back.", "I need the ship back. It is late."}


def test_a_rambler_says_it_all_in_one_breath_with_an_aside() -> None:
    for seed in range(10):
        text = say(("rambling",), seed)
        assert text.startswith("I need the ship back, because it's mine, ")
        assert any(aside in text for aside in VOICE_WORDS.asides)
        breath = text[: text.index("it's late")]  # then at most an afterthought
        assert "you know that" in breath and not any(stop in breath for stop in ".!?")


def test_a_nervous_speaker_hesitates_first() -> None:
    for seed in range(10):
        text = say(("nervous",), seed)
        assert text.startswith(VOICE_WORDS.hesitations)
        assert "I need the ship back" in text


def test_an_empty_line_is_an_ellipsis() -> None:
    assert say(("plain",), 1, []) == "..."


def test_a_parenthetical_is_lower_case_direction_for_the_voice() -> None:
    expand = lambda s: s.replace("{you.poss}", "Jonah's")  # noqa: E731
    seen = {parenthetical_for(Voice(("warm",)), random.Random(s), expand) for s in range(20)}
    assert seen == {"softly", "gently", "reaching for Jonah's hand"}
