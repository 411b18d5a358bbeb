"""One streamed chat completion, for OpenAI and every OpenAI-compatible server (Ollama,
vLLM, llama.cpp server, LM Studio): the request, the server-sent events, the token usage,
and every failure turned into a ``GenerationError`` the writer can act on.

Every answer is streamed (``stream_options={"include_usage": True}``), so ``on_text`` sees
the text as it arrives and the last chunk carries the token usage. The request goes out
through generation/model_http.py, which retries 408/409/429/5xx and broken connections
by the SDK's rules, Retry-After included (``max_retries``). The API key never appears in
a message or a log line; INFO logs carry ids, kinds, timings and token counts, never
prompt or reply text. Every request leaves through ``ChatClient.stream``, so redaction
(WRITERSROOM_REDACT_PII) is there.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
import openai

from core.errors import GenerationError
from core.models import Usage
from generation.base import OnText, WritingTask
from generation.context import estimate_tokens
from generation.model_errors import explain_status, explain_transport
from generation.model_http import ModelHTTP, chunks, endpoint
from generation.prompts import Message
from generation.redact import redact_messages
from generation.sheets import FormatRejected
from generation.sse import events, first_choice, tool_call_deltas
from generation.structured import Answer

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
LOCAL_API_KEY = "not-needed"
"""Local servers ignore the key, but the client insists on one."""

_SECRET_LIKE = re.compile(r"(sk-[\w*-]{4,}|Bearer\s+\S+|key-[\w-]{8,})", re.IGNORECASE)


def display_url(url: str) -> str:
    """A base URL fit to show: no user, password, query or fragment."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")).rstrip("/")


