"""A press of a reply's button does its work once, however often Slack delivers it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.adapters import presses
from bot.adapters.presses import ALREADY_ON_IT
from tests.adapters.slack.conftest import OpenSlack, Slack, buttons, texts
from tests.adapters.slack.doubles import GatedEngine
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.test_forms_e2e import KEY, cast


async def draft(slack: Slack, fake: FakeSlack, command: str, text: str = "") -> str:
    """Run a command and return the ts of its reply's thread head."""
    await slack.command(command, text)
    await slack.idle()
    return str(fake.posts()[-1].result["ts"])


def button(fake: FakeSlack, head: str, label: str) -> dict[str, Any]:
    final = fake.updates_of(head)[-1] if fake.updates_of(head) else fake.posts()[-1]
    return next(b for b in buttons(final["blocks"]) if b["text"]["text"] == label)


def said(fake: FakeSlack, since: int, words: str) -> list[str]:
    """Messages posted after the first ``since`` that contain ``words``."""
    found = [" ".join(texts(p["blocks"])) + str(p["text"]) for p in fake.posts()[since:]]
    return [t for t in found if words in t]


def told_privately(fake: FakeSlack) -> list[str]:
    return [str(c["text"]) for c in fake.calls_to("chat.postEphemeral")]


async def test_regenerate_clicked_twice_at_once_writes_one_take(
    slack: Slack, fake: FakeSlack
) -> None:
    head = await draft(slack, fake, "synopsis")
    regenerate = button(fake, head, "Regenerate")
    before = len(fake.posts())
    await asyncio.gather(slack.click(regenerate, head), slack.click(regenerate, head))
    await slack.idle()
    assert len(fake.posts()) - before == 1
    assert told_privately(fake) == [ALREADY_ON_IT]


async def test_regenerate_pressed_again_after_its_take_writes_another(
    slack: Slack, fake: FakeSlack
) -> None:
    head = await draft(slack, fake, "synopsis")
    regenerate = button(fake, head, "Regenerate")
    before = len(fake.posts())
    for _ in range(2):
        await slack.click(regenerate, head)
        await slack.idle()
    assert len(said(fake, before, "another take")) == 2
    assert told_privately(fake) == []


async def test_two_writers_pressing_regenerate_each_get_a_take(
    slack: Slack, fake: FakeSlack
) -> None:
    head = await draft(slack, fake, "synopsis")
    regenerate = button(fake, head, "Regenerate")
    before = len(fake.posts())
    await asyncio.gather(slack.click(regenerate, head), slack.click(regenerate, head, user="U2"))
    await slack.idle()
    assert len(said(fake, before, "another take")) == 2


async def test_save_clicked_twice_on_a_dialogue_adds_one_scene(
    slack: Slack, fake: FakeSlack
) -> None:
    story_id = await cast(slack)
    head = await draft(slack, fake, "dialogue", "Mara Jonah the airlock")
    save = button(fake, head, "Save to bible")
    await asyncio.gather(slack.click(save, head), slack.click(save, head))
    await slack.idle()
    assert len(await slack.app.store.scenes(story_id)) == 1


async def test_save_pressed_again_later_on_the_same_take_adds_no_second_scene(
    slack: Slack, fake: FakeSlack
) -> None:
    story_id = await cast(slack)
    head = await draft(slack, fake, "dialogue", "Mara Jonah the airlock")
    save = button(fake, head, "Save to bible")
    for _ in range(2):
        await slack.click(save, head)
        await slack.idle()
    [scene] = await slack.app.store.scenes(story_id)
    assert said(fake, 0, f"already in the bible: *{scene.title}*")


async def test_save_clicked_twice_on_a_synopsis_saves_once(slack: Slack, fake: FakeSlack) -> None:
    head = await draft(slack, fake, "synopsis")
    save = button(fake, head, "Save to bible")
    before = len(fake.posts())
    await asyncio.gather(slack.click(save, head), slack.click(save, head))
    await slack.idle()
    story = await slack.app.store.active_story(KEY)
    assert story is not None
    saves = [r for r in await slack.app.store.history(story.id, limit=50) if "saved" in r.summary]
    assert len(saves) == 1
    assert len(said(fake, before, "Saved as the story's synopsis")) == 1


async def test_a_press_held_on_one_process_is_dropped_on_another(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    engine = GatedEngine()
    engine.gate.set()
    async with open_slack(engine=engine) as one, open_slack(engine=engine) as two:
        head = await draft(one, fake, "synopsis")
        regenerate = button(fake, head, "Regenerate")
        engine.gate.clear()
        engine.started.clear()
        before = len(fake.posts())
        try:
            await one.click(regenerate, head)
            await asyncio.wait_for(engine.started.wait(), 10)  # the first take is being written
            await two.click(regenerate, head)
            await fake.wait_for(lambda: told_privately(fake) or two.app.jobs.running())
        finally:
            engine.gate.set()
        await one.idle()
        await two.idle()
        assert told_privately(fake) == [ALREADY_ON_IT]
        assert len(said(fake, before, "another take")) == 1

        await two.click(regenerate, head)  # the first take is done: the button works again
        await two.idle()
        assert len(said(fake, before, "another take")) == 2


async def test_a_press_whose_job_outlasts_the_lease_keeps_its_button(
    open_slack: OpenSlack, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job can run longer than a lease (a long draft on a slow model): the lease is kept
    while it runs, so a second press meanwhile is still dropped; afterwards it works."""
    monkeypatch.setattr(presses, "HOLD", 0.3)
    engine = GatedEngine()
    engine.gate.set()
    async with open_slack(engine=engine) as slack:
        head = await draft(slack, fake, "synopsis")
        regenerate = button(fake, head, "Regenerate")
        engine.gate.clear()
        engine.started.clear()
        before = len(fake.posts())
        try:
            await slack.click(regenerate, head)
            await asyncio.wait_for(engine.started.wait(), 10)
            await asyncio.sleep(1.0)  # more than three leases
            await slack.click(regenerate, head)
            await fake.wait_for(lambda: told_privately(fake))
        finally:
            engine.gate.set()
        await slack.idle()
        assert told_privately(fake) == [ALREADY_ON_IT]
        assert len(said(fake, before, "another take")) == 1
        await slack.click(regenerate, head)
        await slack.idle()
        assert len(said(fake, before, "another take")) == 2
