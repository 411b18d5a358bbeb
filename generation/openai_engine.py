"""The text engine for OpenAI and every OpenAI-compatible server (Ollama, vLLM, llama.cpp
server, LM Studio), on ``AsyncOpenAI``.

Every answer is streamed (``stream_options={"include_usage": True}``), so ``on_text`` sees
the text as it arrives and the last chunk carries the token usage. Character sheets and
outlines are asked for as JSON with a schema, falling back to plain lines on servers that
refuse ``response_format`` (see ``generation.sheets``). Retries on 408/409/429/5xx and
broken connections, honouring Retry-After, are the client's own (``max_retries``).

Every failure leaves as ``GenerationError`` with a message the writer can act on. The API
key never appears in a message or a log line; INFO logs carry ids, kinds, timings and token
counts, never prompt or reply text.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
import openai
from openai import AsyncOpenAI

from bot.errors import ConfigError, GenerationError
from bot.settings import Settings
from generation.base import Draft, OnText, WritingTask
from generation.context import DEFAULT_BUDGET, estimate_tokens
from generation.model_errors import explain_status, explain_transport
from generation.prompts import (
    Message,
    build_messages,
    outline_acts,
    repair_messages,
    structure_of,
)
from generation.redact import redact_messages
from generation.sheets import (
    MAX_FIELD_CHARS,
    OUTLINE_SCHEMA,
    SHEET_SCHEMA,
    FormatRejected,
    clean_field_value,
    response_format,
    strip_fences,
)
from generation.sse import events, first_choice
from generation.structured import Answer, Spec, Structured, ask_structured, outline_spec, sheet_spec
from storage.models import Usage, field_label

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
LOCAL_API_KEY = "not-needed"
"""Local servers ignore the key, but the client insists on one."""

CREATIVE_TEMPERATURE = 0.9
"""Above 0.7, so that a regeneration with a new seed reads differently."""
REPAIR_TEMPERATURE = 0.3

_SECRET_LIKE = re.compile(r"(sk-[\w*-]{4,}|Bearer\s+\S+|key-[\w-]{8,})", re.IGNORECASE)


def display_url(url: str) -> str:
    """A base URL fit to show: no user, password, query or fragment."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")).rstrip("/")


