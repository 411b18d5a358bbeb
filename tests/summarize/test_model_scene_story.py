"""Scene and story summaries through the fake model: grounded quotes only, fallbacks said."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from generation.openai_engine import OpenAIEngine
from generation.summarize.engine import summarize_scene, summarize_story
from generation.summarize.scene import render_scene
from generation.summarize.storyline import render_story
from tests.fakes import FakeOpenAIServer, FakeReply
from tests.summarize.test_scene_story import SCENE, bible


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as s:
        yield s


@pytest.fixture
async def model(server: FakeOpenAIServer) -> AsyncIterator[OpenAIEngine]:
    async with OpenAIEngine(
        base_url=server.base_url, api_key="sk-test", max_retries=0, model="fake-model"
    ) as engine:
        yield engine


async def test_scene_summary_keeps_real_quotes_and_drops_invented_ones(
    server: FakeOpenAIServer, model: OpenAIEngine
) -> None:
    server.push(
        FakeReply.say_json(
            {
                "wants": [
                    {"speaker": "ROSA", "line": "I need the van keys back tonight."},
                    {"speaker": "Eli", "line": "I want to rule the city."},
                ],  # not in the scene
                "opening": "Rosa asks for her keys.",
                "ending": "Rosa takes the keys and leaves Eli.",
                "turn_speaker": "Eli",
                "turn_line": "Then I lied.",
            }
        )
    )
    s = await summarize_scene(SCENE, model)
    assert not s.extractive and s.engine == "fake-model"
    wants = dict(s.wants)
    assert wants["Rosa"] == "I need the van keys back tonight."
    assert "rule the city" not in render_scene(s)
    assert wants["Eli"]  # the offline finding stands in for the invented quote
    assert s.turn is not None and s.turn.text == "Then I lied." and s.turn.speaker == "Eli"
    assert any("not in the scene" in n for n in s.notes)
    assert "Scene:\nINT. LAUNDROMAT" in server.prompts()[-1]


async def test_a_turn_put_in_the_wrong_mouth_is_not_used(
    server: FakeOpenAIServer, model: OpenAIEngine
) -> None:
    server.push(
        FakeReply.say_json(
            {
                "wants": [],
                "opening": "",
                "ending": "",
                "turn_speaker": "Rosa",
                "turn_line": "Then I lied.",
            }
        )
    )
    s = await summarize_scene(SCENE, model)
    # The line is Eli's: the turn keeps the speaker the scene gives it, the note says so.
    assert s.turn is not None
    assert (s.turn.speaker, s.turn.text) == ("Eli", "Then I lied. There's one more drop.")
    assert any("not in the scene" in n for n in s.notes)


async def test_scene_falls_back_to_extractive_when_the_model_fails(
    server: FakeOpenAIServer, model: OpenAIEngine
) -> None:
    server.push(FakeReply.server_error(500))
    s = await summarize_scene(SCENE, model)
    assert s.extractive
    assert any("could not summarize" in n for n in s.notes)


async def test_story_summary_uses_the_model_but_only_this_storys_characters(
    server: FakeOpenAIServer, model: OpenAIEngine
) -> None:
    server.push(
        FakeReply.say_json(
            {
                "synopsis": ["Rosa wants out; Eli wants one more drop; Rosa drives alone."],
                "arcs": [
                    {"name": "rosa", "arc": "From getaway driver to her own boss."},
                    {"name": "Zed", "arc": "Someone from another story."},
                ],
                "undecided": ["Whether Eli knows about the tracker."],
            }
        )
    )
    b = bible(logline="A getaway driver wants out")
    s = await summarize_story(b, model)
    text = render_story(s)
    assert "From getaway driver to her own boss." in text
    assert "Zed" not in text and "fake-model" in text
    assert dict(s.arcs)["Eli"] == "From partner to obstacle."  # kept from the bible
    prompt = server.prompts()[-1]
    assert "A getaway driver wants out" in prompt and "Eli asks for one more drop" in prompt
