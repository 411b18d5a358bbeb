"""Logs at INFO carry ids, kinds, timings and counts: never story text or secrets,
including when the model server fails and echoes the key back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

import pytest

from bot.app import App
from tests.bot.helpers import Session
from tests.fakes import FakeOpenAIServer, FakeReply

pytestmark = pytest.mark.timeout(30)

AppFactory = Callable[..., AbstractAsyncContextManager[App]]
PHRASE = "velvet-hangar-9931"
API_KEY = "sk-live-TOPSECRET-0123456789abcdef"


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


async def test_info_logs_hold_neither_story_text_nor_the_api_key(
    make_app: AppFactory, server: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with make_app(
        openai_base_url=server.base_url,
        openai_api_key=API_KEY,
        openai_model="fake-model",
        openai_timeout=5.0,
    ) as app:
        s = Session(app)
        await s.say(f"/story set logline The {PHRASE} never lands.")
        await s.say(f"/character new Mara role:pilot backstory:grew up in the {PHRASE}")
        await s.say("/synopsis")
        await s.say(f"make it darker, more {PHRASE}")
        await s.say("save")
        await s.say(f"/dialogue Mara: she finds the {PHRASE}")
        await s.say(f"/summarize story {PHRASE}")
        await s.say("/portrait Mara")
        # Failures: the server echoes the key, answers 500, sends garbage.
        server.push(FakeReply.unauthorized(key_hint=API_KEY))
        assert "OPENAI_API_KEY" in await s.say(f"/synopsis page about {PHRASE}")
        server.push(*[FakeReply.server_error()] * 3)
        await s.say(f"/synopsis page about {PHRASE}")
        server.push(FakeReply.malformed())
        await s.say(f"/synopsis page about {PHRASE}")
        await s.say(f"/character nosuch {PHRASE}")  # a usage error
        await s.say("/story forget confirm")
    assert any(r.name.startswith("generation") for r in caplog.records)  # it did log
    assert any(r.levelno == logging.INFO and "job" in r.getMessage() for r in caplog.records)
    assert any("model call failed" in r.getMessage() for r in caplog.records)  # failures too
    assert PHRASE not in caplog.text
    assert API_KEY not in caplog.text and "TOPSECRET" not in caplog.text
    for record in caplog.records:
        assert PHRASE not in repr(record.args) and API_KEY not in repr(record.args)


async def test_help_privacy_says_where_text_goes(
    make_app: AppFactory, server: FakeOpenAIServer
) -> None:
    async with make_app() as app:
        out = await Session(app).say("/help privacy")
        assert "nothing leaves this machine" in out and "/story forget" in out
    async with make_app(
        openai_base_url=server.base_url,
        openai_api_key=API_KEY,
        openai_model="fake-model",
        redact_pii=True,
        retention_days=30,
    ) as app:
        out = await Session(app).say("/help privacy")
        assert server.base_url in out and "fake-model" in out
        assert "replaced before anything is sent" in out and "30 days" in out
        assert API_KEY not in out
        assert "/help privacy" in await Session(app).say("/help")
