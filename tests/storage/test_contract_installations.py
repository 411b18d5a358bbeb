"""Store contract: installations, OAuth states (storage/installations.py) and feedback
votes (storage/feedback.py), on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from core.errors import NotFound
from core.models import Story, StoryKey
from core.types import Author
from storage.api import InstallationRow, Store, Vote
from tests.storage.conftest import Opener

pytestmark = pytest.mark.timeout(30)


def bot(team: str, token: str, at: float = 0.0) -> InstallationRow:
    return InstallationRow("slack", "", team, "bot", "", {"bot_token": token}, at)


async def test_an_installation_is_kept_per_workspace_and_replaced_on_reinstall(
    store: Store, reopen: Opener
) -> None:
    await store.save_installation(bot("T1", "xoxb-1"))
    await store.save_installation(bot("T2", "xoxb-2"))
    await store.save_installation(bot("T1", "xoxb-1b"))
    again = await reopen()
    found = await again.find_installation("slack", "", "T1", "bot")
    assert found is not None and found.data == {"bot_token": "xoxb-1b"}
    assert found.installed_at > 0
    other = await again.find_installation("slack", "", "T2", "bot")
    assert other is not None and other.data["bot_token"] == "xoxb-2"
    assert await again.find_installation("slack", "", "T3", "bot") is None
    assert await again.find_installation("discord", "", "T1", "bot") is None


async def test_find_installation_by_person_or_the_newest(store: Store) -> None:
    for user, at in (("U1", 10.0), ("U2", 20.0)):
        row = InstallationRow("slack", "E1", "T1", "installation", user, {"user": user}, at)
        await store.save_installation(row)
    newest = await store.find_installation("slack", "E1", "T1", "installation")
    assert newest is not None and newest.user_id == "U2"
    first = await store.find_installation("slack", "E1", "T1", "installation", "U1")
    assert first is not None and first.data == {"user": "U1"}
    assert await store.find_installation("slack", "", "T1", "installation") is None


async def test_uninstall_deletes_only_that_workspaces_rows(store: Store) -> None:
    await store.save_installation(bot("T1", "xoxb-1"))
    await store.save_installation(InstallationRow("slack", "", "T1", "installation", "U1"))
    await store.save_installation(bot("T2", "xoxb-2"))
    assert await store.delete_installations("slack", "", "T1", kind="bot") == 1
    assert await store.find_installation("slack", "", "T1", "installation") is not None
    assert await store.delete_installations("slack", "", "T1") == 1
    assert await store.find_installation("slack", "", "T1", "installation") is None
    assert await store.find_installation("slack", "", "T2", "bot") is not None
    assert await store.delete_installations("slack", "", "T1") == 0


async def test_an_oauth_state_is_consumed_once(store: Store) -> None:
    await store.issue_oauth_state("s1", ttl=600)
    assert await store.consume_oauth_state("s1")
    assert not await store.consume_oauth_state("s1")
    assert not await store.consume_oauth_state("never-issued")


async def test_an_oauth_state_consumed_twice_at_once_passes_once(open_driver: Opener) -> None:
    one, two = await open_driver(), await open_driver()
    await one.issue_oauth_state("s2", ttl=600)
    results = await asyncio.gather(one.consume_oauth_state("s2"), two.consume_oauth_state("s2"))
    assert sorted(results) == [False, True]


async def test_an_expired_oauth_state_is_refused(store: Store) -> None:
    await store.issue_oauth_state("old", ttl=-1)
    assert not await store.consume_oauth_state("old")


def vote(key: StoryKey, message: str, user: str, good: bool, model: str = "gpt-x") -> Vote:
    return Vote(key, message, user, "synopsis", "openai-compatible", model, good)


async def test_feedback_counts_by_command_engine_and_model(
    store: Store, key: StoryKey, story: Story
) -> None:
    assert await store.record_feedback(vote(key, "m1", "U1", True))
    assert await store.record_feedback(vote(key, "m1", "U2", False))
    assert not await store.record_feedback(vote(key, "m1", "U2", True))  # changed, not added
    assert await store.record_feedback(vote(key, "m2", "U1", False, model="gpt-y"))
    counts = await store.feedback_counts("slack", "T1")
    assert [(c.model, c.good, c.bad) for c in counts] == [("gpt-x", 2, 0), ("gpt-y", 0, 1)]
    assert counts[0].share == 1.0 and counts[0].command == "synopsis"
    assert await store.feedback_counts("slack", "T1", channels=["C9"]) == []
    assert len(await store.feedback_counts("slack", "T1", channels=[key[2]])) == 2


async def test_feedback_needs_a_story_and_goes_with_it(
    store: Store, key: StoryKey, story: Story, actor: Author
) -> None:
    with pytest.raises(NotFound):
        await store.record_feedback(vote(("slack", "T1", "C-none"), "m1", "U1", True))
    await store.record_feedback(vote(key, "m1", "U1", True))
    await store.forget_channel(key)
    assert await store.feedback_counts("slack", "T1") == []
