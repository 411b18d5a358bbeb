"""Store contract: stories (one active per channel, new and archived, edits, the bible)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable

import pytest

from core.errors import NotFound
from core.models import Location, Scene, Story, StoryKey, edit_story, new_character
from core.types import Author
from storage.api import Store
from tests.storage.contract_helpers import BOB, OTHER_KEY

pytestmark = pytest.mark.timeout(20)


def set_story(field_name: str, value: str) -> Callable[[Story], Story]:
    return lambda s: edit_story(s, field_name, value)


async def test_ensure_story_creates_one_untitled_active_story(
    store: Store, key: StoryKey, actor: Author
) -> None:
    first = await store.ensure_story(key, actor)
    second = await store.ensure_story(key, actor)

    assert first == second
    assert (first.title, first.status, first.key, first.created_by) == (
        "Untitled",
        "active",
        key,
        "U1",
    )
    assert first.created_at > 0
    assert await store.active_story(key) == first


async def test_concurrent_ensure_story_on_one_channel_yields_one_story(
    store: Store, key: StoryKey, actor: Author
) -> None:
    made = await asyncio.gather(*(store.ensure_story(key, actor) for _ in range(20)))

    assert len({s.id for s in made}) == 1
    assert len(await store.stories(key)) == 1


async def test_two_stores_on_one_database_make_one_story_for_a_channel(
    store: Store, open_driver: Callable[[], Awaitable[Store]], key: StoryKey, actor: Author
) -> None:
    """Two processes: each store lets one of its callers create, and the transaction's
    second look under the channel's lock keeps the other process from making another."""
    other = await open_driver()
    made = await asyncio.gather(
        *(s.ensure_story(key, actor) for _ in range(10) for s in (store, other))
    )
    assert len({s.id for s in made}) == 1
    assert len(await store.stories(key)) == 1


async def test_new_story_archives_the_active_one_and_returns_it(
    store: Store, key: StoryKey, actor: Author
) -> None:
    old = await store.ensure_story(key, actor)
    await store.update_story(
        old.id, lambda s: edit_story(s, "logline", "A pilot."), actor, "set logline"
    )

    new, archived = await store.new_story(key, BOB, "The Long Dark")

    assert archived is not None
    assert (archived.id, archived.status, archived.logline) == (old.id, "archived", "A pilot.")
    assert (new.title, new.status, new.created_by) == ("The Long Dark", "active", "U2")
    assert await store.active_story(key) == new
    assert await store.bible(old.id) is not None  # archived, not lost


async def test_new_story_on_a_channel_without_one_archives_nothing(
    store: Store, key: StoryKey, actor: Author
) -> None:
    new, archived = await store.new_story(key, actor)

    assert archived is None
    assert new.title == "Untitled"


async def test_stories_lists_active_first_then_archived_newest_first(
    store: Store, key: StoryKey, actor: Author
) -> None:
    await store.new_story(key, actor, "One")
    await store.new_story(key, actor, "Two")
    await store.new_story(key, actor, "Three")

    listed = await store.stories(key)

    assert [(s.title, s.status) for s in listed] == [
        ("Three", "active"),
        ("Two", "archived"),
        ("One", "archived"),
    ]


async def test_stories_in_workspace_lists_each_channels_stories_and_no_others(
    store: Store, key: StoryKey, actor: Author
) -> None:
    await store.new_story(key, actor, "One")
    await store.new_story(key, actor, "Two")
    await store.new_story(OTHER_KEY, actor, "Elsewhere")
    await store.new_story(("slack", "T2", "C1"), actor, "Other team")
    await store.new_story(("discord", "T1", "C1"), actor, "Other platform")

    listed = await store.stories_in_workspace("slack", "T1")

    assert [(s.key[2], s.title, s.status) for s in listed] == [
        ("C1", "Two", "active"),
        ("C1", "One", "archived"),
        ("C2", "Elsewhere", "active"),
    ]
    assert await store.stories_in_workspace("slack", "nobody") == []


