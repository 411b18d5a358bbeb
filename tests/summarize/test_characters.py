"""People of the room, characters of the story, and labels that are neither."""

from __future__ import annotations

from generation.summarize import summarize_offline
from generation.summarize.characters import find_characters
from generation.summarize.thread import read_thread
from tests.summarize.threads import (
    FELIX,
    INES,
    NOOR,
    ORCHARD_CAST,
    orchard_thread,
    thread,
)


def test_the_bible_names_the_characters_the_thread_mentions() -> None:
    d = summarize_offline(orchard_thread(), characters=ORCHARD_CAST)
    assert d.characters == ["Bram", "Ilse Varga", "the Weaver"]


def test_without_a_bible_characters_are_names_doing_things_in_the_story() -> None:
    found = summarize_offline(orchard_thread()).characters
    assert "Bram" in found and any("Varga" in n for n in found)
    for not_a_character in ("Glass Orchard", "Kiteworks", "C-plot", "Milo", "Oren", "Priti"):
        assert not any(not_a_character in n for n in found), found


def test_a_writer_is_never_a_character_even_inside_a_run_of_capitals() -> None:
    t = read_thread(
        thread(
            (NOOR, "<@U0FELIX> I'll owe you one. Felix Moreau I'll remember this"),
            (FELIX, "Marguerite Okon storms out of the diner. Marguerite Okon slams the door"),
            (INES, "and Felix Moreau writes it tonight"),
        )
    )
    assert find_characters(t) == ["Marguerite Okon"]


def test_titles_studios_products_and_labels_are_no_characters() -> None:
    t = read_thread(
        thread(
            (NOOR, "the show is called The Lantern Room and the pilot is titled Dry Dock"),
            (FELIX, "Dunmore notes came in: Dunmore wants more jokes in the B-story"),
            (INES, "the Dry Dock pilot script is due friday. Tuesday Tapes of the Week stays"),
            (NOOR, "Ottoline drives the van and Ottoline hides the tapes. I'll tell Dunmore"),
        )
    )
    assert find_characters(t) == ["Ottoline"]
