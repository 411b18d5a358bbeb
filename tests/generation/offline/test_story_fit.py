"""Offline drafts fit the story they are written for: wants and needs said in the first
person, banks drawn by the story's genre and setting, scene headings from its places
(never a noun of the situation), and no clause repeated across one story's sheets."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from core.fountain import parse
from core.models import Bible, Character, Location, Story
from generation.doctor.material import artifacts
from generation.doctor.repetition import novelty
from generation.offline.aims import aim
from generation.offline.cast import Figure
from generation.offline.characters import write_sheet
from generation.offline.dialogue_scenes import write_scene
from generation.offline.genres import BY_KEY, GENRES, story_genres
from generation.offline.grammar import Expander, Lit
from generation.offline.lines import personal
from generation.offline.pronouns import HE, KNOWN, SHE, THEY, Pronouns
from generation.offline.sheet_banks import BANKS
from tests.generation.offline.casting import offline_cast

LIGHTHOUSE = Story(
    id=1,
    key=("t", "l", "c"),
    title="The Keeper",
    logline="A lighthouse keeper's daughter must decide whether to expose her father",
    setting="a remote lighthouse on the Scottish coast",
)
ISLA = Character("Isla Brodie", pronouns="she/her", want="To learn what her father hid")
CALLUM = Character("Callum Brodie", pronouns="he/him", want="To keep the lamp lit")
SETS = (SHE, HE, THEY, KNOWN["xe"], KNOWN["ze/hir"], KNOWN["fae"])


def third_person(p: Pronouns) -> re.Pattern[str]:
    forms = {f for f in (p.subject, p.object, p.possessive, p.reflexive) if f}
    return re.compile(r"\b(" + "|".join(sorted(forms)) + r")\b", re.IGNORECASE)


@pytest.mark.parametrize("pronouns", SETS, ids=lambda p: p.subject or "name")
def test_every_banked_want_and_need_is_said_in_the_first_and_second_person(
    pronouns: Pronouns,
) -> None:
    fig = Figure("Isla", "Isla", pronouns)
    ex = Expander(random.Random(1), {"c": fig, "prize": Lit("the deeds"), "place": Lit("town")})
    wants = (*BANKS.wants, *BANKS.foe_wants, *BANKS.mentor_wants)
    needs = tuple(t.need for t in BANKS.temperaments)
    own = third_person(pronouns)
    for template, inward in [(w, False) for w in wants] + [(n, True) for n in needs]:
        found = aim(ex.expand(template), 18)
        assert found is not None
        for person in (1, 2):
            said = personal(found.noun, fig, person, inward=inward)
            assert not own.search(said), f"{template!r} -> {said!r}"


def test_a_scene_keeps_the_speaker_in_the_first_person() -> None:
    wanted = dataclasses.replace(ISLA, want="To make the people who laughed at her listen")
    bible = Bible(LIGHTHOUSE, characters=(wanted, CALLUM))
    scenes = [write_scene(bible, (wanted, CALLUM), "the logbook", seed) for seed in range(30)]
    assert not any("laughed at her" in scene for scene in scenes)
    assert any("laughed at me" in scene for scene in scenes)  # Isla says it herself
    assert any("laughed at you" in scene for scene in scenes)  # and Callum throws it back


def _bank_items(genre_keys: set[str], bank: str) -> set[str]:
    return {x.lower() for g in GENRES if g.key in genre_keys for x in getattr(g, bank)}


def test_a_story_with_no_genre_draws_on_the_neutral_banks_never_a_random_genre() -> None:
    bible = Bible(LIGHTHOUSE, characters=(ISLA, CALLUM))
    assert story_genres(bible) == [BY_KEY["drama"]]
    theirs = {k for g in GENRES if (k := g.key) != "drama"}
    foreign = (_bank_items(theirs, "prizes") | _bank_items(theirs, "textures")) - (
        _bank_items({"drama"}, "prizes") | _bank_items({"drama"}, "textures")
    )
    for seed in range(40):
        scene = write_scene(bible, (ISLA, CALLUM), "", seed).lower()
        sheet = " ".join(write_sheet(bible, "Ewan Reid", "", {}, seed).values()).lower()
        for item in foreign:
            assert item not in scene and item not in sheet, (seed, item)
    assert "the evidence locker's contents" in foreign  # what a keeper once talked about


def test_the_genre_field_comes_first_and_the_setting_adds_to_it() -> None:
    story = dataclasses.replace(LIGHTHOUSE, genre="mystery", setting="a space station")
    keys = [g.key for g in story_genres(Bible(story))]
    assert keys[0] == "mystery" and "scifi" in keys


def headings_of(scene: str) -> list[str]:
    return [e.text for e in parse(scene) if e.kind == "heading"]


def test_a_scene_is_headed_by_the_setting_never_by_a_noun_of_the_situation() -> None:
    bible = Bible(LIGHTHOUSE, characters=(ISLA, CALLUM))
    for seed in range(40):
        for situation in ("Isla talks on the radio", "a fight about the radio at dawn"):
            for h in headings_of(write_scene(bible, (ISLA, CALLUM), situation, seed)):
                assert "RADIO" not in h
                assert re.match(r"^(INT|EXT)\. REMOTE LIGHTHOUSE - ", h), h


def test_a_scene_is_headed_by_the_storys_locations_and_a_known_place_it_names() -> None:
    places = (Location("Lamp Room", id=1), Location("Harbour Wall", id=2))
    bible = Bible(LIGHTHOUSE, characters=(ISLA, CALLUM), locations=places)
    seen: set[str] = set()
    for seed in range(40):
        for h in headings_of(write_scene(bible, (ISLA, CALLUM), "the logbook", seed)):
            seen.add(h.split(" - ")[0])
        named = headings_of(write_scene(bible, (ISLA,), "a row in the lamp room", seed))
        assert all(h.startswith("INT. LAMP ROOM") for h in named)
        drafted = headings_of(write_scene(bible, (ISLA,), "x", seed, places[1], roam=False))
        assert drafted and drafted[0].startswith("EXT. HARBOUR WALL")
        kitchen = headings_of(write_scene(Bible(LIGHTHOUSE), (ISLA,), "a row in the kitchen", seed))
        assert all(h.startswith("INT. KITCHEN") for h in kitchen)  # a place every genre knows
    assert seen == {"INT. LAMP ROOM", "EXT. HARBOUR WALL"}


@pytest.mark.parametrize("genre", ["", "space noir", "cosy mystery"])
@pytest.mark.parametrize("seed", [1, 7, 42, 99])
def test_a_storys_sheets_never_repeat_a_clause_of_each_other(seed: int, genre: str) -> None:
    people = (
        ("Isla Brodie", "she/her"),
        ("Callum Brodie", "he/him"),
        ("Morag Finlay", "she/her"),
        ("Ewan Reid", "he/him"),
        ("Ash Gray", "they/them"),
        ("Kirsty Bell", "she/her"),
    )
    bible = offline_cast(Bible(dataclasses.replace(LIGHTHOUSE, genre=genre)), people, seed * 100)
    repeats = [(n.label, n.repeats) for n in novelty(artifacts(bible)) if n.repeats]
    assert repeats == []
    voices = [c.voice for c in bible.characters]
    assert len(set(voices)) == len(voices)


@pytest.mark.parametrize(
    ("direction", "place"),
    [
        ("a heist on Mars", "Mars"),
        ("a ghost story aboard the Kestrel", "the Kestrel"),
        ("a heist in New Orleans", "New Orleans"),
    ],
)
def test_a_place_named_in_the_direction_is_where_the_synopsis_happens(
    direction: str, place: str
) -> None:
    """ "a heist on Mars": the offline synopsis is set on Mars, its name kept as written
    (it used to take the story's setting or a bank's city neighbourhood instead)."""
    from generation.offline.plan import make_plan
    from generation.offline.synopsis import write_synopsis

    bible = Bible(story=dataclasses.replace(LIGHTHOUSE, setting=""))
    for seed in range(8):
        text = write_synopsis(make_plan(bible, seed, direction, (), "synopsis"), "short")
        assert place in text, (seed, text)
