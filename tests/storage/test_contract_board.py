"""Store contract: the beat board (add, edit, move, remove), locations and their beats,
scenes tied to beats, and undo taking a batch back whole. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest

from core.board import ToAct, ToBeat, ToNumber, script
from core.errors import Conflict, NotFound
from core.models import Beat, Location, Scene, Story, edit_location
from core.types import Author
from storage.api import Store

pytestmark = pytest.mark.timeout(30)


def shown(beats: list[Beat]) -> list[tuple[int, int, str]]:
    return [(b.act, b.position, b.text) for b in beats]


async def board_of(store: Store, story: Story) -> list[tuple[int, int, str]]:
    return shown(await store.beats(story.id))


async def three_acts(store: Store, story: Story, actor: Author) -> None:
    for act, text in ((1, "A"), (1, "B"), (1, "C"), (2, "D"), (2, "E"), (3, "F")):
        await store.add_beat(story.id, act, text, actor)


async def test_beats_are_added_at_the_end_of_their_act(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_beat(story.id, 2, "Turn", actor)
    await store.add_beat(story.id, 1, " Open ", actor)
    added = await store.add_beat(story.id, 1, "Inciting", actor)

    assert (added.act, added.position) == (1, 2)
    assert await board_of(store, story) == [(1, 1, "Open"), (1, 2, "Inciting"), (2, 1, "Turn")]
    assert (await store.history(story.id, limit=1))[0].summary == "added beat 1.2"


async def test_a_beat_is_edited_by_its_number_on_the_board(
    store: Store, story: Story, actor: Author
) -> None:
    await three_acts(store, story, actor)

    edited = await store.edit_beat(story.id, 4, "D, rewritten", actor)

    assert (edited.act, edited.position, edited.text) == (2, 1, "D, rewritten")
    assert (await store.history(story.id, limit=1))[0].summary == "rewrote beat 2.1"
    with pytest.raises(NotFound, match="no beat 9 on the board; it has 6"):
        await store.edit_beat(story.id, 9, "x", actor)


async def test_moving_a_beat_across_acts_renumbers_both_and_undo_restores_the_board(
    store: Store, story: Story, actor: Author
) -> None:
    await three_acts(store, story, actor)
    before = await board_of(store, story)

    after = await store.move_beat(story.id, 1, ToAct(2), actor)

    assert shown(after) == [
        (1, 1, "B"),
        (1, 2, "C"),
        (2, 1, "D"),
        (2, 2, "E"),
        (2, 3, "A"),
        (3, 1, "F"),
    ]
    assert (await store.history(story.id, limit=1))[0].summary.startswith("beat 1.")
    undone = await store.undo(story.id, actor)
    assert undone is not None and undone.summary == "moved beat 1.1 to 2.3"
    assert await board_of(store, story) == before


async def test_moving_a_beat_to_a_number_keeps_its_act_at_a_boundary(
    store: Store, story: Story, actor: Author
) -> None:
    await three_acts(store, story, actor)

    after = await store.move_beat(story.id, 5, ToNumber(1), actor)
    assert [b.text for b in after] == ["E", "A", "B", "C", "D", "F"]
    assert shown(after)[0] == (1, 1, "E")  # it joined act 1: nothing of act 2 borders there
    after = await store.move_beat(story.id, 2, ToNumber(3), actor)
    assert [b.text for b in after] == ["E", "B", "A", "C", "D", "F"]
    assert {b.act for b in after if b.text == "A"} == {1}


async def test_removing_a_beat_renumbers_its_act_and_undo_brings_it_back_in_place(
    store: Store, story: Story, actor: Author
) -> None:
    await three_acts(store, story, actor)
    before = await board_of(store, story)

    removed = await store.remove_beat(story.id, 2, actor)

    assert removed.text == "B"
    assert await board_of(store, story) == [
        (1, 1, "A"),
        (1, 2, "C"),
        (2, 1, "D"),
        (2, 2, "E"),
        (3, 1, "F"),
    ]
    await store.undo(story.id, actor)
    assert await board_of(store, story) == before


async def test_each_board_change_is_undone_on_its_own_in_turn(
    store: Store, story: Story, actor: Author
) -> None:
    await three_acts(store, story, actor)
    start = await board_of(store, story)
    await store.move_beat(story.id, 6, ToNumber(1), actor)
    moved = await board_of(store, story)
    await store.edit_beat(story.id, 1, "F2", actor)
    await store.remove_beat(story.id, 3, actor)

    await store.undo(story.id, actor)
    await store.undo(story.id, actor)
    assert await board_of(store, story) == moved
    await store.undo(story.id, actor)
    assert await board_of(store, story) == start


async def test_locations_keep_look_and_sound_and_are_edited_and_removed(
    store: Store, story: Story, actor: Author
) -> None:
    loc = Location("Lamp Room", description="The top of the tower.", look=" Brass. ", sound="Hum")
    added = await store.add_location(story.id, loc, actor)
    assert (added.look, added.sound) == ("Brass.", "Hum")
    with pytest.raises(Conflict, match="already a location named Lamp Room"):
        await store.add_location(story.id, Location("the lamp room"), actor)

    found = await store.find_location(story.id, "lamp room")
    assert found is not None and found.id == added.id
    edited = await store.update_location(
        story.id, "Lamp Room", lambda x: edit_location(x, "look", "Salt-bleached glass"), actor, "s"
    )
    assert edited.look == "Salt-bleached glass"
    gone = await store.remove_location(story.id, "LAMP ROOM", actor)
    assert gone.id == added.id and await store.locations(story.id) == []
    await store.undo(story.id, actor)
    assert await store.locations(story.id) == [edited]
    with pytest.raises(NotFound):
        await store.remove_location(story.id, "Cellar", actor)


async def test_a_location_is_given_its_beats_as_one_change(
    store: Store, story: Story, actor: Author
) -> None:
    await three_acts(store, story, actor)
    place = await store.add_location(story.id, Location("Quay"), actor)

    there = await store.set_location_beats(story.id, "Quay", [2, 5], actor)
    assert [b.text for b in there] == ["B", "E"]
    there = await store.set_location_beats(story.id, "Quay", [5, 6], actor)
    assert [b.text for b in there] == ["E", "F"]
    assert [b.location_id for b in await store.beats(story.id)] == [
        None,
        None,
        None,
        None,
        place.id,
        place.id,
    ]
    await store.undo(story.id, actor)
    assert [b.text for b in await store.beats(story.id) if b.location_id == place.id] == [
        "B",
        "E",
    ]


async def test_scenes_remember_their_beat_and_follow_the_board(
    store: Store, story: Story, actor: Author
) -> None:
    await three_acts(store, story, actor)
    beats = await store.beats(story.id)
    loose = await store.add_scene(story.id, Scene("Loose", "x"), actor)
    late = await store.add_scene(story.id, Scene("For E", "x", beat_id=beats[4].id), actor)
    early = await store.add_scene(story.id, Scene("For A", "x", beat_id=beats[0].id), actor)
    assert [s.title for s in script(beats, await store.scenes(story.id))] == [
        "For A",
        "For E",
        "Loose",
    ]
    assert early.beat_id == beats[0].id and early.source == "room"

    await store.move_beat(story.id, 5, ToNumber(1), actor)
    beats = await store.beats(story.id)
    assert [s.id for s in script(beats, await store.scenes(story.id))] == [
        late.id,
        early.id,
        loose.id,
    ]


async def test_scenes_are_moved_and_removed_by_their_number_in_the_script(
    store: Store, story: Story, actor: Author
) -> None:
    await three_acts(store, story, actor)
    beats = await store.beats(story.id)
    for title, beat in (("one", 0), ("two", 1), ("three", 2)):
        await store.add_scene(story.id, Scene(title, "x", beat_id=beats[beat].id), actor)

    after = await store.move_scene(story.id, 3, ToNumber(1), actor)
    assert [s.title for s in after] == ["three", "one", "two"]
    assert after[0].beat_id == beats[0].id  # it stands with the beat of the scene it precedes
    after = await store.move_scene(story.id, 1, ToBeat(6), actor)
    assert [s.title for s in after] == ["one", "two", "three"]
    assert after[2].beat_id == beats[5].id
    await store.undo(story.id, actor)
    assert [s.title for s in script(beats, await store.scenes(story.id))] == [
        "three",
        "one",
        "two",
    ]

    removed = await store.remove_scene(story.id, 2, actor)
    assert removed.title == "one"
    with pytest.raises(NotFound, match="no scene 5 in the script; it has 2"):
        await store.remove_scene(story.id, 5, actor)


async def test_a_draft_scene_replaces_its_own_draft_but_not_the_rooms(
    store: Store, story: Story, actor: Author
) -> None:
    beat = await store.add_beat(story.id, 1, "A", actor)
    other = await store.add_beat(story.id, 1, "B", actor)

    first = await store.put_draft_scene(story.id, Scene("1", "take one", beat_id=beat.id), actor)
    again = await store.put_draft_scene(story.id, Scene("1", "take two", beat_id=beat.id), actor)
    assert first is not None and again is not None
    assert (again.id, again.text, again.source) == (first.id, "take two", "draft")

    await store.update_scene(
        story.id,
        first.id,
        lambda s: dataclasses.replace(s, text="the room's", source="room"),
        actor,
        "edited scene",
    )
    kept = await store.put_draft_scene(story.id, Scene("1", "take three", beat_id=beat.id), actor)
    assert kept is None
    assert [s.text for s in await store.scenes(story.id)] == ["the room's"]
    forced = await store.put_draft_scene(
        story.id, Scene("1", "take four", beat_id=beat.id), actor, over_room=True
    )
    assert forced is not None and forced.id == first.id and forced.source == "draft"
    fresh = await store.put_draft_scene(story.id, Scene("2", "b", beat_id=other.id), actor)
    assert fresh is not None and fresh.id != first.id
    await store.undo(story.id, actor)
    await store.undo(story.id, actor)
    assert [(s.text, s.source) for s in await store.scenes(story.id)] == [("the room's", "room")]


async def test_a_change_naming_its_beat_is_refused_when_that_number_is_another_beat_now(
    store: Store, story: Story, actor: Author
) -> None:
    """The web board names beats by id: a number read before someone else's change may
    be another beat by the time the change is made."""
    await three_acts(store, story, actor)
    b, c = [x for x in await store.beats(story.id) if x.text in "BC"]
    before = await board_of(store, story)
    for change in (
        store.edit_beat(story.id, 2, "B?", actor, beat_id=c.id),
        store.move_beat(story.id, 2, ToAct(3), actor, beat_id=c.id),
        store.remove_beat(story.id, 2, actor, beat_id=c.id),
    ):
        with pytest.raises(Conflict):
            await change
    assert await board_of(store, story) == before
    await store.move_beat(story.id, 2, ToAct(2, 1), actor, beat_id=b.id)
    assert await board_of(store, story) == [
        (1, 1, "A"),
        (1, 2, "C"),
        (2, 1, "B"),
        (2, 2, "D"),
        (2, 3, "E"),
        (3, 1, "F"),
    ]
