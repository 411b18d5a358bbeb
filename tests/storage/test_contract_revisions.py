"""Store contract: revisions (who changed what, when) and undo."""

from __future__ import annotations

import asyncio

import pytest

from core.models import Story, StoryKey, edit_story, new_character
from core.types import Author
from storage.api import Store
from tests.storage.contract_helpers import BOB, OTHER_KEY, set_field

pytestmark = pytest.mark.timeout(20)


async def test_every_change_records_who_when_what_before_and_after(
    store: Store, story: Story
) -> None:
    ann, bob = Author("U1", "Ann"), BOB
    await store.add_character(story.id, new_character("Mara"), ann)
    await store.update_character(story.id, "Mara", set_field("age", "34"), bob, "edited Mara: age")
    await store.remove_character(story.id, "Mara", ann)

    removed, edited, added, created = await store.history(story.id)

    assert (added.action, added.summary, added.actor_id, added.before) == (
        "create",
        "added character Mara",
        "U1",
        None,
    )
    assert added.after is not None and added.after["name"] == "Mara"
    assert (edited.action, edited.summary, edited.actor_name) == (
        "update",
        "edited Mara: age",
        "Bob",
    )
    assert edited.before is not None and edited.after is not None
    assert (edited.before["age"], edited.after["age"]) == ("", "34")
    assert (removed.action, removed.summary, removed.after) == (
        "delete",
        "removed character Mara",
        None,
    )
    assert removed.before == edited.after
    assert (created.entity, created.action) == ("story", "create")
    assert created.at <= added.at <= edited.at <= removed.at
    assert {r.entity_id for r in (added, edited, removed)} == {added.entity_id}


