"""Helpers that make what a writer typed safe to drop into a sentence."""

from __future__ import annotations

import pytest

from generation.offline.text import (
    clip,
    content_words,
    lower_first,
    one_line,
    strip_end,
    upper_first,
    words,
)


def test_one_line_folds_whitespace() -> None:
    assert one_line("  a salvage\n  pilot\twho  owes ") == "a salvage pilot who owes"


def test_words_keep_apostrophes_and_hyphens_inside_a_word() -> None:
    assert words("Mara's ship—isn't it well-known?") == [
        "Mara's",
        "ship",
        "isn't",
        "it",
        "well-known",
    ]


@pytest.mark.parametrize(
    ("text", "expected"), [("Get home!...  ", "Get home"), ("She left — ", "She left")]
)
def test_strip_end_drops_trailing_punctuation(text: str, expected: str) -> None:
    assert strip_end(text) == expected


def test_clip_keeps_the_first_sentence_only() -> None:
    assert clip("A salvage pilot who owes everyone. She flies.") == (
        "A salvage pilot who owes everyone"
    )


def test_clip_cuts_a_long_sentence_at_a_clause_boundary() -> None:
    text = "she flies the old tug through the storm; nobody else will go out there tonight"
    assert clip(text, 10) == "she flies the old tug through the storm"


def test_clip_drops_a_relative_clause_it_would_cut_in_half() -> None:
    text = "a pilot who owes money to a man who runs the harbour and the docks"
    assert clip(text, 8) == "a pilot"


def test_clip_never_ends_on_a_function_word() -> None:
    text = "she wants to buy back the ship of her father and the boat"
    assert clip(text, 11) == "she wants to buy back the ship of her father"


def test_clip_of_nothing_is_nothing() -> None:
    assert clip("") == clip("  \n ") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Revenge", "revenge"),
        ("The storm", "the storm"),
        ("Get home", "get home"),
        ("Running away", "running away"),
        ("I know", "I know"),  # "I" stays
        ("I'm fine", "I'm fine"),
        ("NASA calls", "NASA calls"),  # an acronym
        ("McCall knows", "McCall knows"),  # a name with inner capitals
        ("iPhone", "iPhone"),
        ("", ""),
    ],
)
def test_lower_first_lowers_a_sentence_start_but_not_a_name(text: str, expected: str) -> None:
    assert lower_first(text) == expected


def test_lower_first_keeps_the_story_s_names() -> None:
    assert lower_first("Mara is here") == "mara is here"
    assert lower_first("Mara is here", frozenset({"mara"})) == "Mara is here"


@pytest.mark.parametrize(
    ("text", "expected"),
    [('"hello', '"Hello'), ("¿qué pasa", "¿Qué pasa"), ("3 men", "3 men"), ("", "")],
)
def test_upper_first_capitalises_the_first_letter_after_opening_marks(
    text: str, expected: str
) -> None:
    assert upper_first(text) == expected


def test_content_words_leave_out_function_words_and_short_ones() -> None:
    assert content_words("The pilot and her old ship fly to the moon") == [
        "pilot",
        "old",
        "ship",
        "fly",
        "moon",
    ]
