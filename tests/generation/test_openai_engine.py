from __future__ import annotations

import logging
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from openai import AsyncOpenAI

from core.errors import GenerationError
from core.models import CHARACTER_FIELDS, Bible, Character, Story, field_label
from generation.base import TextEngine, WritingTask
from generation.openai_engine import OpenAIEngine
from tests.fakes import FAKE_MODEL, FakeOpenAIServer, FakeReply

# The loop-sensitive paths (HTTP streams, sockets, threads) run on both event loops.
pytestmark = [pytest.mark.timeout(15), pytest.mark.both_loops]

KEY = "sk-test-0123456789abcdef"
BIBLE = Bible(
    Story(
        1,
        ("terminal", "local", "room"),
        title="Saltwater",
        logline="A diver finds a door on the seabed.",
    ),
    characters=(
        Character("Mara", role="protagonist", voice="Clipped."),
        Character("Jonah", role="brother"),
    ),
)
SCENE = "INT. BOAT - NIGHT\n\nMARA\nAir's cheap.\n\nJONAH\nDefine cheap."


def synopsis(seed: int = 1) -> WritingTask:
    return WritingTask("synopsis", BIBLE, seed, {"length": "short", "direction": ""})


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


def make_engine(server: FakeOpenAIServer, **options: Any) -> OpenAIEngine:
    settings: dict[str, Any] = {
        "model": FAKE_MODEL,
        "api_key": KEY,
        "base_url": server.base_url,
        "timeout": 2.0,
        "max_retries": 0,
    }
    return OpenAIEngine(**(settings | options))


@pytest.fixture
async def engine(server: FakeOpenAIServer) -> AsyncIterator[OpenAIEngine]:
    async with make_engine(server) as opened:
        yield opened


async def failure(engine: OpenAIEngine, task: WritingTask | None = None) -> str:
    with pytest.raises(GenerationError) as caught:
        await engine.write(task or synopsis())
    assert KEY not in caught.value.message
    return caught.value.message


# --- streaming ------------------------------------------------------------------------


async def test_streaming_delivers_partial_text_then_the_full_draft_with_usage(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.say(SCENE, chunk_chars=5, chunk_delay=0.001))
    seen: list[str] = []

    async def on_text(text: str) -> None:
        seen.append(text)

    task = WritingTask(
        "dialogue", BIBLE, 9, {"situation": "the air runs low"}, focus=BIBLE.characters
    )
    draft = await engine.write(task, on_text)
    assert draft.text == SCENE
    assert draft.engine == FAKE_MODEL == engine.name
    assert len(seen) > 3
    assert all(SCENE.startswith(part) for part in seen)
    assert seen[0] != SCENE and seen[-1] == SCENE
    assert draft.usage is not None
    assert draft.usage.engine == FAKE_MODEL
    assert draft.usage.completion_tokens == len(SCENE) // 4  # what the server counted
    assert draft.usage.prompt_tokens > 0


async def test_usage_is_estimated_when_the_server_sends_none(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.say("x" * 400, usage=False))
    draft = await engine.write(synopsis())
    assert draft.usage is not None
    assert draft.usage.completion_tokens == 100
    assert draft.usage.prompt_tokens > 20


