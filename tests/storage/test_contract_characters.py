"""Store contract: characters (add, find by any form of a name, rename, remove, edit at once)."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import unicodedata
from collections.abc import Callable

import pytest

from core.errors import Conflict, NotFound
from core.models import Character, Story, edit_character, new_character
from core.types import Author
from storage.api import Store
from tests.storage.contract_helpers import set_field

pytestmark = pytest.mark.timeout(20)


def append_to_backstory(token: str) -> Callable[[Character], Character]:
    return lambda c: dataclasses.replace(c, backstory=f"{c.backstory} {token}".strip())


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
