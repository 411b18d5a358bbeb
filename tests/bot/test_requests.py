"""Plain-language requests through the dispatcher: offline in the terminal, and with a model
choosing among the registry's tools (the fake server answers with tool calls, as a model
does); the model's choice is checked like a typed command."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from bot.app import App, open_app
from bot.engines import make_openai_engine
from bot.responders import SaysUnderstood
from bot.settings import Settings
from core.types import ACTION, ActionArgs, Author, Capabilities, Invocation, Place, Reply
from tests.bot.helpers import Session
from tests.bot.test_dispatch import Recorder
from tests.fakes import FakeOpenAIServer, FakeReply

pytestmark = pytest.mark.timeout(30)


async def test_a_sentence_runs_the_command_it_asks_for_and_says_so(app: App) -> None:
    s = Session(app, channel="writers")
    said = await s.say("write a two-line synopsis of a heist on Mars")
    assert "== Synopsis" in said and "Understood as /synopsis short a heist on Mars" in said
    await s.say("/character new Mara Quell role:lead a salvage pilot")
    sheet = await s.say("tell me about Mara")
    assert "== Mara Quell ==" in sheet and 'Understood as /character show "Mara Quell"' in sheet
    assert "Understood as /ask what's Mara's flaw?" in await s.say("what's Mara's flaw?")
    assert "Genre is now: noir" in await s.say("set the genre to noir")


async def test_in_a_drafts_thread_a_new_piece_of_another_kind_is_a_request(app: App) -> None:
    s = Session(app, channel="writers")
    await s.say("/character new Mara Quell role:lead a salvage pilot")  # now in its thread
    said = await s.say("write a short synopsis of a heist")
    assert "== Synopsis" in said and "Understood as /synopsis short a heist" in said
    revised = await s.say("shorter")  # the synopsis's thread now: its own words revise it
    assert "== Synopsis · revised ==" in revised and "Understood as" not in revised
    again = await s.say("write a synopsis")  # the same kind: a revision, not a new thread
    assert "Understood as" not in again


async def test_small_talk_and_forgetting_get_a_sentence_and_change_nothing(app: App) -> None:
    s = Session(app, channel="writers")
    await s.say("/story set logline Keep me")
    assert "/help" in await s.say("hello")
    said = await s.say("please delete the story")
    assert "never done from a sentence" in said
    story = await app.store.active_story(("terminal", "local", "writers"))
    assert story is not None and story.logline == "Keep me"


async def test_an_unclear_request_asks_back_and_a_button_runs_the_pick(app: App) -> None:
    place = Place("slack", "T1", "C1")
    rec = Recorder()
    buttons = Capabilities(buttons=True, edit_messages=True, make_threads=True)
    author = Author("u1", "Dana")
    await app.dispatcher.handle_request(
        "something with the villain's backstory", place, author, rec, buttons
    )
    [asked] = rec.posts
    assert asked.title == "Did you mean…" and 1 <= len(asked.actions) <= 3
    assert all(a.kind == "run" and a.ref.startswith("/") for a in asked.actions)
    pick = asked.actions[0]
    job = await app.dispatcher.handle(
        Invocation(ACTION, None, ActionArgs.of("run", pick.ref), "", place, author, buttons), rec
    )
    if job is not None:
        await job.wait()
    assert len(rec.posts) > 1  # the picked command answered


async def test_a_word_typed_as_a_command_that_is_none_offers_the_one_it_stands_for(
    app: App,
) -> None:
    """ "/beat add 2 …" is "/outline add 2 …", "/chars" is "/character list", "/note …"
    reads as a note: the reply offers the line with a button and runs nothing unasked."""
    place = Place("slack", "T1", "C1")
    author = Author("u1", "Dana")
    buttons = Capabilities(buttons=True, edit_messages=True, make_threads=True)
    await app.store.ensure_story(place.story_key, author)
    for typed, offered in [
        ("/beat add 2 Mara steals the ship", "/outline add 2 Mara steals the ship"),
        ("/chars", "/character list"),
        ("/remember that Mara can't swim", "/story note Mara can't swim"),
    ]:
        rec = Recorder()
        assert await app.dispatcher.handle_text(typed, place, author, rec, buttons) is None
        [reply] = rec.posts
        word = typed[1:].split()[0]
        assert reply.body == f"There is no /{word} command. Did you mean `{offered}`?"
        assert [(a.kind, a.ref) for a in reply.actions] == [("run", offered)]
        pick = reply.actions[0]
        job = await app.dispatcher.handle(
            Invocation(ACTION, None, ActionArgs.of("run", pick.ref), "", place, author, buttons),
            rec,
        )
        if job is not None:
            await job.wait()
    story = await app.store.active_story(place.story_key)
    assert story is not None
    [beat] = await app.store.beats(story.id)  # added once: by its button
    assert (beat.act, beat.text) == (2, "Mara steals the ship")


@pytest.mark.parametrize("typed", ["/forget", "/quit", "/wipe the story", "/character shw Mara"])
async def test_a_line_that_stands_for_nothing_or_for_deleting_is_only_refused(
    app: App, typed: str
) -> None:
    rec = Recorder()
    place, author = Place("slack", "T1", "C1"), Author("u1", "Dana")
    await app.dispatcher.handle_text(typed, place, author, rec)
    [reply] = rec.posts
    assert reply.tone == "error" and reply.actions == ()


async def test_a_forged_run_button_cannot_forget(app: App) -> None:
    place = Place("slack", "T1", "C1")
    rec = Recorder()
    author = Author("u1", "Dana", manager=True)
    await app.dispatcher.handle(
        Invocation(ACTION, None, ActionArgs.of("run", "/story forget confirm"), "", place, author),
        rec,
    )
    assert "never run from a sentence or a button" in rec.posts[-1].body


@pytest.fixture
async def model() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
async def model_app(settings: Settings, model: FakeOpenAIServer) -> AsyncIterator[App]:
    on_model = dataclasses.replace(settings, openai_base_url=model.base_url)
    async with open_app(on_model, engine=make_openai_engine(on_model)) as opened:
        yield opened


async def test_the_models_tool_call_runs_the_command_it_names(
    model_app: App, model: FakeOpenAIServer
) -> None:
    s = Session(model_app, channel="writers")
    model.push(
        FakeReply.call("story_set", {"field": "genre", "value": "space noir"}),
    )
    said = await s.say("make it a space noir")
    assert "Genre is now: space noir" in said
    assert "Understood as /story set field:genre value:space noir" in said
    body = model.bodies[0]
    names = {t["function"]["name"] for t in body["tools"]}
    assert "story_set" in names and "story_forget" not in names and "story_new" not in names


@pytest.mark.parametrize(
    ("reply", "answer"),
    [
        (FakeReply.call("launch_rocket", {}), "can't do 'launch_rocket'"),
        (FakeReply.call("story_forget", {"confirm": "confirm"}), "never run from a sentence"),
        (FakeReply.call("synopsis", {"length": "epic"}), "length must be one of"),
        (FakeReply.call("synopsis", "{junk"), "could not read"),
    ],
)
async def test_a_bad_tool_call_is_refused_cleanly_and_runs_nothing(
    model_app: App, model: FakeOpenAIServer, reply: FakeReply, answer: str
) -> None:
    s = Session(model_app, channel="writers")
    await s.say("/story set logline Untouched")
    model.push(reply)
    said = await s.say("do the thing")
    assert answer in said
    story = await model_app.store.active_story(("terminal", "local", "writers"))
    assert story is not None and story.logline == "Untouched"
    assert len(model.requests) == 1  # the routing call only: nothing was written


async def test_what_the_rules_cannot_read_the_model_answers_in_a_sentence(
    model_app: App, model: FakeOpenAIServer
) -> None:
    model.push(FakeReply.say("Hi! Ready when you are."))
    said = await Session(model_app, channel="writers").say("the weather is grim today")
    assert "Ready when you are." in said and "/help" in said


async def test_another_channels_story_never_reaches_the_routing_prompt(
    model_app: App, model: FakeOpenAIServer
) -> None:
    other = Session(model_app, channel="elsewhere")
    model.push(FakeReply.say_json({"name": "Ines Vardy"}))
    await other.say("/character new Ines Vardy role:lead")
    model.queue.clear()
    model.push(FakeReply.say("Hello."))
    await Session(model_app, channel="writers").say("who is Ines Vardy?")
    prompt = model.prompts()[-1]
    assert "Ines" not in model.bodies[-1]["messages"][0]["content"]
    assert "Ines Vardy" in prompt  # only as the writer typed it, in their request


async def test_a_sentence_the_rules_read_costs_no_routing_call(
    model_app: App, model: FakeOpenAIServer
) -> None:
    """Only what the offline rules cannot read is the model's to choose: a clear request
    goes straight to its command (one model call, the writing), a second sooner."""
    said = await Session(model_app, channel="writers").say(
        "write a two-line synopsis of a heist on Mars"
    )
    assert "== Synopsis" in said
    assert len(model.bodies) == 1 and "tools" not in model.bodies[0]
    assert "a heist on Mars" in model.prompts()[0]


async def test_the_note_says_what_it_does_while_working_and_the_command_once_done() -> None:
    inner = Recorder()
    line = "/synopsis short " + "a heist on Mars where nobody trusts the pilot " * 4
    said = SaysUnderstood(inner, "Writing a short synopsis…", line.strip())
    handle = await said.post(Reply(title="Synopsis", body="_Writing…_", partial=True))
    await said.update(handle, Reply(title="Synopsis", body="The vault opens."))
    assert inner.posts[0].body.startswith("_Writing a short synopsis…_")
    final = inner.updates[-1].body
    note = final.split("\n\n")[0]
    assert note.startswith("_Understood as_ `/synopsis short a heist on Mars")
    assert note.endswith("…`") and len(note) < 110  # a long line is cut
    assert final.endswith("The vault opens.")
    screenplay = Reply(title="Scene", body="INT. VAULT - NIGHT", format="fountain")
    await said.update(handle, screenplay)
    assert inner.updates[-1].title == f"Scene · {said.line}"  # beside the title, not above
    assert inner.updates[-1].body == "INT. VAULT - NIGHT"