async def test_request_streams_with_usage_seed_and_a_creative_temperature(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    await engine.write(synopsis(seed=11))
    await engine.write(synopsis(seed=12))
    first, second = server.bodies
    assert first["stream"] is True
    assert first["stream_options"] == {"include_usage": True}
    assert first["model"] == FAKE_MODEL
    assert first["temperature"] > 0.7
    assert (first["seed"], second["seed"]) == (11, 12)
    assert "response_format" not in first
    assert server.requests[0].headers["Authorization"] == f"Bearer {KEY}"


async def test_fenced_answers_are_unwrapped(engine: OpenAIEngine, server: FakeOpenAIServer) -> None:
    server.push(FakeReply.say(f"```fountain\n{SCENE}\n```"))
    assert (await engine.write(synopsis())).text == SCENE


async def test_continue_returns_only_the_new_text(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.say("MARA\nThen we swim."))
    task = WritingTask("continue", BIBLE, 2, {"artifact_kind": "dialogue"}, artifact=SCENE)
    draft = await engine.write(task)
    assert draft.text == "MARA\nThen we swim."
    assert SCENE in server.last_body["messages"][1]["content"]


async def test_the_engine_is_a_text_engine(engine: OpenAIEngine) -> None:
    typed: TextEngine = engine
    assert typed.name == FAKE_MODEL


# --- retries --------------------------------------------------------------------------


async def test_retry_after_429_honours_retry_after_and_succeeds(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.rate_limited(retry_after=1), FakeReply.say("Second time lucky."))
    async with make_engine(server, max_retries=1) as engine:
        started = time.monotonic()
        draft = await engine.write(synopsis())
    assert time.monotonic() - started >= 0.95  # the client's own backoff would be under 0.5 s
    assert draft.text == "Second time lucky."
    assert len(server.bodies) == 2


async def test_429_after_the_retries_says_when_to_try_again(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.rate_limited(retry_after=7))
    assert await failure(engine) == "The model is rate-limiting us; try again in 7 s."


async def test_exhausted_quota_is_not_called_rate_limiting(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.fail(429, "You exceeded your current quota.", code="insufficient_quota"))
    assert "run out of quota" in await failure(engine)


# --- every failure explained ----------------------------------------------------------


async def test_401_names_the_api_key_setting_and_never_the_key(
    engine: OpenAIEngine, server: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.push(FakeReply.unauthorized(key_hint=KEY))
    message = await failure(engine)
    assert message == "The model server rejected the API key; check OPENAI_API_KEY."
    assert KEY not in caplog.text


async def test_404_for_the_model_names_the_model_setting(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.model_not_found(FAKE_MODEL))
    assert await failure(engine) == (
        f"The model server has no model named {FAKE_MODEL}; check OPENAI_MODEL."
    )


async def test_404_for_the_path_names_the_base_url_setting(server: FakeOpenAIServer) -> None:
    async with make_engine(server, base_url=server.base_url.removesuffix("/v1")) as engine:
        message = await failure(engine)
    assert "has no chat completions endpoint (404)" in message
    assert "OPENAI_BASE_URL" in message


async def test_500_names_the_server(engine: OpenAIEngine, server: FakeOpenAIServer) -> None:
    server.push(FakeReply.server_error(500))
    assert await failure(engine) == (
        f"The model server at {server.base_url} had an internal error (500); try again shortly."
    )


async def test_5xx_is_retried_by_the_client(server: FakeOpenAIServer) -> None:
    server.push(
        FakeReply.fail(503, "busy", kind="server_error", headers={"retry-after-ms": "10"}),
        FakeReply.say("Recovered."),
    )
    async with make_engine(server, max_retries=1) as engine:
        assert (await engine.write(synopsis())).text == "Recovered."


async def test_a_hang_times_out_with_the_timeout_setting(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.hanging(10))
    async with make_engine(server, timeout=0.3) as engine:
        assert await failure(engine) == "The model did not answer within 0.3 s (OPENAI_TIMEOUT)."


async def test_a_stream_that_stalls_times_out(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.say(SCENE, stall_after=2, hang=10))
    async with make_engine(server, timeout=0.3) as engine:
        assert "did not answer within 0.3 s" in await failure(engine)


async def test_a_refused_connection_names_the_base_url_setting() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}/v1"
    async with OpenAIEngine(base_url=base_url, api_key=KEY, timeout=2, max_retries=0) as engine:
        assert await failure(engine) == (
            f"The model server at {base_url} refused the connection; check OPENAI_BASE_URL."
        )


async def test_malformed_stream_is_explained(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.malformed())
    assert "sent a reply I could not read" in await failure(engine)


async def test_an_empty_reply_is_explained(engine: OpenAIEngine, server: FakeOpenAIServer) -> None:
    server.push(FakeReply.say("   "))
    assert await failure(engine) == "The model returned an empty reply; try again or rephrase."


async def test_content_filter_is_explained(engine: OpenAIEngine, server: FakeOpenAIServer) -> None:
    server.push(FakeReply.say("", finish_reason="content_filter"))
    assert "content filter" in await failure(engine)


async def test_a_plain_400_shows_the_servers_reason_without_secrets(
    engine: OpenAIEngine, server: FakeOpenAIServer
) -> None:
    server.push(FakeReply.fail(400, f"Bad value for temperature (key {KEY})."))
    message = await failure(engine)
    assert message.startswith("The model server refused the request (400): Bad value")
    assert "sk-" not in message


async def test_credentials_in_the_base_url_are_not_shown(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.server_error(502))
    url = server.base_url.replace("http://", "http://user:hunter2@")
    async with make_engine(server, base_url=url) as engine:
        message = await failure(engine)
    assert "hunter2" not in message
    assert server.base_url in message


# --- the fake server's other half, for later users ------------------------------------


async def test_fake_server_answers_without_streaming_and_lists_models(
    server: FakeOpenAIServer,
) -> None:
    server.push(FakeReply.say("Plain answer."))
    async with AsyncOpenAI(api_key=KEY, base_url=server.base_url, max_retries=0) as client:
        completion = await client.chat.completions.create(
            model=FAKE_MODEL, messages=[{"role": "user", "content": "hi"}]
        )
        models = await client.models.list()
    assert completion.choices[0].message.content == "Plain answer."
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    assert [m.id for m in models.data] == [FAKE_MODEL]
    assert server.last_body["messages"] == [{"role": "user", "content": "hi"}]


async def test_fake_server_checks_key_models_and_response_format() -> None:
    async with FakeOpenAIServer(
        api_key=KEY, check_models=True, reject_response_format=True
    ) as fake:
        async with OpenAIEngine(
            model="nope", api_key=KEY, base_url=fake.base_url, max_retries=0
        ) as engine:
            assert "no model named nope" in await failure(engine)
        async with OpenAIEngine(
            model=FAKE_MODEL, api_key="sk-wrong", base_url=fake.base_url, max_retries=0
        ) as engine:
            assert "rejected the API key" in await failure(engine)
        async with OpenAIEngine(
            model=FAKE_MODEL, api_key=KEY, base_url=fake.base_url, max_retries=0
        ) as engine:
            fake.push(
                FakeReply.say(
                    "Name: Tove\n"
                    + "\n".join(f"{field_label(f)}: some {f}" for f in CHARACTER_FIELDS)
                )
            )
            draft = await engine.write(WritingTask("character", BIBLE, 1, {"name": "Tove"}))
        assert draft.data is not None and draft.data["name"] == "Tove"
        assert "response_format" not in fake.last_body
