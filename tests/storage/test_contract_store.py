"""Store contract: the store as a whole (starts empty, survives a reopen, keeps channels apart)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from core.models import StoryKey, Usage, new_character
from core.types import Author
from storage.api import Store
from tests.storage.contract_helpers import OTHER_KEY

pytestmark = pytest.mark.timeout(20)


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