async def test_concurrent_new_stories_leave_exactly_one_active(
    store: Store, key: StoryKey, actor: Author
) -> None:
    await asyncio.gather(*(store.new_story(key, actor, f"Story {i}") for i in range(10)))

    listed = await store.stories(key)
    assert len(listed) == 10
    assert [s.status for s in listed].count("active") == 1
    assert listed[0] == await store.active_story(key)


async def test_update_story_applies_the_change_and_records_a_revision(
    store: Store, story: Story, actor: Author
) -> None:
    updated = await store.update_story(
        story.id, lambda s: edit_story(s, "genre", "space noir"), actor, "set story genre"
    )

    assert updated.genre == "space noir"
    assert (await store.bible(story.id)).story == updated
    newest = (await store.history(story.id, limit=1))[0]
    assert (newest.entity, newest.action, newest.summary) == ("story", "update", "set story genre")
    assert newest.before is not None and newest.before["genre"] == ""
    assert newest.after is not None and newest.after["genre"] == "space noir"


async def test_update_story_keeps_the_story_identity_and_status(
    store: Store, story: Story, actor: Author
) -> None:
    def sneaky(s: Story) -> Story:
        return dataclasses.replace(s, id=999, key=OTHER_KEY, status="archived", title="New")

    updated = await store.update_story(story.id, sneaky, actor, "retitled")

    assert (updated.id, updated.key, updated.status, updated.title) == (
        story.id,
        story.key,
        "active",
        "New",
    )


async def test_update_story_that_changes_nothing_records_nothing(
    store: Store, story: Story, actor: Author
) -> None:
    before = await store.history(story.id)

    assert await store.update_story(story.id, lambda s: s, actor, "nothing") == story
    assert await store.history(story.id) == before


async def test_concurrent_story_edits_to_different_fields_all_land(
    store: Store, story: Story, actor: Author
) -> None:
    values = {
        "logline": "A pilot.",
        "genre": "noir",
        "tone": "bleak",
        "setting": "Io",
        "style": "terse",
    }

    await asyncio.gather(
        *(
            store.update_story(story.id, set_story(f, v), actor, f"set {f}")
            for f, v in values.items()
        )
    )

    final = (await store.bible(story.id)).story
    assert {f: getattr(final, f) for f in values} == values


async def test_update_of_an_unknown_story_raises_not_found(store: Store, actor: Author) -> None:
    with pytest.raises(NotFound):
        await store.update_story(12345, lambda s: s, actor, "x")
    with pytest.raises(NotFound):
        await store.bible(12345)


async def test_story_change_that_raises_leaves_nothing_written(
    store: Store, story: Story, actor: Author
) -> None:
    before = await store.history(story.id)

    def broken(s: Story) -> Story:
        raise RuntimeError("engine exploded")

    with pytest.raises(RuntimeError):
        await store.update_story(story.id, broken, actor, "x")

    assert (await store.bible(story.id)).story == story
    assert await store.history(story.id) == before


async def test_bible_holds_every_part_of_the_story(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara"), actor)
    await store.add_location(story.id, Location("The Tern", description="A salvage tug."), actor)
    await store.replace_beats(story.id, [(1, "Mara finds the ship.")], actor)
    await store.add_scene(story.id, Scene("Airlock", "MARA: Open it."), actor)
    await store.add_note(story.id, "Keep the brother offscreen.", actor)

    bible = await store.bible(story.id)

    assert bible.story == story
    assert [c.name for c in bible.characters] == ["Mara"]
    assert [(loc.name, loc.description) for loc in bible.locations] == [
        ("The Tern", "A salvage tug.")
    ]
    assert [(b.act, b.position, b.text) for b in bible.beats] == [(1, 1, "Mara finds the ship.")]
    assert [s.title for s in bible.scenes] == ["Airlock"]
    assert [n.text for n in bible.notes] == ["Keep the brother offscreen."]
    assert bible.character("MARA") == bible.characters[0]