class ChatClient:
    """Streamed chat completions from one server and model (the HTTP: model_http.py)."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str,
        timeout: float,
        max_retries: int = 2,
        redact: bool = False,
    ) -> None:
        self.name = model
        self.model = model
        self.base_url = base_url
        self.redact = redact
        """Replace e-mail addresses and phone numbers in every message sent (generation.redact)."""
        self._secret = api_key
        self.url = endpoint(base_url, "chat/completions")
        """Where requests go: the base URL's chat completions, without credentials."""
        self.http = ModelHTTP(api_key=api_key, timeout=timeout, max_retries=max_retries)

    @property
    def timeout(self) -> float:
        return self.http.timeout

    async def aclose(self) -> None:
        await self.http.aclose()

    async def stream(
        self,
        messages: list[Message],
        *,
        task: WritingTask | ModelCall,
        schema: dict[str, Any] | None = None,
        temperature: float,
        on_text: OnText | None = None,
        tools: list[dict[str, Any]] | None = None,
    ) -> Answer:
        """Stream one chat completion; raise FormatRejected or GenerationError on failure.
        With ``tools`` the model may call one (function calling); the calls come back in
        ``Answer.tool_calls``.

        Every request leaves through here, so redaction (WRITERSROOM_REDACT_PII) is here."""
        if self.redact:
            messages = redact_messages(messages)
        started = time.perf_counter()
        text, finish, request_id = "", None, None
        usage: Usage | None = None
        calls: dict[int, list[str]] = {}
        try:
            response = await self.http.post(
                self.url, self._body(messages, task.seed, schema, temperature, tools)
            )
            try:
                request_id = response.headers.get("x-request-id")
                async for event in events(chunks(self.url, response)):
                    if event.get("error"):
                        error = event["error"]
                        message = error.get("message") if isinstance(error, dict) else None
                        raise openai.APIError(
                            str(message or "An error occurred during streaming"),
                            httpx2.Request("POST", self.url),
                            body=error,
                        )
                    counted = event.get("usage")
                    if isinstance(counted, dict):
                        usage = Usage(
                            self.name,
                            int(counted.get("prompt_tokens") or 0),
                            int(counted.get("completion_tokens") or 0),
                        )
                    for index, name, arguments in tool_call_deltas(event):
                        parts = calls.setdefault(index, ["", ""])
                        parts[0] += name
                        parts[1] += arguments
                    content, finished = first_choice(event)
                    if content:
                        text += content
                        if on_text is not None:
                            await on_text(text)
                    finish = finished or finish
            finally:
                response.release()
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            if schema is not None:
                raise FormatRejected(exc.status_code) from None
            raise self._explain(exc, task) from None
        except openai.OpenAIError as exc:
            raise self._explain(exc, task) from None
        except json.JSONDecodeError as exc:
            raise self._explain(exc, task) from None

        if finish is None and not text and usage is None and not calls:
            raise self._unreadable(task, "no completion in the stream")
        if finish == "content_filter":
            raise GenerationError(
                "The model declined to write this (its content filter stopped it); "
                "rephrase the request."
            )
        estimated = usage is None
        if usage is None:
            prompt = sum(estimate_tokens(m["content"]) + 4 for m in messages)
            usage = Usage(self.name, prompt, estimate_tokens(text))
        log.info(
            "model answered kind=%s story=%s request_id=%s schema=%s finish=%s ms=%d "
            "prompt_tokens=%d completion_tokens=%d estimated=%s",
            task.kind,
            story_id_of(task),
            request_id,
            schema is not None,
            finish,
            (time.perf_counter() - started) * 1000,
            usage.prompt_tokens,
            usage.completion_tokens,
            estimated,
        )
        called = tuple((calls[i][0], calls[i][1]) for i in sorted(calls) if calls[i][0])
        return Answer(text=text, usage=usage, tool_calls=called)

    def _body(
        self,
        messages: list[Message],
        seed: int,
        schema: dict[str, Any] | None,
        temperature: float,
        tools: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The chat completion request, as the API reads it."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": temperature,
            "seed": seed,
        }
        if schema:
            body["response_format"] = schema
        if tools:
            body["tools"] = tools
            body["tool_choice"] = "auto"
        return body

    def _explain(self, exc: BaseException, task: WritingTask | ModelCall) -> GenerationError:
        status = getattr(exc, "status_code", None)
        log.warning(
            "model call failed kind=%s story=%s error=%s status=%s",
            task.kind,
            story_id_of(task),
            type(exc).__name__,
            status,
        )
        where = display_url(self.base_url)
        transport = explain_transport(exc, where, self.timeout)
        if transport is not None:
            return transport
        if isinstance(exc, openai.APIStatusError):
            body = exc.body if isinstance(exc.body, dict) else {}
            server_says = self._scrub(str(body.get("message") or ""))
            return explain_status(exc, where, self.model, server_says)
        return self._unreadable(task, type(exc).__name__)

    def _unreadable(self, task: WritingTask | ModelCall, why: str) -> GenerationError:
        log.warning(
            "unreadable model reply kind=%s story=%s why=%s", task.kind, story_id_of(task), why
        )
        return GenerationError(
            f"The model server at {display_url(self.base_url)} sent a reply I could not read; "
            "check that OPENAI_BASE_URL points at an OpenAI-compatible API."
        )

    def _scrub(self, text: str) -> str:
        """Server text fit to show: no key (the server may echo it), at most 200 characters."""
        if self._secret and self._secret != LOCAL_API_KEY:
            text = text.replace(self._secret, "[key]")
        text = _SECRET_LIKE.sub("[key]", text)
        text = " ".join(text.split())
        return text if len(text) <= 200 else text[:199] + "…"


@dataclass(frozen=True, slots=True)
class ModelCall:
    """What a ``complete`` call is for, for the logs: a kind ("summary-chunk"), the story
    it serves (0 when none) and the seed sent to the server."""

    kind: str
    story_id: int = 0
    seed: int = 0


def story_id_of(task: WritingTask | ModelCall) -> int:
    """The story a call serves, for the logs."""
    return task.story_id if isinstance(task, ModelCall) else task.bible.story.id
