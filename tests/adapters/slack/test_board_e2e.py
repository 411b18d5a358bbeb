"""The beat board and /draft over Slack's real HTTP path: the board reads as a list per act,
each change shows it again, undo restores it; a draft's scenes go to its thread."""

from __future__ import annotations

import re

from tests.adapters.slack.conftest import Slack, texts
from tests.adapters.slack.fake_slack import FakeSlack


def last_text(fake: FakeSlack) -> str:
    post = fake.posts()[-1]
    return "\n".join(texts(post["blocks"]))


async def say(slack: Slack, fake: FakeSlack, name: str, text: str) -> str:
    await slack.command(name, text)
    await slack.idle()
    return last_text(fake)


async def test_the_board_is_a_list_per_act_through_every_change_and_undo(
    slack: Slack, fake: FakeSlack
) -> None:
    await say(slack, fake, "outline", "add 1 Isla finds the logbook")
    await say(slack, fake, "outline", "add 1 Callum lies about the wreck")
    start = await say(slack, fake, "outline", "add 2 Morag tells Isla what the village saw")
    assert "*Act 1*\n1. Isla finds the logbook\n2. Callum lies about the wreck" in start
    assert "*Act 2*\n3. Morag tells Isla what the village saw" in start

    edited = await say(slack, fake, "outline", "edit 1 Isla finds the logbook, soaked")
    assert "1. Isla finds the logbook, soaked" in edited
    moved = await say(slack, fake, "outline", "move 1 act:2")
    assert "*Act 1*\n1. Callum lies about the wreck\n\n*Act 2*" in moved
    assert "3. Isla finds the logbook, soaked" in moved
    removed = await say(slack, fake, "outline", "remove 2")
    assert "Removed beat 2" in removed and "Morag" not in removed.split("back.", 1)[1]

    for _ in range(3):
        await say(slack, fake, "story", "undo")
    shown = await say(slack, fake, "outline", "show")
    board = shown.split("\n", 1)[1] if shown.startswith("*Board") else shown
    assert re.findall(r"^\d\. .*$", board, re.M) == [
        "1. Isla finds the logbook",
        "2. Callum lies about the wreck",
        "3. Morag tells Isla what the village saw",
    ]


async def test_a_draft_posts_each_scene_in_its_thread_and_says_how_it_went(
    slack: Slack, fake: FakeSlack
) -> None:
    await say(slack, fake, "outline", "add 1 Isla finds the logbook")
    await say(slack, fake, "outline", "add 2 Callum puts out the lamp")
    await say(slack, fake, "location", "new Lamp Room")
    await say(slack, fake, "location", "edit Lamp Room beats 2")
    before = len(fake.posts())
    await slack.command("draft")
    await slack.idle()
    posts = fake.posts()[before:]
    head, scenes = posts[0], posts[1:]
    assert head.get("thread_ts") is None
    assert len(scenes) == 2 and all(p["thread_ts"] == head.result["ts"] for p in scenes)
    second = "\n".join(texts(scenes[1]["blocks"]))
    assert "Scene 2 · Callum puts out the lamp" in second and "LAMP ROOM" in second
    final = fake.updates_of(head.result["ts"])[-1]
    assert "Wrote 2 scenes from the board" in " ".join(texts(final["blocks"]))
