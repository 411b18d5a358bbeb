"""Writing commands on a real OpenAI-compatible engine, against the local fake model server.

The dispatcher, commands, prompts and SQLite bible are all real; only the model is fake.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from bot.app import App
from tests.bot.helpers import Session
from tests.fakes import FakeOpenAIServer, FakeReply

AppFactory = Callable[..., AbstractAsyncContextManager[App]]


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
async def model_app(make_app: AppFactory, server: FakeOpenAIServer) -> AsyncIterator[App]:
    async with make_app(
        openai_base_url=server.base_url,
        openai_api_key="sk-test-key-123456",
        openai_model="fake-model",
        openai_timeout=2.0,
    ) as app:
        yield app


async def bible_state(app: App, channel: str = "general") -> tuple[Any, ...]:
    story = await app.store.active_story(("terminal", "local", channel))
    assert story is not None
    bible = await app.store.bible(story.id)
    history = await app.store.history(story.id)
    return bible, len(history)


async def cast_two_rooms(app: App, server: FakeOpenAIServer) -> tuple[Session, Session]:
    """Room A has Mara and Jonah; room B has a secret character. Sheets are typed, not generated."""
    a, b = Session(app, "room-a"), Session(app, "room-b")
    await a.say("/story set logline A salvage pilot races a storm to pay her debt")
    for line in (
        "/character new Mara role:pilot pronouns:she/her clipped and dry",
        "/character new Jonah role:harbour-master pronouns:he/him",
    ):
        server.push(FakeReply.say_json(sheet_json(line.split()[2])))
        await a.say(line)
    await a.say("/character edit Mara voice Clipped nautical slang, never says sorry")
    await a.say("/character edit Jonah voice Smooth as oil, quotes scripture")
    await b.say("/story set logline Twins inherit a haunted vineyard")
    server.push(FakeReply.say_json(sheet_json("Zed")))
    await b.say("/character new Zed role:twin")
    await b.say("/character edit Zed voice ZED-SECRET-VOICE whispers in riddles")
    return a, b


def sheet_json(name: str, **fields: str) -> dict[str, Any]:
    base = {
        "name": name,
        "pronouns": "she/her",
        "age": "34",
        "role": "lead",
        "one_line": f"{name}, who owes everyone.",
        "appearance": "Tall, scarred hands.",
        "personality": "Dry and watchful.",
        "want": "To buy back her ship.",
        "need": "To trust someone.",
        "flaw": "Pride.",
        "backstory": "Grew up on the docks.",
        "arc": "From pride to trust.",
        "voice": "Clipped.",
        "sample_line": "Debts float.",
        "relationships": "",
        "aliases": "",
    }
    base.update(fields)
    return base


async def test_character_new_saves_the_models_structured_sheet(
    model_app: App, server: FakeOpenAIServer
) -> None:
    s = Session(model_app)
    server.push(FakeReply.say_json(sheet_json("Ines Rook", age="62", flaw="Cannot say no.")))
    out = await s.say("/character new Ines Rook a customs officer")
    assert "Ines Rook" in out and "fake-model" in out
    bible, _ = await bible_state(model_app)
    ines = bible.character("Ines Rook")
    assert ines is not None and ines.age == "62" and ines.flaw == "Cannot say no."
    body = server.last_body
    assert body["response_format"]["type"] == "json_schema"
    assert "a customs officer" in server.prompts()[-1]


async def test_dialogue_prompt_has_the_named_voices_and_nothing_from_other_channels(
    model_app: App, server: FakeOpenAIServer
) -> None:
    a, _ = await cast_two_rooms(model_app, server)
    server.push(FakeReply.say("INT. AIRLOCK - NIGHT\n\nMARA\nPay up.\n\nJONAH\nIn time."))
    out = await a.say("/dialogue Mara, Jonah: the airlock")
    assert "MARA" in out
    prompt = server.prompts()[-1]
    assert "Clipped nautical slang" in prompt and "Smooth as oil" in prompt
    assert "the airlock" in prompt
    assert "ZED" not in prompt.upper() and "vineyard" not in prompt


async def test_characters_reach_the_prompt_only_when_named(
    model_app: App, server: FakeOpenAIServer
) -> None:
    a, _ = await cast_two_rooms(model_app, server)
    server.push(FakeReply.say("MARA\nAlone again."))
    await a.say("/dialogue Mara: alone on the bridge")
    prompt = server.prompts()[-1]
    assert "Clipped nautical slang" in prompt
    assert "Smooth as oil" not in prompt  # Jonah is not in this scene
    assert "A salvage pilot races a storm" in prompt  # the logline always is


@pytest.mark.parametrize(
    "reply,says",
    [
        (FakeReply.unauthorized(), "OPENAI_API_KEY"),
        (FakeReply.model_not_found("fake-model"), "OPENAI_MODEL"),
        (FakeReply.malformed(), "model"),
        (FakeReply.hanging(10), "OPENAI_TIMEOUT"),
    ],
)
async def test_model_errors_tell_the_user_what_to_do_and_change_nothing(
    model_app: App, server: FakeOpenAIServer, reply: FakeReply, says: str
) -> None:
    s = Session(model_app)
    await s.say("/story set logline A heist on the moon")
    before = await bible_state(model_app)
    server.push(reply, reply, reply, reply)
    out = await s.say("/character new Ines a customs officer")
    assert says in out
    assert "sk-test-key" not in out
    assert await bible_state(model_app) == before


async def test_a_refused_connection_names_the_base_url(make_app: AppFactory) -> None:
    async with make_app(openai_base_url="http://127.0.0.1:9/v1", openai_timeout=2.0) as app:
        s = Session(app)
        await s.say("/story set logline A heist on the moon")
        before = await bible_state(app)
        out = await s.say("/synopsis")
        assert "refused the connection" in out and "OPENAI_BASE_URL" in out
        assert await bible_state(app) == before


async def test_junk_sheets_are_repaired_once_then_refused(
    model_app: App, server: FakeOpenAIServer
) -> None:
    s = Session(model_app)
    server.push(FakeReply.say("I'd rather not."), FakeReply.say("Still no."))
    out = await s.say("/character new Ines a customs officer")
    assert out.startswith("!")
    bible, _ = await bible_state(model_app)
    assert bible.character("Ines") is None
    assert len(server.bodies) == 2  # the first answer and one repair, no more


async def test_usage_is_recorded_per_channel(model_app: App, server: FakeOpenAIServer) -> None:
    s, other = Session(model_app, "general"), Session(model_app, "elsewhere")
    server.push(FakeReply.say("A pilot races a storm."))
    await s.say("/synopsis logline")
    totals = await model_app.store.usage_totals(("terminal", "local", "general"))
    assert totals.get("total_tokens", sum(totals.values())) > 0
    await other.say("/story show")
    assert not any(
        (await model_app.store.usage_totals(("terminal", "local", "elsewhere"))).values()
    )


async def test_thread_refinement_revises_with_the_conversation_and_save_writes_it(
    model_app: App, server: FakeOpenAIServer
) -> None:
    s = Session(model_app)
    server.push(FakeReply.say("Mara races the storm to pay her debt."))
    await s.say("/synopsis short")
    server.push(FakeReply.say("Mara, sixty and tired, races the storm to pay her debt."))
    out = await s.say("make Mara older")
    assert "sixty" in out
    revise_prompt = server.prompts()[-1]
    assert "make Mara older" in revise_prompt
    assert "Mara races the storm to pay her debt." in revise_prompt  # the artifact as context
    await s.say("save")
    bible, _ = await bible_state(model_app)
    assert "sixty" in bible.story.synopsis


async def test_regenerate_asks_again_with_a_new_seed(
    model_app: App, server: FakeOpenAIServer
) -> None:
    s = Session(model_app)
    server.push(FakeReply.say("Take one."), FakeReply.say("Take two."))
    await s.say("/synopsis")
    out = await s.say("again")
    assert "Take two." in out
    seeds = [b.get("seed") for b in server.bodies]
    assert len(seeds) == 2 and seeds[0] != seeds[1]


def test_sheet_json_helper_covers_every_field() -> None:
    from core.models import CHARACTER_FIELDS

    assert set(CHARACTER_FIELDS) <= set(sheet_json("x"))
    assert json.dumps(sheet_json("x"))
