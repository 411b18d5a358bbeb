"""Function calling through the OpenAI engine and the fake server: the tools go out as the
API reads them, a call streamed in pieces comes back whole, junk arguments read as None,
and a model that answers in words comes back as text."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from generation.openai_engine import OpenAIEngine
from generation.tools import Tool
from tests.fakes import FakeOpenAIServer, FakeReply

pytestmark = pytest.mark.timeout(20)

SYNOPSIS = Tool(
    "synopsis",
    "Write a synopsis of the story.",
    {
        "type": "object",
        "properties": {
            "length": {"type": "string", "enum": ["logline", "short", "page"]},
            "direction": {"type": "string"},
        },
        "required": [],
    },
)


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as running:
        yield running


async def test_a_tool_call_streamed_in_pieces_comes_back_whole(server: FakeOpenAIServer) -> None:
    args = {"length": "short", "direction": "a heist on Mars, in two lines"}
    server.push(FakeReply.call("synopsis", args, chunk_chars=5))
    async with OpenAIEngine(base_url=server.base_url, model="fake-model") as engine:
        choice = await engine.choose(
            "write a two-line synopsis of a heist on Mars", [SYNOPSIS], context=""
        )
    assert choice.call is not None
    assert (choice.call.name, choice.call.arguments) == ("synopsis", args)
    body = server.last_body
    assert body["tools"][0]["function"]["name"] == "synopsis"
    assert body["tool_choice"] == "auto" and body["temperature"] == 0.0
    assert body["messages"][-1] == {
        "role": "user",
        "content": "write a two-line synopsis of a heist on Mars",
    }


async def test_junk_arguments_read_as_none_and_words_as_text(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.call("synopsis", "{not json"), FakeReply.say("Hello there!"))
    async with OpenAIEngine(base_url=server.base_url, model="fake-model") as engine:
        junk = await engine.choose("x", [SYNOPSIS], context="")
        chat = await engine.choose("hi", [SYNOPSIS], context="")
    assert junk.call is not None and junk.call.arguments is None
    assert chat.call is None and chat.text == "Hello there!"