async def test_history_is_newest_first_limited_and_filtered(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara"), actor)
    jonah = await store.add_character(story.id, new_character("Jonah"), actor)
    for age in ("1", "2", "3"):
        await store.update_character(story.id, "Mara", set_field("age", age), actor, f"Mara {age}")
    await store.add_note(story.id, "n", actor)

    everything = await store.history(story.id, limit=100)
    assert [r.id for r in everything] == sorted((r.id for r in everything), reverse=True)
    assert len(await store.history(story.id, limit=2)) == 2
    assert [
        r.summary for r in await store.history(story.id, entity="character", entity_id=mara.id)
    ] == [
        "Mara 3",
        "Mara 2",
        "Mara 1",
        "added character Mara",
    ]
    assert [r.entity_id for r in await store.history(story.id, entity="character")] == [
        mara.id
    ] * 3 + [jonah.id, mara.id]
    assert [r.entity for r in await store.history(story.id, entity="note")] == ["note"]


async def test_undo_with_nothing_to_undo_returns_none(
    store: Store, story: Story, actor: Author
) -> None:
    assert await store.undo(story.id, actor) is None
    assert (await store.active_story(story.key)) == story  # the story itself stays


async def test_undo_of_an_add_removes_the_character(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Jonah"), actor)

    undone = await store.undo(story.id, actor)

    assert undone is not None and undone.summary == "added character Jonah"
    assert await store.find_character(story.id, "Jonah") is None


async def test_undo_of_a_remove_brings_the_character_back_with_its_id_and_sheet(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(
        story.id, new_character("Mara", age="34", aliases="The Pilot"), actor
    )
    await store.remove_character(story.id, "Mara", actor)

    undone = await store.undo(story.id, actor)

    assert undone is not None and undone.action == "delete"
    assert await store.find_character(story.id, "the pilot") == mara


async def test_undo_of_an_edit_restores_what_was_before(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara", age="34"), actor)
    await store.update_character(story.id, "Mara", set_field("name", "Marah"), actor, "renamed")

    await store.undo(story.id, actor)

    assert await store.find_character(story.id, "Mara") == mara
    assert await store.find_character(story.id, "Marah") is None


async def test_undo_of_a_story_edit_restores_its_fields(
    store: Store, story: Story, actor: Author
) -> None:
    await store.update_story(
        story.id, lambda s: edit_story(s, "title", "The Long Dark"), actor, "set story title"
    )

    await store.undo(story.id, actor)

    assert await store.active_story(story.key) == story


async def test_repeated_undo_walks_back_one_change_at_a_time(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara"), actor)
    await store.update_character(story.id, "Mara", set_field("age", "30"), actor, "age 30")
    await store.update_character(story.id, "Mara", set_field("age", "40"), actor, "age 40")

    summaries = []
    ages = []
    while (undone := await store.undo(story.id, actor)) is not None:
        summaries.append(undone.summary)
        found = await store.find_character(story.id, "Mara")
        ages.append(found.age if found else None)

    assert summaries == ["age 40", "age 30", "added character Mara"]
    assert ages == ["30", "", None]
    assert await store.undo(story.id, actor) is None


async def test_undo_appends_its_own_revision_and_marks_the_undone_one(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara", age="30"), actor)
    await store.update_character(story.id, "Mara", set_field("age", "40"), BOB, "age 40")

    undone = await store.undo(story.id, actor)

    assert undone is not None
    newest, edit = await store.history(story.id, limit=2)
    assert (newest.action, newest.undoes, newest.actor_id, newest.entity) == (
        "undo",
        edit.id,
        "U1",
        "character",
    )
    assert newest.summary.startswith("undid") and "age 40" in newest.summary
    assert edit.undone_by == newest.id == undone.undone_by
    assert edit.id == undone.id and edit.after == undone.after  # revisions are never rewritten
    assert newest.before == edit.after and newest.after == edit.before


async def test_a_new_change_after_an_undo_is_undone_first(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara"), actor)
    await store.update_character(story.id, "Mara", set_field("age", "30"), actor, "age 30")
    await store.undo(story.id, actor)
    await store.update_character(story.id, "Mara", set_field("role", "pilot"), actor, "role pilot")

    first = await store.undo(story.id, actor)
    second = await store.undo(story.id, actor)

    assert first is not None and first.summary == "role pilot"
    assert second is not None and second.summary == "added character Mara"


async def test_undo_of_a_beat_replacement_goes_beat_by_beat(
    store: Store, story: Story, actor: Author
) -> None:
    await store.replace_beats(story.id, [(1, "A"), (1, "B")], actor)
    await store.replace_beats(story.id, [(1, "A2")], actor)

    await store.undo(story.id, actor)
    await store.undo(story.id, actor)

    assert [(b.act, b.position, b.text) for b in await store.beats(story.id)] == [
        (1, 1, "A"),
        (1, 2, "B"),
    ]


async def test_undo_only_touches_its_own_story(store: Store, story: Story, actor: Author) -> None:
    other = await store.ensure_story(OTHER_KEY, actor)
    await store.add_character(story.id, new_character("Mara"), actor)
    jonah = await store.add_character(other.id, new_character("Jonah"), actor)

    await store.undo(story.id, actor)

    assert await store.characters(story.id) == []
    assert await store.characters(other.id) == [jonah]


async def test_undo_does_not_unarchive_or_remove_stories(
    store: Store, key: StoryKey, actor: Author
) -> None:
    old, _ = await store.new_story(key, actor, "Old")
    new, _ = await store.new_story(key, actor, "New")

    assert await store.undo(old.id, actor) is None
    assert await store.undo(new.id, actor) is None
    assert [(s.title, s.status) for s in await store.stories(key)] == [
        ("New", "active"),
        ("Old", "archived"),
    ]


async def test_concurrent_undos_undo_different_changes(
    store: Store, story: Story, actor: Author
) -> None:
    for name in ("Ada", "Bo", "Cy"):
        await store.add_character(story.id, new_character(name), actor)

    undone = await asyncio.gather(*(store.undo(story.id, actor) for _ in range(4)))

    assert sorted(u.summary for u in undone if u is not None) == [
        "added character Ada",
        "added character Bo",
        "added character Cy",
    ]
    assert undone.count(None) == 1
    assert await store.characters(story.id) == []
