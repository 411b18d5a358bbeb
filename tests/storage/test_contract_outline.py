"""Store contract: the rest of the bible (locations, beats, scenes and notes)."""

from __future__ import annotations

import pytest

from core.models import Location, Scene, Story
from core.types import Author
from storage.api import Store

pytestmark = pytest.mark.timeout(20)


async def test_locations_are_added_and_listed_by_name(
    store: Store, story: Story, actor: Author
) -> None:
    tern = await store.add_location(story.id, Location(" The Tern ", description="A tug."), actor)
    await store.add_location(story.id, Location("Io station"), actor)

    assert (tern.name, tern.story_id) == ("The Tern", story.id)
    assert [loc.name for loc in await store.locations(story.id)] == ["Io station", "The Tern"]


async def test_replace_beats_orders_them_by_act_and_position(
    store: Store, story: Story, actor: Author
) -> None:
    beats = await store.replace_beats(
        story.id, [(1, "Open"), (2, "Turn"), (1, "Inciting"), (3, "End")], actor
    )

    expected = [(1, 1, "Open"), (1, 2, "Inciting"), (2, 1, "Turn"), (3, 1, "End")]
    assert [(b.act, b.position, b.text) for b in beats] == expected
    assert [(b.act, b.position, b.text) for b in await store.beats(story.id)] == expected


async def test_replace_beats_records_one_revision_per_changed_beat(
    store: Store, story: Story, actor: Author
) -> None:
    await store.replace_beats(story.id, [(1, "A"), (1, "B"), (2, "C")], actor)
    before = await store.history(story.id, limit=100)

    await store.replace_beats(story.id, [(1, "A"), (1, "B2"), (2, "C"), (2, "D")], actor)

    new = (await store.history(story.id, limit=100))[: -len(before)]
    assert sorted(r.summary for r in new) == ["added beat 2.2", "rewrote beat 1.2"]
    await store.replace_beats(story.id, [(1, "A")], actor)
    newest = await store.history(story.id, limit=3)
    assert sorted(r.summary for r in newest) == [
        "removed beat 1.2",
        "removed beat 2.1",
        "removed beat 2.2",
    ]


async def test_replacing_beats_with_the_same_outline_records_nothing(
    store: Store, story: Story, actor: Author
) -> None:
    outline = [(1, "A"), (2, "B")]
    first = await store.replace_beats(story.id, outline, actor)
    revisions = await store.history(story.id, limit=100)

    assert await store.replace_beats(story.id, outline, actor) == first
    assert await store.history(story.id, limit=100) == revisions


async def test_scenes_and_notes_are_listed_oldest_first(
    store: Store, story: Story, actor: Author
) -> None:
    one = await store.add_scene(story.id, Scene("Airlock", "MARA: Open it."), actor)
    two = await store.add_scene(story.id, Scene("Bridge", "JONAH: No.", kind="scene"), actor)
    note = await store.add_note(story.id, " Keep the brother offscreen. ", actor)

    assert await store.scenes(story.id) == [one, two]
    assert two.kind == "scene" and one.created_at > 0
    assert (note.text, note.story_id) == ("Keep the brother offscreen.", story.id)
    assert await store.notes(story.id) == [note]
