"""Persistent buttons: pressed on a message sent by an earlier process, they still work."""

from __future__ import annotations

from typing import Any

from bot.app import open_app
from bot.settings import Settings
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import GENERAL, OTHER, Harness, running
from tests.adapters.discord.payloads import GUILD, user


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for row in message["components"] for b in row["components"]}


def _heads(fake: FakeDiscord) -> list[dict[str, Any]]:
    """The interaction's original responses in #writers-room."""
    return [m for m in fake.in_channel(int(GENERAL["id"])) if m.get("webhook_id")]


def _head(fake: FakeDiscord) -> dict[str, Any]:
    """The draft's message in #writers-room (the interaction's original response)."""
    [head] = _heads(fake)
    return head


async def test_buttons_work_after_a_restart(settings: Settings) -> None:
    fake = FakeDiscord()
    async with open_app(settings) as app, running(app, fake) as bot:
        await bot.command("synopsis", length="short")
    head = _head(fake)
    buttons = _buttons(head)
    assert set(buttons) == {"Regenerate", "Continue", "Save to bible", "👍 Good", "👎 Not good"}

    async with open_app(settings) as app, running(app, fake) as bot:  # a new process
        await bot.press(head, buttons["Regenerate"])
        in_thread = fake.in_channel(int(head["id"]))  # the thread started from the head
        assert [e["title"] for e in in_thread[-1]["embeds"]] == ["Synopsis · another take"]
        assert _buttons(in_thread[-1])  # the new take has buttons of its own

        press = await bot.press(head, buttons["Save to bible"], who=user("Bob"))
        story = await app.store.active_story(("discord", str(GUILD), GENERAL["id"]))
        assert story is not None and story.synopsis
        [ack] = [c for c in bot.calls_for(press) if c.path.endswith("/callback")]
        assert ack.payload == {"type": 6}  # deferred update: no "thinking…" message
        assert "Saved as the story's synopsis" in fake.in_channel(int(head["id"]))[-1]["content"]


async def test_a_button_cannot_reach_a_draft_of_another_channel(discord_bot: Harness) -> None:
    await discord_bot.command("synopsis")
    head = _head(discord_bot.fake)
    forged = dict(head, channel_id=OTHER["id"])  # the same button, shown in another channel
    press = await discord_bot.press(forged, _buttons(head)["Save to bible"])
    replies = [c.payload for c in discord_bot.calls_for(press) if c.sends_message]
    assert replies and "no longer exists in this channel" in str(replies[-1])
    assert replies[-1]["flags"] & 64  # only the presser sees it


async def test_a_running_draft_has_a_cancel_button_that_stops_it(discord_bot: Harness) -> None:
    slow = discord_bot.app.resources.engine
    gate = _Gate()
    discord_bot.app.resources.engine = gate
    try:
        payload = discord_bot.interaction(2, discord_bot.command_data("synopsis", None, {}))
        discord_bot.fake.activate()
        discord_bot.state.parse_interaction_create(payload)  # type: ignore[arg-type]
        await gate.started.wait()  # the model is asked before the placeholder is posted
        await discord_bot.fake.wait_for(
            lambda _: any(_buttons(m) for m in _heads(discord_bot.fake))
        )
        head = _head(discord_bot.fake)
        buttons = _buttons(head)
        assert list(buttons) == ["Cancel"]
        await discord_bot.press(head, buttons["Cancel"])
    finally:
        discord_bot.app.resources.engine = slow
    head = discord_bot.fake.messages[int(head["id"])]
    assert head["embeds"][0]["footer"]["text"] == "Cancelled."
    assert not head["components"]  # no buttons left on a stopped draft


class _Gate:
    """An engine that starts writing and never finishes (until cancelled)."""

    name = "gate"

    def __init__(self) -> None:
        import asyncio

        self.started = asyncio.Event()

    async def write(self, task: Any, on_text: Any = None) -> Any:
        import asyncio

        self.started.set()
        await asyncio.Event().wait()


async def test_a_restart_reports_cut_off_jobs_in_their_thread_with_retry(
    settings: Settings,
) -> None:
    import time

    from bot.recovery import encode
    from commands.writing import SynopsisArgs
    from core.models import JobRecord
    from core.types import Author, Capabilities, Invocation, Place

    fake = FakeDiscord()
    async with open_app(settings) as app, running(app, fake) as bot:
        await bot.command("synopsis", length="short")
        head = _head(fake)
        place = Place("discord", str(GUILD), GENERAL["id"], head["id"])
        for job_id, where in (("d1", place), ("s1", Place("slack", "T1", "C1", None))):
            inv = Invocation(
                "synopsis",
                None,
                SynopsisArgs(),
                "/synopsis",
                where,
                Author("1", "Ann"),
                Capabilities(),
            )
            await app.store.save_job(
                JobRecord(
                    job_id,
                    "text",
                    "synopsis",
                    (*where.story_key, where.thread),
                    "1",
                    "running",
                    time.time(),
                    payload=encode(inv),
                )
            )
    async with open_app(settings) as app, running(app, fake) as bot:  # the next start
        before = len(fake.sent())
        await bot.client.resume_jobs()
        sent = [c for c in fake.sent()[before:] if c.sends_message]
        assert len(sent) == 1  # the Slack job is not Discord's to report
        note = fake.in_channel(int(head["id"]))[-1]
        assert "interrupted" in str(note)
        assert "Retry" in _buttons(note)
        assert sent[0].payload["allowed_mentions"]["parse"] == []
        await bot.press(note, _buttons(note)["Retry"])
        await fake.wait_for(lambda calls: any("Synopsis" in str(c.payload) for c in calls[before:]))
