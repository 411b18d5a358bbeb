"""The Store's image rows: add, read back, per character and thread, accept -> reference."""

from __future__ import annotations

import dataclasses

import pytest

from core.errors import NotFound
from core.images import ImageRecord
from core.models import Story, new_character
from core.types import Author
from storage.api import Store


def record(story: Story, character_id: int, seed: int, **overrides: object) -> ImageRecord:
    base = ImageRecord(
        story_id=story.id,
        character_id=character_id,
        character="Mara",
        kind="portrait",
        prompt="portrait of Mara",
        negative_prompt="blurry",
        seed=seed,
        backend="offline",
        model="card",
        width=512,
        height=512,
        steps=20,
        seconds=2.0 + seed,
        path=f"images/{story.id}/{seed}.png",
        thread="t1",
        params={"style": "noir"},
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


async def test_images_are_stored_and_read_back_with_how_they_were_made(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara"), actor)
    saved = await store.add_image(record(story, mara.id, 7))
    assert saved.id > 0 and saved.created_at > 0
    again = await store.image(saved.id)
    assert again == saved
    assert again is not None and again.params == {"style": "noir"} and again.size == "512x512"
    assert await store.image(saved.id + 100) is None


async def test_history_is_newest_first_per_character_and_thread(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara"), actor)
    jonah = await store.add_character(story.id, new_character("Jonah"), actor)
    first = await store.add_image(record(story, mara.id, 1))
    second = await store.add_image(record(story, mara.id, 2, thread="t2"))
    await store.add_image(record(story, jonah.id, 3, character="Jonah"))
    assert [i.id for i in await store.images_of(story.id, mara.id)] == [second.id, first.id]
    assert [i.id for i in await store.images_of(story.id, mara.id, limit=1)] == [second.id]
    found = await store.image_in_thread(story.id, "t2")
    assert found is not None and found.id == second.id
    assert await store.image_in_thread(story.id, "nowhere") is None


async def test_the_first_accepted_image_becomes_the_reference_and_can_be_undone(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara"), actor)
    one = await store.add_image(record(story, mara.id, 11))
    two = await store.add_image(record(story, mara.id, 12))
    accepted, changed = await store.accept_image(one.id, actor)
    assert accepted.accepted and changed is not None
    assert changed.reference_image == one.path and changed.image_seed == 11
    _, unchanged = await store.accept_image(two.id, actor)
    assert unchanged is None  # the reference stays the first accepted portrait
    mara_now = await store.find_character(story.id, "Mara")
    assert mara_now is not None and mara_now.reference_image == one.path
    await store.undo(story.id, actor)
    mara_back = await store.find_character(story.id, "Mara")
    assert mara_back is not None and mara_back.reference_image in (None, "")
    with pytest.raises(NotFound):
        await store.accept_image(9999, actor)


async def test_seconds_per_step_is_the_median_of_recent_runs(
    store: Store, story: Story, actor: Author
) -> None:
    mara = await store.add_character(story.id, new_character("Mara"), actor)
    for seed in (1, 2, 3):  # 3, 4 and 5 seconds over 20 steps
        await store.add_image(record(story, mara.id, seed, backend="diffusers", model="sd"))
    assert await store.seconds_per_step("diffusers", "sd", 512, 512) == pytest.approx(4.0 / 20)
    assert await store.seconds_per_step("diffusers", "sd", 1024, 1024) is None
