"""The contract every storage driver keeps (storage.api.Store).

Written against the ``store`` fixture only, so another driver (PostgreSQL, one day) runs
the same tests by providing its own ``open_driver`` fixture in a conftest.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import unicodedata
from collections.abc import Awaitable, Callable

import pytest

from bot.core import Author
from bot.errors import Conflict, NotFound
from storage.api import Store
from storage.models import (
    Character,
    JobRecord,
    JobState,
    Location,
    Scene,
    Story,
    StoryKey,
    Usage,
    edit_character,
    edit_story,
    new_character,
)

pytestmark = pytest.mark.timeout(20)

BOB = Author("U2", "Bob")
OTHER_KEY: StoryKey = ("slack", "T1", "C2")


def set_field(field_name: str, value: str) -> Callable[[Character], Character]:
    return lambda c: edit_character(c, field_name, value)


def set_story(field_name: str, value: str) -> Callable[[Story], Story]:
    return lambda s: edit_story(s, field_name, value)


def append_to_backstory(token: str) -> Callable[[Character], Character]:
    return lambda c: dataclasses.replace(c, backstory=f"{c.backstory} {token}".strip())


# --- opening ---------------------------------------------------------------------------


async def test_a_new_store_starts_empty(store: Store, key: StoryKey) -> None:
    assert await store.active_story(key) is None
    assert await store.stories(key) == []
    assert await store.latest_conversation(key) is None
    assert await store.jobs(["queued", "running", "done"]) == []
    assert await store.usage_totals(key) == {
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "requests": 0,
    }


async def test_everything_survives_reopening(
    store: Store, reopen: Callable[[], Awaitable[Store]], key: StoryKey, actor: Author
) -> None:
    story = await store.ensure_story(key, actor)
    mara = await store.add_character(story.id, new_character("Mara", age="34"), actor)
    conv = await store.create_conversation(
        (*key, "th1"), story.id, "synopsis", "Draft", {"n": 1}, 7
    )
    await store.record_usage(key, actor.id, Usage("offline", 10, 20))

    again = await reopen()

    assert await again.active_story(key) == story
    assert await again.find_character(story.id, "mara") == mara
    assert await again.conversation(conv.id) == conv
    assert (await again.usage_totals(key))["requests"] == 1
    assert [r.summary for r in await again.history(story.id)] == [
        "added character Mara",
        "started story Untitled",
    ]


# --- stories ---------------------------------------------------------------------------


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


# --- characters ------------------------------------------------------------------------


async def test_add_character_gives_it_an_id_in_its_story(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara", age="34", role="pilot"), actor)

    assert mara.id > 0 and mara.story_id == story.id
    assert (mara.name, mara.age, mara.role) == ("Mara", "34", "pilot")
    assert await store.characters(story.id) == [mara]


async def test_characters_are_sorted_by_name_ignoring_case(
    store: Store, story: Story, actor: Author
) -> None:
    for name in ("mara", "Jonah", "Zed", "ada"):
        await store.add_character(story.id, new_character(name), actor)

    assert [c.name for c in await store.characters(story.id)] == ["ada", "Jonah", "mara", "Zed"]


@pytest.mark.parametrize(
    "typed",
    ["Mara", "mara", " MARA ", "Mara\u200b", "\u202eMara", "Ｍａｒａ", "  ma\u00adra  "],
    ids=["exact", "lower", "upper-spaced", "zero-width", "bidi", "fullwidth-nfkc", "soft-hyphen"],
)
async def test_find_character_ignores_case_spacing_invisibles_and_unicode_form(
    store: Store, story: Story, actor: Author, typed: str
) -> None:
    mara = await store.add_character(story.id, new_character("Mara"), actor)

    assert await store.find_character(story.id, typed) == mara


async def test_find_character_matches_composed_and_decomposed_accents(
    store: Store, story: Story, actor: Author
) -> None:
    zoe = await store.add_character(
        story.id, new_character(unicodedata.normalize("NFC", "Zoë")), actor
    )

    assert await store.find_character(story.id, unicodedata.normalize("NFD", "ZOË")) == zoe


async def test_find_character_by_alias(store: Store, story: Story, actor: Author) -> None:
    mara = await store.add_character(
        story.id, new_character("Mara Voss", aliases="The Pilot, Voss"), actor
    )

    assert await store.find_character(story.id, "the pilot") == mara
    assert await store.find_character(story.id, " VOSS ") == mara
    assert await store.find_character(story.id, "pilot") is None


async def test_find_character_by_first_or_last_name_when_only_one_has_it(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara Quell"), actor)
    await store.add_character(story.id, new_character("Jonah Vale"), actor)
    await store.add_character(story.id, new_character("Ida Vale"), actor)

    assert await store.find_character(story.id, "mara") == mara
    assert await store.find_character(story.id, "Quell") == mara
    assert await store.find_character(story.id, "Vale") is None  # two Vales: ambiguous
    assert await store.find_character(story.id, "Mar") is None


async def test_find_character_prefers_a_name_over_another_characters_alias(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara", aliases="Jonah"), actor)
    jonah = await store.add_character(story.id, new_character("Jonah"), actor)

    assert await store.find_character(story.id, "jonah") == jonah


async def test_find_character_with_unknown_or_blank_name_is_none(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara", aliases="M"), actor)

    for typed in ("Jonah", "", "   ", "\u200b", "Mar"):
        assert await store.find_character(story.id, typed) is None


@pytest.mark.parametrize("again", ["Mara", "mara", " MARA\u200b"])
async def test_adding_a_duplicate_name_raises_conflict(
    store: Store, story: Story, actor: Author, again: str
) -> None:
    await store.add_character(story.id, new_character("Mara"), actor)
    revisions = await store.history(story.id)

    with pytest.raises(Conflict) as raised:
        await store.add_character(story.id, new_character(again), actor)

    assert raised.value.message == "There is already a character named Mara in this story."
    assert len(await store.characters(story.id)) == 1
    assert await store.history(story.id) == revisions


async def test_update_character_finds_it_by_any_form_of_its_name_or_alias(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara", aliases="The Pilot"), actor)

    await store.update_character(
        story.id, " MARA ", set_field("age", "34"), actor, "edited Mara: age"
    )
    updated = await store.update_character(
        story.id, "the pilot", set_field("flaw", "pride"), actor, "edited Mara: flaw"
    )

    assert (updated.age, updated.flaw) == ("34", "pride")
    assert await store.find_character(story.id, "mara") == updated


async def test_update_or_remove_of_an_unknown_character_raises_not_found(
    store: Store, story: Story, actor: Author
) -> None:
    with pytest.raises(NotFound):
        await store.update_character(story.id, "Nobody", set_field("age", "3"), actor, "x")
    with pytest.raises(NotFound):
        await store.remove_character(story.id, "Nobody", actor)
    assert [r.action for r in await store.history(story.id)] == ["create"]  # only the story's


async def test_rename_makes_the_new_name_find_the_character(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara"), actor)

    renamed = await store.update_character(
        story.id, "Mara", set_field("name", " Marah "), actor, "renamed Mara"
    )

    assert (renamed.id, renamed.name) == (mara.id, "Marah")
    assert await store.find_character(story.id, "marah") == renamed
    assert await store.find_character(story.id, "mara") is None


async def test_rename_onto_another_characters_name_raises_conflict(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara"), actor)
    jonah = await store.add_character(story.id, new_character("Jonah"), actor)
    revisions = await store.history(story.id)

    with pytest.raises(Conflict) as raised:
        await store.update_character(story.id, "Jonah", set_field("name", "MARA"), actor, "renamed")

    assert raised.value.message == "There is already a character named Mara in this story."
    assert await store.find_character(story.id, "jonah") == jonah
    assert await store.history(story.id) == revisions


async def test_character_change_that_raises_leaves_nothing_written(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara", age="34"), actor)
    revisions = await store.history(story.id)

    def half_done(c: Character) -> Character:
        edit_character(c, "age", "35")
        raise ValueError("unknown character field: shoe_size")

    with pytest.raises(ValueError):
        await store.update_character(story.id, "Mara", half_done, actor, "x")
    with pytest.raises(ValueError):
        await store.add_character(story.id, Character(name="  "), actor)

    assert await store.characters(story.id) == [mara]
    assert await store.history(story.id) == revisions


async def test_remove_character_returns_what_it_removed(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara", age="34"), actor)

    removed = await store.remove_character(story.id, "MARA", actor)

    assert removed == mara
    assert await store.find_character(story.id, "Mara") is None
    assert await store.characters(story.id) == []


async def test_fifty_concurrent_edits_to_one_character_lose_nothing(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara"), actor)
    tokens = [f"t{i:02d}" for i in range(50)]

    await asyncio.gather(
        *(
            store.update_character(
                story.id,
                "Mara",
                append_to_backstory(t),
                Author(f"U{t}", t),
                f"edited Mara: backstory {t}",
            )
            for t in tokens
        )
    )

    final = await store.find_character(story.id, "Mara")
    assert final is not None
    assert sorted(final.backstory.split()) == tokens
    edits = await store.history(story.id, limit=100, entity="character")
    assert len([r for r in edits if r.action == "update"]) == 50
    # Each revision's "before" is exactly the previous one's "after": nothing interleaved.
    chain = sorted((r for r in edits if r.action == "update"), key=lambda r: r.id)
    for earlier, later in itertools.pairwise(chain):
        assert later.before == earlier.after


async def test_concurrent_edits_to_different_fields_of_one_character_all_land(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara"), actor)
    values = {
        "age": "34",
        "role": "pilot",
        "want": "her brother back",
        "need": "to let go",
        "flaw": "pride",
    }

    await asyncio.gather(
        *(
            store.update_character(story.id, "mara", set_field(f, v), actor, f"edited Mara: {f}")
            for f, v in values.items()
        )
    )

    final = await store.find_character(story.id, "Mara")
    assert final is not None
    assert {f: getattr(final, f) for f in values} == values


async def test_reads_during_concurrent_writes_see_whole_edits(
    store: Store, story: Story, actor: Author
) -> None:
    await store.add_character(story.id, new_character("Mara", age="0", role="0"), actor)
    seen: list[tuple[str, str]] = []

    def both(i: int) -> Callable[[Character], Character]:
        return lambda c: dataclasses.replace(c, age=str(i), role=str(i))

    async def reader() -> None:
        for _ in range(30):
            c = await store.find_character(story.id, "Mara")
            assert c is not None
            seen.append((c.age, c.role))
            await asyncio.sleep(0)

    await asyncio.gather(
        reader(),
        *(store.update_character(story.id, "Mara", both(i), actor, "x") for i in range(1, 30)),
    )

    assert all(age == role for age, role in seen)


# --- locations, beats, scenes, notes ---------------------------------------------------


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


# --- revisions and undo ----------------------------------------------------------------


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


# --- conversations ---------------------------------------------------------------------


async def test_a_conversation_is_found_by_its_thread_and_its_id(
    store: Store, story: Story, key: StoryKey
) -> None:
    conv = await store.create_conversation(
        (*key, "1700.1"), story.id, "synopsis", "", {"length": "short"}, 42
    )

    assert (conv.place, conv.story_id, conv.kind, conv.params, conv.seed) == (
        (*key, "1700.1"),
        story.id,
        "synopsis",
        {"length": "short"},
        42,
    )
    assert await store.conversation_at((*key, "1700.1")) == conv
    assert await store.conversation(conv.id) == conv
    assert await store.conversation_at((*key, "other")) is None
    assert await store.conversation(conv.id + 1000) is None


async def test_creating_a_conversation_on_a_thread_that_has_one_starts_it_over(
    store: Store, story: Story, key: StoryKey
) -> None:
    first = await store.create_conversation((*key, "t"), story.id, "synopsis", "old", {"a": 1}, 1)
    await store.add_message(first.id, "user", "Ann", "shorter")

    second = await store.create_conversation((*key, "t"), story.id, "dialogue", "", {}, 2)

    assert second.id == first.id
    assert (second.kind, second.artifact, second.params, second.seed) == ("dialogue", "", {}, 2)
    assert await store.conversation_at((*key, "t")) == second


async def test_update_conversation_replaces_artifact_params_and_seed(
    store: Store, story: Story, key: StoryKey
) -> None:
    conv = await store.create_conversation((*key, "t"), story.id, "synopsis", "", {}, 1)

    updated = await store.update_conversation(
        conv.id, "A pilot finds a ship.", {"data": {"acts": [1, 2]}}, 9
    )

    assert (updated.artifact, updated.params, updated.seed) == (
        "A pilot finds a ship.",
        {"data": {"acts": [1, 2]}},
        9,
    )
    assert updated.updated_at >= conv.updated_at and updated.created_at == conv.created_at
    assert await store.conversation(conv.id) == updated


async def test_a_missing_conversation_raises_not_found_on_change(store: Store) -> None:
    with pytest.raises(NotFound):
        await store.update_conversation(999, "x", {}, 1)
    with pytest.raises(NotFound):
        await store.add_message(999, "user", "Ann", "hello")


async def test_latest_conversation_is_the_channels_most_recently_active(
    store: Store, story: Story, key: StoryKey
) -> None:
    one = await store.create_conversation((*key, "1"), story.id, "synopsis", "", {}, 1)
    two = await store.create_conversation((*key, "2"), story.id, "outline", "", {}, 1)
    assert await store.latest_conversation(key) == two

    await store.update_conversation(one.id, "edited", {}, 1)
    assert (await store.latest_conversation(key) or two).id == one.id

    await store.add_message(two.id, "user", "Ann", "continue")
    assert (await store.latest_conversation(key) or one).id == two.id


async def test_messages_are_the_newest_ones_oldest_first(
    store: Store, story: Story, key: StoryKey
) -> None:
    conv = await store.create_conversation((*key, "t"), story.id, "dialogue", "", {}, 1)
    for i in range(5):
        await store.add_message(
            conv.id,
            "user" if i % 2 == 0 else "bot",
            "Ann" if i % 2 == 0 else "writersroom",
            f"m{i}",
        )

    recent = await store.messages(conv.id, limit=3)

    assert [m.text for m in recent] == ["m2", "m3", "m4"]
    assert [m.role for m in recent] == ["user", "bot", "user"]
    assert all(m.conversation_id == conv.id and m.id > 0 and m.at > 0 for m in recent)
    assert len(await store.messages(conv.id)) == 5


# --- jobs and usage --------------------------------------------------------------------


def job(job_id: str, state: JobState = "queued", created_at: float = 1.0) -> JobRecord:
    return JobRecord(
        job_id, "text", "/synopsis", ("slack", "T1", "C1", None), "U1", state, created_at
    )


async def test_save_job_inserts_then_overwrites(store: Store) -> None:
    await store.save_job(job("j1"))
    await store.save_job(
        dataclasses.replace(job("j1"), command="/outline", place=("discord", "G", "C", "th"))
    )

    assert await store.jobs(["queued"]) == [
        dataclasses.replace(job("j1"), command="/outline", place=("discord", "G", "C", "th"))
    ]


async def test_set_job_state_stamps_start_finish_and_error(store: Store) -> None:
    await store.save_job(job("j1"))

    await store.set_job_state("j1", "running")
    (running,) = await store.jobs(["running"])
    await store.set_job_state("j1", "failed", "engine timed out")
    (failed,) = await store.jobs(["failed"])

    assert running.started_at is not None and running.finished_at is None
    assert failed.started_at == running.started_at
    assert failed.finished_at is not None and failed.finished_at >= failed.started_at
    assert failed.error == "engine timed out"
    with pytest.raises(NotFound):
        await store.set_job_state("nope", "done")


async def test_jobs_are_filtered_by_state_oldest_first(store: Store) -> None:
    await store.save_job(job("b", "running", 2.0))
    await store.save_job(job("a", "queued", 3.0))
    await store.save_job(job("c", "done", 1.0))

    assert [j.id for j in await store.jobs(["queued", "running"])] == ["b", "a"]
    assert await store.jobs([]) == []


async def test_usage_totals_add_up_per_channel(store: Store, key: StoryKey) -> None:
    await store.record_usage(key, "U1", Usage("gpt", 100, 20))
    await store.record_usage(key, "U2", Usage("offline", 5, 7))

    assert await store.usage_totals(key) == {
        "prompt_tokens": 105,
        "completion_tokens": 27,
        "requests": 2,
    }


# --- channels are apart ----------------------------------------------------------------


async def test_two_channels_never_see_each_others_data(
    store: Store, key: StoryKey, actor: Author
) -> None:
    here = await store.ensure_story(key, actor)
    there = await store.ensure_story(OTHER_KEY, actor)
    elsewhere = await store.ensure_story(("discord", "T1", "C1"), actor)  # same ids, other platform
    await store.add_character(here.id, new_character("Mara"), actor)
    await store.add_character(there.id, new_character("Mara", age="99"), actor)  # same name is fine
    await store.create_conversation((*key, "t"), here.id, "synopsis", "here", {}, 1)
    await store.record_usage(key, "U1", Usage("gpt", 10, 1))

    assert len({here.id, there.id, elsewhere.id}) == 3
    assert await store.stories(OTHER_KEY) == [there]
    here_mara = await store.find_character(here.id, "Mara")
    there_mara = await store.find_character(there.id, "Mara")
    assert here_mara is not None and there_mara is not None and here_mara.id != there_mara.id
    assert await store.characters(elsewhere.id) == []
    assert await store.latest_conversation(OTHER_KEY) is None
    assert await store.conversation_at((*OTHER_KEY, "t")) is None
    assert (await store.usage_totals(OTHER_KEY))["requests"] == 0
    assert await store.history(there.id, entity="character") != await store.history(
        here.id, entity="character"
    )
    await store.new_story(OTHER_KEY, actor, "Fresh")
    assert await store.active_story(key) == here
