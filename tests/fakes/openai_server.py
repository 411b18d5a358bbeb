"""A local fake of an OpenAI-compatible server, for tests and benchmarks.

An aiohttp app on 127.0.0.1 and a random port, serving ``POST /v1/chat/completions``
(streamed as server-sent events with a final usage chunk, or as one JSON body) and
``GET /v1/models``. Each test scripts what it answers with a queue of ``FakeReply``; when
the queue is empty, ``default`` answers (plain text, or JSON shaped by the request's
schema). Every request body is recorded, so tests can assert on prompts::

    async with FakeOpenAIServer() as server:
        server.push(FakeReply.say("Hello."), FakeReply.rate_limited(retry_after=0.01))
        engine = OpenAIEngine(base_url=server.base_url, api_key="sk-test")
        ...
        assert "logline" in server.last_body["messages"][1]["content"]
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import pytest
from aiohttp import web

from tests.fakes.openai_replies import FAKE_MODEL, FakeReply, default_reply


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: Mapping[str, str]
    body: Any
    """The decoded JSON body, or the raw text when it was not JSON, or None."""


def _estimate(text: str) -> int:
    return max(1, len(text) // 4)


BACKLOG = 1024


class FakeOpenAIServer:
    """The fake server. Use as ``async with FakeOpenAIServer() as server``.

    ``api_key``: when set, requests without ``Authorization: Bearer <api_key>`` get 401.
    ``models``: what GET /v1/models lists; with ``check_models``, others get 404.
    ``reject_response_format``: every request carrying ``response_format`` gets 400.
    ``delay``: seconds added before every answer.
    """

    def __init__(
        self,
        *replies: FakeReply,
        default: Callable[[Mapping[str, Any]], FakeReply] = default_reply,
        models: tuple[str, ...] = (FAKE_MODEL,),
        check_models: bool = False,
        api_key: str | None = None,
        reject_response_format: bool = False,
        delay: float = 0.0,
    ) -> None:
        self.queue: deque[FakeReply] = deque(replies)
        self.default = default
        self.models = models
        self.check_models = check_models
        self.api_key = api_key
        self.reject_response_format = reject_response_format
        self.delay = delay
        self.requests: list[RecordedRequest] = []
        self._ids = itertools.count(1)
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *replies: FakeReply) -> None:
        """Queue answers, used in order, one per chat completion request."""
        self.queue.extend(replies)

    @property
    def bodies(self) -> list[Any]:
        """The bodies of every chat completion request, in order."""
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def last_body(self) -> Any:
        return self.bodies[-1]

    def prompts(self) -> list[str]:
        """Every chat request's messages joined into one text, in order."""
        return [
            "\n\n".join(m.get("content") or "" for m in b.get("messages", [])) for b in self.bodies
        ]

    # --- lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_post("/v1/images/generations", self._images)
        self._runner = web.AppRunner(
            app, shutdown_timeout=1.0, handler_cancellation=True, access_log=None
        )
        await self._runner.setup()
        # A real API's listen queue is deep: with aiohttp's default of 128, a burst of 200
        # new connections overflowed it and some waited for the kernel's 1 s retry.
        await web.TCPSite(self._runner, "127.0.0.1", 0, backlog=BACKLOG).start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeOpenAIServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _wait(self, seconds: float) -> None:
        """Sleep, but stop at once when the server closes."""
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), seconds)

    # --- handlers ---------------------------------------------------------------------

    async def _record(self, request: web.Request) -> Any:
        raw = await request.text()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self.requests.append(
            RecordedRequest(request.method, request.path, dict(request.headers), body)
        )
        return body

    def _refusal(self, request: web.Request, body: Any) -> FakeReply | None:
        if (
            self.api_key is not None
            and request.headers.get("Authorization") != f"Bearer {self.api_key}"
        ):
            return FakeReply.unauthorized()
        if not isinstance(body, dict):
            return FakeReply.fail(400, "The body is not a JSON object.")
        if self.reject_response_format and "response_format" in body:
            return FakeReply.rejecting_response_format()
        if self.check_models and body.get("model") not in self.models:
            return FakeReply.model_not_found(str(body.get("model")))
        return None

    async def _models(self, request: web.Request) -> web.Response:
        await self._record(request)
        data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.models]
        return web.json_response({"object": "list", "data": data})

    async def _images(self, request: web.Request) -> web.Response:
        """The images API: a small PNG in one colour taken from the prompt, as base64.
        Auth is checked as for chat; no scripted replies are used."""
        import base64
        import hashlib
        import io

        from PIL import Image

        body = await self._record(request)
        if (
            self.api_key is not None
            and request.headers.get("Authorization") != f"Bearer {self.api_key}"
        ):
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        prompt = str((body or {}).get("prompt", ""))
        colour = tuple(hashlib.sha256(prompt.encode()).digest()[:3])
        buf = io.BytesIO()
        Image.new("RGB", (32, 32), colour).save(buf, format="PNG")
        data = [
            {"b64_json": base64.b64encode(buf.getvalue()).decode()}
            for _ in range(int((body or {}).get("n") or 1))
        ]
        return web.json_response({"created": int(time.time()), "data": data})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await self._record(request)
        reply = self._refusal(request, body)
        if reply is None:
            reply = self.queue.popleft() if self.queue else self.default(body)
        await self._wait(self.delay + reply.delay)
        if reply.hang and reply.stall_after is None:
            await self._wait(reply.hang)
        if reply.status >= 400:
            return web.json_response(
                {"error": dict(reply.error or {})}, status=reply.status, headers=dict(reply.headers)
            )
        streaming = bool(body.get("stream"))
        if reply.raw is not None:
            if streaming:
                return web.Response(text=f"data: {reply.raw}\n\n", content_type="text/event-stream")
            return web.Response(text=reply.raw, content_type="application/json")
        if streaming:
            return await self._stream(request, body, reply)
        return web.json_response(self._completion(body, reply), headers=dict(reply.headers))

    def _usage(self, body: Mapping[str, Any], text: str) -> dict[str, int]:
        prompt = sum(_estimate(str(m.get("content") or "")) for m in body.get("messages", []))
        completion = _estimate(text)
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }

    def _completion(self, body: Mapping[str, Any], reply: FakeReply) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", FAKE_MODEL),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.text},
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": self._usage(body, reply.text) if reply.usage else None,
        }

    async def _stream(
        self, request: web.Request, body: Mapping[str, Any], reply: FakeReply
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "x-request-id": f"req-fake-{len(self.requests)}",
                **reply.headers,
            }
        )
        await response.prepare(request)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        base = {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", FAKE_MODEL),
        }

        async def send(choices: list[dict[str, Any]], usage: Any = None) -> None:
            chunk = {**base, "choices": choices}
            if include_usage:
                chunk["usage"] = usage
            await response.write(f"data: {json.dumps(chunk)}\n\n".encode())

        def delta(content: str | None, finish: str | None = None) -> list[dict[str, Any]]:
            d: dict[str, Any] = {} if content is None else {"content": content}
            if content == "":
                d["role"] = "assistant"
            return [{"index": 0, "delta": d, "finish_reason": finish, "logprobs": None}]

        await send(delta(""))
        if reply.tool is not None:
            name, raw = reply.tool
            step = max(1, reply.chunk_chars)
            pieces = [raw[i : i + step] for i in range(0, len(raw), step)] or [""]
            for n, piece in enumerate(pieces):
                function: dict[str, Any] = {"arguments": piece}
                call: dict[str, Any] = {"index": 0, "function": function}
                if n == 0:
                    function["name"] = name
                    call.update({"id": f"call_{next(self._ids)}", "type": "function"})
                choice = {"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": None}
                await send([choice])
        size = max(1, reply.chunk_chars)
        for n, start in enumerate(range(0, len(reply.text), size)):
            if reply.stall_after is not None and n == reply.stall_after:
                await self._wait(reply.hang or 60.0)
            await send(delta(reply.text[start : start + size]))
            await self._wait(reply.chunk_delay)
        await send(delta(None, reply.finish_reason))
        if include_usage and reply.usage:
            await send([], self._usage(body, reply.text))
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


@pytest.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAIServer]:
    """A running fake server with an empty queue; import it into a conftest to share it."""
    async with FakeOpenAIServer() as server:
        yield server
