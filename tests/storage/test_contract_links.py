"""Store contract: board links' signing key and each channel's link generation, and the
marks an open board watches. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from core.board import ToAct
from core.models import Story, StoryKey
from core.types import Author
from storage.api import Store
from tests.storage.conftest import Opener

pytestmark = pytest.mark.timeout(30)


async def test_the_signing_key_is_made_once_and_kept(store: Store, reopen: Opener) -> None:
    first = await store.link_key()
    assert len(first) == 32 and await store.link_key() == first
    assert await (await reopen()).link_key() == first


async def test_processes_asking_at_once_agree_on_one_key(store: Store, open_driver: Opener) -> None:
    others = [await open_driver() for _ in range(3)]
    keys = await asyncio.gather(*(s.link_key() for s in [store, *others]))
    assert len(set(keys)) == 1


async def test_revoking_raises_only_that_channels_generation(store: Store, key: StoryKey) -> None:
    other: StoryKey = ("slack", "T1", "C2")
    assert await store.link_generation(key) == 0
    assert await store.revoke_links(key) == 1
    assert await store.revoke_links(key) == 2
    assert await store.link_generation(key) == 2
    assert await store.link_generation(other) == 0


async def test_a_mark_moves_with_every_change_to_the_channels_story(
    store: Store, story: Story, key: StoryKey, actor: Author
) -> None:
    empty: StoryKey = ("slack", "T1", "nobody")
    first = await store.board_marks([key, empty])
    assert first[empty].story_id is None and first[empty].revision == 0
    assert first[key].story_id == story.id

    beat = await store.add_beat(story.id, 1, "Open", actor)
    added = (await store.board_marks([key]))[key]
    await store.move_beat(story.id, 1, ToAct(2), actor, beat_id=beat.id)
    moved = (await store.board_marks([key]))[key]
    await store.undo(story.id, actor)
    undone = (await store.board_marks([key]))[key]
    await store.revoke_links(key)
    revoked = (await store.board_marks([key]))[key]

    revisions = [m.revision for m in (first[key], added, moved, undone)]
    assert revisions == sorted(set(revisions))
    assert revoked.generation == 1 and revoked.revision == undone.revision
