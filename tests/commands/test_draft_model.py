"""/draft on a real OpenAI-compatible engine against the local fake model server: what each
scene's prompt carries (its beat, its place, only its characters, a recap of the scene
before, nothing of another channel), and a cancel that keeps what was written."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from bot.adapters.terminal import CAPABILITIES, TerminalResponder
from bot.app import App
from core.models import Character, Location, Scene, StoryKey
from core.types import Author, Place
from tests.bot.helpers import Session
from tests.fakes import FakeOpenAIServer, FakeReply

pytestmark = pytest.mark.timeout(60)

AppFactory = Callable[..., AbstractAsyncContextManager[App]]
ROOM: StoryKey = ("terminal", "local", "general")
OTHER: StoryKey = ("terminal", "local", "elsewhere")
DANA = Author("terminal:dana", "dana", manager=True)
BEATS = (
    (1, "Isla finds the logbook in the lamp room"),
    (1, "Callum lies to Isla about the wreck"),
    (2, "Morag tells Isla what the village saw"),
    (2, "Ewan mends a net"),
)


def scene_reply(body: Mapping[str, Any]) -> FakeReply:
    """A short scene whose last line names the beat it was asked for."""
    prompt = body["messages"][-1]["content"]
    number = re.search(r"Write scene (\d+) of", prompt)
    n = number.group(1) if number else "?"
    return FakeReply.say(
        f"INT. SOMEWHERE - NIGHT\n\nA door bangs.\n\nISLA\nThe end of scene {n}, truly."
    )


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer(default=scene_reply) as fake:
        yield fake


@pytest.fixture
async def model_app(make_app: AppFactory, server: FakeOpenAIServer) -> AsyncIterator[App]:
    async with make_app(
        openai_base_url=server.base_url,
        openai_api_key="sk-test-key-123456",
        openai_model="fake-model",
        openai_timeout=5.0,
    ) as app:
        yield app


async def board_room(app: App) -> None:
    """The room's story, written straight to the bible (no model calls), and another
    channel's with a secret character and a secret place."""
    story = await app.store.ensure_story(ROOM, DANA)
    for name, pronouns, want in (
        ("Isla Brodie", "she/her", "To learn what her father hid"),
        ("Callum Brodie", "he/him", "To keep the lamp lit whatever it costs"),
        ("Morag Finlay", "she/her", "To be believed at last"),
        ("Ewan Reid", "he/him", "To leave the island"),
    ):
        await app.store.add_character(story.id, Character(name, pronouns=pronouns, want=want), DANA)
    for act, text in BEATS:
        await app.store.add_beat(story.id, act, text, DANA)
    lamp = await app.store.add_location(
        story.id, Location("Lamp Room", description="The glass room.", look="Brass."), DANA
    )
    await app.store.add_location(story.id, Location("Harbour Wall"), DANA)
    await app.store.set_location_beats(story.id, "Harbour Wall", [3], DANA)
    assert lamp.id
    other = await app.store.ensure_story(OTHER, DANA)
    await app.store.add_character(
        other.id, Character("Zed Secretworth", want="To rule the vineyard"), DANA
    )
    await app.store.add_location(other.id, Location("Hidden Cellar"), DANA)


def scene_prompts(server: FakeOpenAIServer) -> list[str]:
    return [p for p in server.prompts() if "Write scene" in p]


async def test_each_scene_prompt_carries_its_beat_place_characters_and_a_recap(
    model_app: App, server: FakeOpenAIServer
) -> None:
    await board_room(model_app)
    out = await Session(model_app).say("/draft")
    assert "Wrote 4 scenes from the board (beats 1-4)." in out
    assert "Written by fake-model" in out

    prompts = scene_prompts(server)
    assert len(prompts) == 4
    for n, ((_, beat), prompt) in enumerate(zip(BEATS, prompts, strict=True), 1):
        assert f"Write scene {n} of 4" in prompt and f"Beat: {beat}" in prompt
        assert "Zed Secretworth" not in prompt and "Hidden Cellar" not in prompt
        assert "vineyard" not in prompt
        if n > 1:
            assert "## The scene before" in prompt
            assert f"The end of scene {n - 1}, truly." in prompt  # the recap's last line
            assert BEATS[n - 2][1] in prompt  # and its beat
        else:
            assert "## The scene before" not in prompt
    first, second, third, fourth = prompts
    assert "The scene happens at Lamp Room: The glass room. Looks: Brass." in first
    assert "INT. or EXT. LAMP ROOM" in first  # a beat naming a location is set there
    assert "INT. or EXT. HARBOUR WALL" in third
    assert "INT. or EXT. PLACE" in second and "The scene happens at" not in second
    # only the characters each beat names, with their sheets
    assert "Name: Isla Brodie" in first and "Name: Callum Brodie" not in first
    assert "Name: Callum Brodie" in second and "Name: Isla Brodie" in second
    assert "Name: Morag Finlay" not in second
    assert "Name: Morag Finlay" in third and "Name: Ewan Reid" not in third
    assert "Name: Ewan Reid" in fourth and "Name: Isla Brodie" not in fourth
    assert "To keep the lamp lit" in second and "To keep the lamp lit" not in third
    # flat: no prompt carries the scenes or the board
    assert "Morag tells Isla" not in first and "Isla finds the logbook" not in fourth