class OpenAIEngine:
    """A ``TextEngine`` backed by a chat-completions model.

    ``http_client`` (an ``httpx2.AsyncClient``) is for tests and proxies; the engine owns
    and closes it. Close the engine with ``aclose()`` or ``async with``.
    """

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        http_client: httpx2.AsyncClient | None = None,
        temperature: float = CREATIVE_TEMPERATURE,
        context_budget: int = DEFAULT_BUDGET,
        redact: bool = False,
    ) -> None:
        if not api_key:
            if not base_url:
                raise ConfigError(
                    "Missing setting: OPENAI_API_KEY (or OPENAI_BASE_URL for a local server). "
                    "Set it in the environment or in .env (see .env.example)."
                )
            api_key = LOCAL_API_KEY
        self.name = model
        self.model = model
        self.base_url = base_url or DEFAULT_BASE_URL
        self.timeout = timeout
        self.temperature = temperature
        self.context_budget = context_budget
        self._secret = api_key
        self._use_schema = True  # until the server refuses response_format
        self.redact = redact
        """Replace e-mail addresses and phone numbers in every message sent (generation.redact)."""
        # base_url and api_key are always given, so the client never reads os.environ.
        self._client = AsyncOpenAI(
            api_key=api_key,
            base_url=self.base_url,
            timeout=timeout,
            max_retries=max_retries,
            # aiohttp under the SDK (its supported "aiohttp" transport) spends about a
            # third less CPU per streamed call than the default anyio stack.
            # aiohttp refuses a URL with credentials next to the API key's header.
            http_client=http_client
            or (
                None
                if "@" in urlsplit(self.base_url).netloc
                else openai.DefaultAioHttpClient(timeout=timeout)
            ),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIEngine:
        """OPENAI_MODEL (default gpt-4o-mini), OPENAI_API_KEY ("not-needed" when only
        OPENAI_BASE_URL is set), OPENAI_BASE_URL and OPENAI_TIMEOUT."""
        return cls(
            model=settings.openai_model or DEFAULT_MODEL,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout=settings.openai_timeout,
            redact=settings.redact_pii,
        )

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.model!r}, base_url={display_url(self.base_url)!r})"

    async def aclose(self) -> None:
        await self._client.close()

    async def __aenter__(self) -> OpenAIEngine:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # --- the TextEngine method --------------------------------------------------------

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        started = time.perf_counter()
        structure = structure_of(task)
        data: dict[str, Any] | None = None
        if structure is not None:
            if structure == "sheet":
                keep = {} if task.kind == "revise" else _sheet_keep(task.params)
                spec, schema = sheet_spec(keep), ("character_sheet", SHEET_SCHEMA)
            else:
                spec, schema = outline_spec(outline_acts(task)), ("outline", OUTLINE_SCHEMA)
            result = await self._write_structured(task, spec, schema)
            text, data, usage = result.text, result.data, result.usage
        else:
            answer = await self._call(
                build_messages(task, budget=self.context_budget), task=task, on_text=on_text
            )
            text, usage = self._clean_text(task, answer.text), answer.usage
            if task.kind == "develop":
                data = {str(task.params.get("field", "")): text}
        log.info(
            "draft written kind=%s story=%s seed=%d ms=%d prompt_tokens=%d completion_tokens=%d",
            task.kind,
            _story_id(task),
            task.seed,
            (time.perf_counter() - started) * 1000,
            usage.prompt_tokens,
            usage.completion_tokens,
        )
        return Draft(text=text, engine=self.name, data=data, usage=usage)

    async def _write_structured(
        self, task: WritingTask, spec: Spec, schema: tuple[str, dict[str, Any]]
    ) -> Structured:
        async def ask(use_schema: bool, repair: tuple[tuple[str, str], ...]) -> Answer:
            messages = build_messages(
                task, output="json" if use_schema else "lines", budget=self.context_budget
            )
            for bad, problem in repair:
                messages = repair_messages(messages, bad, problem, spec.what)
            return await self._call(
                messages,
                task=task,
                schema=response_format(*schema) if use_schema else None,
                temperature=REPAIR_TEMPERATURE if repair else self.temperature,
            )

        result = await ask_structured(spec, ask, use_schema=self._use_schema)
        if self._use_schema and not result.used_schema:
            log.info("server refused response_format; using plain lines model=%s", self.model)
            self._use_schema = False
        return result

    def _clean_text(self, task: WritingTask, text: str) -> str:
        text = strip_fences(text)
        if task.kind == "develop":
            field = str(task.params.get("field", ""))
            text = clean_field_value(field, text)
            if len(text) > MAX_FIELD_CHARS:
                raise GenerationError(
                    f"The model wrote {len(text):,} characters for {field_label(field)}; "
                    "nothing was saved. Try again or ask for something shorter."
                )
        if not text:
            raise GenerationError("The model returned an empty reply; try again or rephrase.")
        return text

    async def complete(
        self,
        messages: list[Message],
        call: ModelCall,
        *,
        json_schema: tuple[str, dict[str, Any]] | None = None,
        temperature: float = REPAIR_TEMPERATURE,
    ) -> Answer:
        """One chat completion that is not a ``WritingTask`` (thread summaries): the same
        client, retries, streaming, usage and error messages as ``write``. With
        ``json_schema`` the server is asked for JSON of that shape; a server that refuses
        ``response_format`` is asked again without it (the prompt should ask for JSON)."""
        if json_schema is not None and self._use_schema:
            try:
                return await self._call(
                    messages,
                    task=call,
                    schema=response_format(*json_schema),
                    temperature=temperature,
                )
            except FormatRejected:
                self._use_schema = False
        return await self._call(messages, task=call, temperature=temperature)

    # --- one streamed call ------------------------------------------------------------

    async def _call(
        self,
        messages: list[Message],
        *,
        task: WritingTask | ModelCall,
        schema: dict[str, Any] | None = None,
        temperature: float | None = None,
        on_text: OnText | None = None,
    ) -> Answer:
        """Stream one chat completion; raise FormatRejected or GenerationError on failure.

        Every request leaves through here, so redaction (WRITERSROOM_REDACT_PII) is here."""
        if self.redact:
            messages = redact_messages(messages)
        started = time.perf_counter()
        text, finish, request_id = "", None, None
        usage: Usage | None = None
        try:
            # The raw stream, parsed here: the SDK's typed-parameter transform and per-chunk
            # model objects cost more CPU than the rest of a command, and hundreds of
            # channels share one event loop. ``post`` keeps the client's auth, retries
            # (Retry-After included) and status errors.
            response = await self._client.post(
                "/chat/completions",
                cast_to=httpx2.Response,
                body=self._body(messages, task.seed, schema, temperature),
                stream=True,
                stream_cls=None,
            )
            try:
                request_id = response.headers.get("x-request-id")
                async for event in events(response.aiter_bytes()):
                    if event.get("error"):
                        error = event["error"]
                        message = error.get("message") if isinstance(error, dict) else None
                        raise openai.APIError(
                            str(message or "An error occurred during streaming"),
                            response.request,
                            body=error,
                        )
                    counted = event.get("usage")
                    if isinstance(counted, dict):
                        usage = Usage(
                            self.name,
                            int(counted.get("prompt_tokens") or 0),
                            int(counted.get("completion_tokens") or 0),
                        )
                    content, finished = first_choice(event)
                    if content:
                        text += content
                        if on_text is not None:
                            await on_text(text)
                    finish = finished or finish
            finally:
                await response.aclose()
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            if schema is not None:
                raise FormatRejected(exc.status_code) from None
            raise self._explain(exc, task) from None
        except openai.OpenAIError as exc:
            raise self._explain(exc, task) from None
        except (httpx2.HTTPError, json.JSONDecodeError) as exc:
            raise self._explain(exc, task) from None

        if finish is None and not text and usage is None:
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
            _story_id(task),
            request_id,
            schema is not None,
            finish,
            (time.perf_counter() - started) * 1000,
            usage.prompt_tokens,
            usage.completion_tokens,
            estimated,
        )
        return Answer(text=text, usage=usage)

    def _body(
        self,
        messages: list[Message],
        seed: int,
        schema: dict[str, Any] | None,
        temperature: float | None,
    ) -> dict[str, Any]:
        """The chat completion request, as the API reads it."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": self.temperature if temperature is None else temperature,
            "seed": seed,
        }
        if schema:
            body["response_format"] = schema
        return body

    # --- errors the writer can act on -------------------------------------------------

    def _explain(self, exc: BaseException, task: WritingTask | ModelCall) -> GenerationError:
        status = getattr(exc, "status_code", None)
        log.warning(
            "model call failed kind=%s story=%s error=%s status=%s",
            task.kind,
            _story_id(task),
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
            "unreadable model reply kind=%s story=%s why=%s", task.kind, _story_id(task), why
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


def _story_id(task: WritingTask | ModelCall) -> int:
    return task.story_id if isinstance(task, ModelCall) else task.bible.story.id


def _sheet_keep(params: dict[str, Any]) -> dict[str, str]:
    """The sheet fields the writer gave, which the model's sheet must keep."""
    keep = {k: str(v) for k, v in (params.get("fields") or {}).items() if v}
    if params.get("name"):
        keep["name"] = str(params["name"])
    return keep
