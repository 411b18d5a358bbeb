"""Store contract: conversations (one per thread) and their messages."""

from __future__ import annotations

import pytest

from core.errors import NotFound
from core.models import Story, StoryKey, Usage
from storage.api import Store

pytestmark = pytest.mark.timeout(20)


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


async def test_finish_draft_saves_artifact_message_and_usage_together(
    store: Store, story: Story, key: StoryKey
) -> None:
    conv = await store.create_conversation((*key, "t"), story.id, "synopsis", "", {}, 1)

    done = await store.finish_draft(
        conv.id, "Final text.", {"n": 1}, 7, ("U9", Usage("gpt", 30, 12))
    )

    assert (done.artifact, done.params, done.seed) == ("Final text.", {"n": 1}, 7)
    [message] = await store.messages(conv.id)
    assert (message.role, message.author, message.text) == ("bot", "writersroom", "Final text.")
    assert await store.usage_totals(key) == {
        "prompt_tokens": 30,
        "completion_tokens": 12,
        "requests": 1,
    }
    with pytest.raises(NotFound):
        await store.finish_draft(999, "x", {}, 1, ("U9", Usage("gpt", 1, 1)))
    assert (await store.usage_totals(key))["requests"] == 1  # nothing of the failed one