async def test_prompt_tokens_per_scene_do_not_grow_with_the_draft(
    model_app: App, server: FakeOpenAIServer
) -> None:
    story = await model_app.store.ensure_story(ROOM, DANA)
    await model_app.store.add_character(story.id, Character("Isla Brodie"), DANA)
    for i in range(10):
        await model_app.store.add_beat(
            story.id, 1 + i // 4, f"Isla walks the shore, take {i}", DANA
        )
    await Session(model_app).say("/draft")
    sizes = [len(p) for p in scene_prompts(server)]
    assert len(sizes) == 10
    middle = sizes[1:-1]  # the first has no scene before, the last no beat after
    assert max(middle) - min(middle) < 40  # the recap is bounded; nothing accumulates
    assert max(sizes) == max(middle)


async def test_a_cancelled_draft_keeps_the_scenes_already_written(
    make_app: AppFactory,
) -> None:
    async with (
        FakeOpenAIServer(default=scene_reply, delay=0.3) as slow,
        make_app(
            openai_base_url=slow.base_url,
            openai_api_key="sk-test-key-123456",
            openai_model="fake-model",
            openai_timeout=5.0,
        ) as app,
    ):
        await board_room(app)
        out = io.StringIO()
        place = Place(*ROOM)
        responder = TerminalResponder(out, place)
        job = await app.dispatcher.handle_text("/draft", place, DANA, responder, CAPABILITIES)
        assert job is not None
        story = await app.store.active_story(ROOM)
        assert story is not None
        for _ in range(200):
            if len(await app.store.scenes(story.id)) >= 2:
                break
            await asyncio.sleep(0.02)
        assert await app.dispatcher.jobs.cancel(job.id)
        kept = await app.store.scenes(story.id)
        assert 2 <= len(kept) < 4
        printed = out.getvalue()
        assert f"Cancelled after {len(kept)} scenes of 4" in printed
        assert len(re.findall(r"^== Scene \d ", printed, re.M)) == len(kept)
        record = await app.store.job(job.id)
        assert record is not None and record.state == "cancelled"


async def test_the_scene_after_one_the_room_kept_sees_the_rooms_scene(
    model_app: App, server: FakeOpenAIServer
) -> None:
    await board_room(model_app)
    story = await model_app.store.active_story(ROOM)
    assert story is not None
    second = (await model_app.store.beats(story.id))[1]
    room = Scene(
        "kept", "INT. COTTAGE - DAY\n\nCALLUM\nThe room wrote this line.", beat_id=second.id
    )
    await model_app.store.add_scene(story.id, room, DANA)

    out = await Session(model_app).say("/draft")
    assert "Kept the room's own scene for beat 2" in out
    prompts = scene_prompts(server)
    assert [re.search(r"Write scene (\d)", p).group(1) for p in prompts] == ["1", "3", "4"]  # type: ignore[union-attr]
    assert "The room wrote this line." in prompts[1]


class HeldAtScene(TerminalResponder):
    """A terminal whose post of scene ``at`` waits until ``go`` is set: the job is then
    between saving that scene and showing it."""

    def __init__(self, out: io.StringIO, place: Place, at: int) -> None:
        super().__init__(out, place)
        self.at = f"Scene {at} ·"
        self.reached = asyncio.Event()
        self.go = asyncio.Event()

    async def post(self, reply: Any) -> Any:
        if (reply.title or "").startswith(self.at):
            self.reached.set()
            await self.go.wait()
        return await super().post(reply)


async def test_a_cancel_between_saving_a_scene_and_showing_it_counts_and_shows_it(
    app: App,
) -> None:
    """The scene saved when the cancel came is shown and counted: "Cancelled after 2
    scenes" with both in the thread (it said 1 and left the second out, though saved)."""
    await board_room(app)
    out = io.StringIO()
    responder = HeldAtScene(out, Place(*ROOM), at=2)
    job = await app.dispatcher.handle_text("/draft", Place(*ROOM), DANA, responder, CAPABILITIES)
    assert job is not None
    await asyncio.wait_for(responder.reached.wait(), 10)
    cancelling = asyncio.create_task(app.dispatcher.jobs.cancel(job.id))
    await asyncio.sleep(0.05)  # the cancel has reached the job, held in its post
    responder.go.set()
    assert await cancelling
    story = await app.store.active_story(ROOM)
    assert story is not None
    assert len(await app.store.scenes(story.id)) == 2
    printed = out.getvalue()
    assert "Cancelled after 2 scenes of 4 (beats 1-2)." in printed
    assert len(re.findall(r"^== Scene \d ", printed, re.M)) == 2
