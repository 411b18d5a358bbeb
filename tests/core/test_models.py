"""The bible's rules on plain data, without a database."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.models import (
    CHARACTER_FIELDS,
    Character,
    Story,
    edit_character,
    edit_story,
    find_character,
    new_character,
    to_dict,
)
from core.text import clean_name

CAST = [
    Character("Mara Voss", id=1, aliases="The Pilot, Voss"),
    Character("Jonah", id=2, aliases="Jo"),
    Character("Ada", id=3, aliases="Jonah's sister, Jo"),
]


@pytest.mark.parametrize(
    "typed",
    [
        "Mara Voss",
        "mara voss",
        "  MARA   VOSS ",
        "Mara\u200b Voss",
        "Ｍａｒａ Ｖｏｓｓ",
        "\u202emara voss",
    ],
)
def test_find_character_ignores_case_spacing_invisibles_and_width(typed: str) -> None:
    assert find_character(CAST, typed) is CAST[0]


def test_find_character_by_alias() -> None:
    assert find_character(CAST, "the pilot") is CAST[0]
    assert find_character(CAST, "jonah's SISTER") is CAST[2]


def test_find_character_shared_alias_goes_to_the_first_listed() -> None:
    assert find_character(CAST, "jo") is CAST[1]


def test_find_character_prefers_a_name_to_an_alias() -> None:
    cast = [Character("Mara", aliases="Jonah"), Character("Jonah")]

    assert find_character(cast, "JONAH") is cast[1]


@pytest.mark.parametrize("typed", ["", "   ", "\u200b", "Mar", "Pilot"])
def test_find_character_with_blank_or_partial_name_finds_nobody(typed: str) -> None:
    assert find_character(CAST, typed) is None


def test_find_character_works_on_tuples_too() -> None:
    assert find_character(tuple(CAST), "ada") is CAST[2]


def test_new_character_cleans_the_name_and_the_sheet() -> None:
    mara = new_character("  \u200bMara   Voss ", age=" 34 ", backstory="Line one\r\nline two\u202e")

    assert mara.name == "Mara Voss"
    assert mara.age == "34"
    assert mara.backstory == "Line one\nline two"
    assert (mara.id, mara.story_id) == (0, 0)


def test_new_character_refuses_unknown_fields_and_empty_names() -> None:
    with pytest.raises(ValueError, match="shoe_size"):
        new_character("Mara", shoe_size="9")
    with pytest.raises(ValueError, match="needs a name"):
        new_character(" \u200b ")


def test_edit_character_sets_one_field_and_leaves_the_original_alone() -> None:
    mara = new_character("Mara", age="34")

    older = edit_character(mara, "age", " 40 ")

    assert older.age == "40" and mara.age == "34"
    assert older.name == "Mara"


def test_edit_character_renames_with_a_clean_name() -> None:
    renamed = edit_character(new_character("Mara"), "name", "  Marah\u200b ")

    assert renamed.name == "Marah" and renamed.key == "marah"


def test_edit_character_refuses_unknown_fields_and_empty_names() -> None:
    with pytest.raises(ValueError, match="unknown character field"):
        edit_character(new_character("Mara"), "shoe_size", "9")
    with pytest.raises(ValueError, match="needs a name"):
        edit_character(new_character("Mara"), "name", "   ")


def test_a_sheet_lists_filled_fields_in_display_order() -> None:
    mara = new_character("Mara", flaw="pride", age="34", role="pilot")

    assert list(mara.sheet()) == ["age", "role", "flaw"]
    assert set(mara.sheet()) <= set(CHARACTER_FIELDS)


def test_alias_keys_are_normalised_and_skip_blanks() -> None:
    assert Character("Mara", aliases=" The Pilot ,, VOSS,").alias_keys() == ["the pilot", "voss"]


def test_edit_story_sets_a_field() -> None:
    story = Story(id=1, key=("t", "w", "c"))

    assert (
        edit_story(story, "logline", "  A pilot finds a ship. ").logline == "A pilot finds a ship."
    )
    assert story.logline == ""


def test_edit_story_cleans_titles_and_never_leaves_one_empty() -> None:
    story = Story(id=1, key=("t", "w", "c"), title="Old")

    assert edit_story(story, "title", "  The   Long Dark ").title == "The Long Dark"
    assert edit_story(story, "title", " \u200b ").title == "Untitled"


def test_edit_story_refuses_fields_a_writer_may_not_set() -> None:
    story = Story(id=1, key=("t", "w", "c"))

    for field_name in ("status", "id", "created_by", "nonsense"):
        with pytest.raises(ValueError, match="unknown story field"):
            edit_story(story, field_name, "x")


def test_to_dict_is_a_json_safe_snapshot() -> None:
    story = Story(id=1, key=("t", "w", "c"), title="T")

    data = to_dict(story)

    assert data["key"] == ["t", "w", "c"]
    assert json.loads(json.dumps(data)) == data


_names = st.text(min_size=1, max_size=30).filter(lambda s: bool(clean_name(s)))


@given(_names)
def test_any_typed_name_finds_its_character_however_it_is_retyped(name: str) -> None:
    character = new_character(name)

    assert find_character([character], f"  {name}\u200b ") is character
    assert find_character([character], unicodedata.normalize("NFKD", name)) is character
