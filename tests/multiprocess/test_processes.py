"""Two and three full bot processes on one PostgreSQL: one story, one answer per event,
no lost job when one dies, no job touched while its owner lives, cancel from anywhere.

Each bot is a real ``python -m bot slack --http`` child process (tests/multiprocess/
bots.py) with its own pool and lease, talked to with signed HTTP requests as Slack
would; Slack's Web API and the model are local fakes in this test process."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.types import Author
from storage import open_store
from storage.api import Store
from tests.adapters.slack.conftest import buttons, texts
from tests.adapters.slack.fake_slack import BOT_USER, TEAM, Call, FakeSlack
from tests.fakes import FakeOpenAIServer, FakeReply
from tests.multiprocess.bots import BotProcess, bots

pytestmark = pytest.mark.timeout(120)
KEY = ("slack", TEAM, "C1")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        slack.add_user("U1", "Dana")
        slack.add_user("U2", "Sam", admin=True)
        yield slack


@pytest.fixture
async def store(pg_url: str) -> AsyncIterator[Store]:
    opened = await open_store(pg_url)
    yield opened
    await opened.close()


def said(fake: FakeSlack) -> list[str]:
    """Everything the bot posted or edited to, as text."""
    out: list[str] = []
    for call in fake.calls_to("chat.postMessage", "chat.update", "chat.postEphemeral"):
        out.append(" ".join(texts(call.get("blocks") or [])) or str(call.get("text") or ""))
    return out


def posts_saying(fake: FakeSlack, words: str) -> list[Call]:
    return [p for p in fake.posts() if words in " ".join(texts(p.get("blocks") or []))]


def edits_saying(fake: FakeSlack, words: str) -> list[Call]:
    return [
        c for c in fake.calls_to("chat.update") if words in " ".join(texts(c.get("blocks") or []))
    ]


async def until(check: object, within: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if callable(check) and (await check() if asyncio.iscoroutinefunction(check) else check()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or check}")


async def test_a_character_made_through_one_process_is_read_through_another(
    pg_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    async with bots(2, pg_url, fake, tmp_path) as (one, two):
        assert (await one.slack.command("character", "new Mara Quell role:pilot")).status == 200
        await until(lambda: posts_saying(fake, "Mara Quell"), what="the sheet")
        assert (await two.slack.command("character", "show Mara")).status == 200
        await until(lambda: len(posts_saying(fake, "Mara Quell")) >= 2, what="the read")
        shown = posts_saying(fake, "Mara Quell")[-1]
        assert "pilot" in " ".join(texts(shown["blocks"]))


async def test_the_same_slack_event_delivered_to_two_processes_is_answered_once(
    pg_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    async with bots(2, pg_url, fake, tmp_path) as (one, two):
        event = {
            "type": "app_mention",
            "channel": "C1",
            "user": "U1",
            "text": f"<@{BOT_USER}> /story show",
            "ts": fake.next_ts(),
            "team": TEAM,
        }
        sent = await asyncio.gather(
            one.slack.event(event, event_id="EvSame1"),
            two.slack.event(event, event_id="EvSame1", retry=1),
            one.slack.event(event, event_id="EvSame1", retry=2),
        )
        assert [s.status for s in sent] == [200, 200, 200]
        await until(lambda: posts_saying(fake, "Untitled"), what="the answer")
        await asyncio.sleep(1.5)  # time for a second answer, if one were coming
        assert len(posts_saying(fake, "Untitled")) == 1


async def test_a_killed_process_has_its_job_reported_once_by_a_survivor(
    pg_url: str, fake: FakeSlack, tmp_path: Path, store: Store
) -> None:
    async with (
        FakeOpenAIServer(FakeReply.say("never finished", delay=60)) as model,
        bots(3, pg_url, fake, tmp_path, model_url=model.base_url, lease=2) as procs,
    ):
        victim, *survivors = procs
        await victim.slack.command("synopsis", "short")
        await until(lambda: model.requests, what="the model call")
        [running] = await store.jobs(["running"])
        assert running.owner is not None
        killed_at = time.monotonic()
        victim.kill()
        await until(lambda: edits_saying(fake, "interrupted /synopsis"), within=15)
        taken = time.monotonic() - killed_at
        await asyncio.sleep(3)  # two more sweeps of each survivor: nothing twice
        # The draft the victim had posted becomes the note: one message, edited once.
        [note] = edits_saying(fake, "interrupted /synopsis")
        [draft] = [p for p in fake.posts() if p.result.get("ts") == note["ts"]]
        assert "Writing" in " ".join(texts(draft["blocks"]))
        assert not posts_saying(fake, "interrupted")
        assert any(b["text"]["text"] == "Retry" for b in buttons(note["blocks"]))
        assert taken < 2 * 2 + 1  # within about twice the lease
        record = await store.job(running.id)
        assert record is not None and record.state == "interrupted"
        assert record.owner in {await _owner_of(s, store) for s in survivors}


async def _owner_of(bot: BotProcess, store: Store) -> str:
    """The lease id of a bot process, read from the processes table by pid."""
    assert bot.proc is not None
    for process in await store.processes():
        if process.pid == bot.proc.pid:
            return process.id
    return ""


async def test_a_process_starting_does_not_touch_a_live_processs_job(
    pg_url: str, fake: FakeSlack, tmp_path: Path, store: Store
) -> None:
    async with (
        FakeOpenAIServer(FakeReply.say("The finished synopsis.", delay=4)) as model,
        bots(1, pg_url, fake, tmp_path, model_url=model.base_url, lease=2) as [one],
    ):
        await one.slack.command("synopsis", "short")
        await until(lambda: model.requests, what="the model call")
        late = BotProcess("late", pg_url, fake, tmp_path, model_url=model.base_url, lease=2)
        await late.start()
        try:
            await until(lambda: any("The finished synopsis." in t for t in said(fake)))
            await asyncio.sleep(1.5)
            assert not posts_saying(fake, "interrupted")
            [done] = await store.jobs(["done"])
            assert done.owner == await _owner_of(one, store)
        finally:
            await late.stop()


async def test_cancel_pressed_on_a_process_that_does_not_own_the_job_cancels_it(
    pg_url: str, fake: FakeSlack, tmp_path: Path, store: Store
) -> None:
    async with (
        FakeOpenAIServer(FakeReply.say("never finished", delay=60)) as model,
        bots(2, pg_url, fake, tmp_path, model_url=model.base_url) as (owner, other),
    ):
        await owner.slack.command("synopsis", "short")
        await until(lambda: model.requests, what="the model call")
        await until(lambda: _cancel_button(fake) is not None, what="the Cancel button")
        button, ts = _cancel_button(fake)  # type: ignore[misc]
        assert (await other.slack.click(button, ts)).status == 200

        async def cancelled() -> bool:
            return bool(await store.jobs(["cancelled"]))

        await until(cancelled, within=10, what="the job cancelled")
        await until(lambda: any(t.strip() == "Cancelled." for t in said(fake)), within=10)


def _cancel_button(fake: FakeSlack) -> tuple[dict[str, object], str] | None:
    for call in fake.posts():
        for button in buttons(call.get("blocks") or []):
            if button["text"]["text"] == "Cancel":
                return button, str(call.result["ts"])
    return None


async def test_fifty_concurrent_edits_over_three_processes_lose_nothing(
    pg_url: str, fake: FakeSlack, tmp_path: Path, store: Store
) -> None:
    async with bots(3, pg_url, fake, tmp_path) as procs:
        sent = await asyncio.gather(
            *(
                procs[i % 3].slack.command("character", f"new Crew{i:02d} role:crew", user="U1")
                for i in range(50)
            )
        )
        assert all(s.status == 200 for s in sent)

        async def all_saved() -> bool:
            story = await store.active_story(KEY)
            return story is not None and len(await store.characters(story.id)) == 50

        await until(all_saved, within=30, what="fifty characters")
        story = await store.active_story(KEY)
        assert story is not None
        history = await store.history(story.id, limit=200)
        added = [r for r in history if r.summary.startswith("added character")]
        assert len(added) == 50 and len({r.entity_id for r in added}) == 50
        newest = max(added, key=lambda r: r.id)
        await procs[1].slack.command("story", "undo", user="U1")

        async def undone() -> bool:
            return len(await store.characters(story.id)) == 49

        await until(undone, what="the undo")
        names = {c.name for c in await store.characters(story.id)}
        assert json.loads(json.dumps(newest.after))["name"] not in names
        assert await store.undo(story.id, Author("U1", "Dana")) is not None  # still a stack
