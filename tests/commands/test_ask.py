"""/ask: questions about the story answered from this channel's bible, with quotes; what
the bible lacks said plainly; a model's answer shown only when its quotes are real."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from bot.app import App, open_app
from bot.engines import make_openai_engine
from bot.settings import Settings
from core.types import Author
from tests.bot.helpers import Session
from tests.fakes import FakeOpenAIServer, FakeReply

pytestmark = pytest.mark.timeout(30)


async def _story(s: Session) -> None:
    await s.say("/story set logline A salvage pilot must pay off her debt before the storm")
    await s.say("/character new Mara Quell role:lead pronouns:she/her a salvage pilot")
    await s.say("/character edit Mara flaw refuses to see what is in front of her")
    await s.say("/character new Jonah Vale role:antagonist the harbour master")
    await s.say("/character edit Jonah backstory keeps the tape of the night the ferry sank")
    await s.say("/outline add 1 Mara takes the salvage job")
    await s.say("/outline add 2 Jonah calls in the debt")
    await s.say("/outline add 2 The storm closes the harbour")


async def test_a_sheet_field_is_answered_with_that_fields_text(app: App) -> None:
    s = Session(app, channel="writers")
    await _story(s)
    said = await s.say("/ask what's Mara's flaw again?")
    assert "Mara Quell's flaw" in said and "refuses to see what is in front of her" in said


async def test_a_question_is_answered_from_where_the_bible_says_it(app: App) -> None:
    s = Session(app, channel="writers")
    await _story(s)
    tape = await s.say("/ask who knows about the tape?")
    assert "keeps the tape of the night the ferry sank" in tape and "Jonah Vale's backstory" in tape
    act = await s.say("/ask where does act two end?")
    assert "The storm closes the harbour" in act and "Jonah calls in the debt" not in act
    logline = await s.say("/ask what is the logline?")
    assert "pay off her debt" in logline


async def test_counts_and_numbered_beats_are_answered_from_the_board_and_the_cast(
    app: App,
) -> None:
    s = Session(app, channel="writers")
    await _story(s)
    beats = await s.say("/ask how many beats are there?")
    assert "3 beats in 2 acts" in beats and "2 beats" in beats and "act 2" in beats
    cast = await s.say("/ask how many characters do we have?")
    assert "2 characters" in cast and "Mara Quell" in cast and "Jonah Vale" in cast
    third = await s.say("/ask what happens in beat 3?")
    assert "The storm closes the harbour" in third and "beat 3, act 2" in third
    assert "Jonah calls in the debt" not in third
    none = await s.say("/ask what happens in beat 9?")
    assert "The board has 3 beats; no beat 9." in none
    places = await s.say("/ask how many locations are there?")
    assert "no locations yet" in places and "/location new" in places


async def test_who_is_in_a_scene_is_answered_from_its_cues(app: App) -> None:
    s = Session(app, channel="writers")
    await _story(s)
    await s.say(
        "/story note INT. HARBOUR - NIGHT\n\nMARA\nYou kept the tape.\n\nJONAH\nI kept everything."
    )
    said = await s.say("who is in scene 1?")  # in plain words: the cast list it used to be
    assert "Who speaks in scene 1" in said and "Mara, Jonah" in said
    assert "/character list" not in said
    none = await s.say("/ask who is in scene 4?")
    assert "The script has 1 scene; no scene 4." in none


async def test_what_the_bible_lacks_is_said_with_the_command_that_records_it(app: App) -> None:
    s = Session(app, channel="writers")
    await _story(s)
    story = await app.store.active_story(("terminal", "local", "writers"))
    assert story is not None
    await app.store.update_character(
        story.id, "Jonah", lambda c: dataclasses.replace(c, need=""), Author("dana", "dana"), "x"
    )
    said = await s.say("/ask what's Jonah's need?")
    assert "has no need yet" in said and "/character edit Jonah Vale need" in said
    nothing = await s.say("/ask who owns the lighthouse?")
    assert "doesn't say" in nothing


async def test_another_channels_story_never_answers_here(app: App) -> None:
    other = Session(app, channel="elsewhere")
    await other.say("/character new Ines role:lead")
    await other.say("/character edit Ines backstory hid the lighthouse key")
    here = Session(app, channel="writers")
    await _story(here)
    said = await here.say("/ask who hid the lighthouse key?")
    assert "lighthouse key" not in said and "doesn't say" in said


@pytest.fixture
async def model() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as server:
        yield server


async def test_a_models_answer_is_shown_only_when_its_quotes_are_in_the_bible(
    settings: Settings, model: FakeOpenAIServer
) -> None:
    on_model = dataclasses.replace(settings, openai_base_url=model.base_url)
    async with open_app(on_model, engine=make_openai_engine(on_model)) as app:
        s = Session(app, channel="writers")
        for line in ("/character new Jonah Vale role:antagonist the harbour master",):
            model.push(FakeReply.say_json({"name": "Jonah Vale"}))
            await s.say(line)
        model.queue.clear()
        story = await app.store.active_story(("terminal", "local", "writers"))
        assert story is not None
        await app.store.update_character(
            story.id,
            "Jonah",
            lambda c: dataclasses.replace(
                c, backstory="keeps the tape of the night the ferry sank"
            ),
            Author("dana", "dana"),
            "edited backstory",
        )
        model.push(FakeReply.say('Jonah does: he "keeps the tape of the night the ferry sank".'))
        real = await s.say("/ask who knows about the tape?")
        assert 'Jonah does: he "keeps the tape' in real
        prompt = model.prompts()[-1]
        assert "keeps the tape of the night the ferry sank" in prompt
        model.push(FakeReply.say('Mara does: she "burned the tape in act one".'))
        invented = await s.say("/ask who knows about the tape?")
        assert "burned the tape" not in invented
        assert "keeps the tape of the night the ferry sank" in invented  # the bible's own
