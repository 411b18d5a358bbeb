"""The HTTP under chat completions (generation/model_http.py): the SDK's retry rules, its
exception types, the sent hook, against the fake OpenAI server."""

from __future__ import annotations

import asyncio
import time

import httpx2
import openai
import pytest

from generation.base import REQUEST_SENT
from generation.model_http import ModelHTTP, backoff, endpoint, should_retry
from tests.fakes import FAKE_MODEL, FakeOpenAIServer, FakeReply

pytestmark = [pytest.mark.timeout(15), pytest.mark.both_loops]

BODY = {
    "model": FAKE_MODEL,
    "messages": [{"role": "user", "content": "hi"}],
    "stream": True,
}


def url(server: FakeOpenAIServer) -> str:
    return endpoint(server.base_url, "chat/completions")


async def test_the_sent_hook_runs_when_the_request_leaves_not_when_it_is_answered() -> None:
    loop = asyncio.get_running_loop()
    sent: list[float] = []
    async with FakeOpenAIServer(delay=0.4) as server:
        http = ModelHTTP(api_key="sk-t", timeout=5, max_retries=0)
        token = REQUEST_SENT.set(lambda: sent.append(loop.time()))
        try:
            began = loop.time()
            response = await http.post(url(server), BODY)
            answered = loop.time()
            await response.read()
        finally:
            REQUEST_SENT.reset(token)
            await http.aclose()
    assert len(sent) == 1
    assert sent[0] - began < answered - began - 0.3  # well before the 0.4 s answer
    assert server.last_body == BODY


async def test_a_server_that_says_do_not_retry_is_not_retried() -> None:
    async with FakeOpenAIServer(
        FakeReply.fail(503, "busy", kind="server_error", headers={"x-should-retry": "false"}),
        FakeReply.say("never asked"),
    ) as server:
        http = ModelHTTP(api_key="sk-t", timeout=5, max_retries=2)
        try:
            with pytest.raises(openai.InternalServerError) as caught:
                await http.post(url(server), BODY)
        finally:
            await http.aclose()
    assert len(server.bodies) == 1
    assert caught.value.status_code == 503
    assert caught.value.body == {
        "message": "busy",
        "type": "server_error",
        "param": None,
        "code": None,
    }


async def test_a_wait_over_a_minute_is_not_retried_and_the_refusal_keeps_its_headers() -> None:
    async with FakeOpenAIServer(FakeReply.rate_limited(retry_after=120)) as server:
        http = ModelHTTP(api_key="sk-t", timeout=5, max_retries=2)
        started = time.monotonic()
        try:
            with pytest.raises(openai.RateLimitError) as caught:
                await http.post(url(server), BODY)
        finally:
            await http.aclose()
    assert time.monotonic() - started < 2
    assert len(server.bodies) == 1
    assert caught.value.response.headers["retry-after"] == "120"


async def test_a_refused_connection_is_retried_then_raised_as_a_connection_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    http = ModelHTTP(api_key="sk-t", timeout=2, max_retries=1)
    started = time.monotonic()
    try:
        with pytest.raises(openai.APIConnectionError) as caught:
            await http.post(f"http://127.0.0.1:{port}/v1/chat/completions", BODY)
    finally:
        await http.aclose()
    assert time.monotonic() - started >= 0.3  # one backoff (0.375-0.5 s) between the tries
    assert isinstance(caught.value.__cause__, Exception)


async def test_a_hang_is_a_timeout_error() -> None:
    async with FakeOpenAIServer(FakeReply.hanging(5)) as server:
        http = ModelHTTP(api_key="sk-t", timeout=0.2, max_retries=0)
        try:
            with pytest.raises(openai.APITimeoutError):
                await http.post(url(server), BODY)
        finally:
            await http.aclose()


def test_the_retry_rules_are_the_sdks() -> None:
    none = httpx2.Headers()
    assert [should_retry(s, none) for s in (400, 401, 404, 408, 409, 422, 429, 500, 503)] == [
        False, False, False, True, True, False, True, True, True,
    ]  # fmt: skip
    assert should_retry(400, httpx2.Headers({"x-should-retry": "true"}))
    assert not should_retry(429, httpx2.Headers({"retry-after": "61"}))
    assert backoff(0, httpx2.Headers({"retry-after-ms": "250"})) == 0.25
    assert backoff(0, httpx2.Headers({"retry-after": "3"})) == 3.0
    assert all(0.375 <= backoff(0, None) <= 0.5 for _ in range(50))
    assert all(6.0 <= backoff(9, None) <= 8.0 for _ in range(50))


def test_the_endpoint_keeps_the_path_and_query_and_drops_credentials() -> None:
    assert endpoint("https://user:pw@api.example.com/v1/", "chat/completions") == (
        "https://api.example.com/v1/chat/completions"
    )
    assert endpoint("http://127.0.0.1:8000/openai/v1?api-version=2", "chat/completions") == (
        "http://127.0.0.1:8000/openai/v1/chat/completions?api-version=2"
    )


def test_the_proxy_comes_from_the_environment_once_and_no_proxy_goes_direct(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    http = ModelHTTP(api_key="sk-t", timeout=5, max_retries=0)
    assert http._proxy_for("https://api.example.com/v1/chat/completions") == (
        "http://proxy.example:3128"
    )
    assert http._proxy_for("http://127.0.0.1:8000/v1/chat/completions") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://elsewhere:1")  # read once per URL
    assert http._proxy_for("https://api.example.com/v1/chat/completions") == (
        "http://proxy.example:3128"
    )
