"""The text engine for OpenAI and every OpenAI-compatible server (Ollama, vLLM, llama.cpp
server, LM Studio): Dramatron-style prompts from the bible, streamed through
``generation.openai_chat``.

Character sheets and outlines are asked for as JSON with a schema, falling back to plain
lines on servers that refuse ``response_format`` (see ``generation.sheets``), repaired once
and refused when still junk. Every failure leaves as ``GenerationError`` with a message
the writer can act on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from core.errors import ConfigError, GenerationError
from core.models import field_label
from generation.base import Draft, OnText, WritingTask
from generation.context import DEFAULT_BUDGET
from generation.openai_chat import (
    DEFAULT_BASE_URL,
    LOCAL_API_KEY,
    ChatClient,
    ModelCall,
    display_url,
    story_id_of,
)
from generation.prompts import (
    Message,
    build_messages,
    outline_acts,
    render,
    repair_messages,
    structure_of,
)
from generation.sheets import (
    MAX_FIELD_CHARS,
    OUTLINE_SCHEMA,
    SHEET_SCHEMA,
    FormatRejected,
    clean_field_value,
    response_format,
    strip_fences,
)
from generation.structured import Answer, Spec, Structured, ask_structured, outline_spec, sheet_spec
from generation.tools import Choice, Tool, ToolCall, read_arguments

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-mini"

CREATIVE_TEMPERATURE = 0.9
"""Above 0.7, so that a regeneration with a new seed reads differently."""
REPAIR_TEMPERATURE = 0.3
ROUTE_TEMPERATURE = 0.0
"""Choosing a command is not creative: the same request, the same choice."""


class OpenAIEngine:
    """A ``TextEngine`` backed by a chat-completions model.

    Close the engine with ``aclose()`` or ``async with``.
    """

    reports_sent = True
    """Its requests call ``generation.base.REQUEST_SENT`` once they have left."""

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
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
        self.temperature = temperature
        self.context_budget = context_budget
        self._use_schema = True  # until the server refuses response_format
        self.chat = ChatClient(
            model=model,
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout,
            max_retries=max_retries,
            redact=redact,
        )

    @property
    def base_url(self) -> str:
        return self.chat.base_url

    @property
    def timeout(self) -> float:
        return self.chat.timeout

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.model!r}, base_url={display_url(self.base_url)!r})"

    async def aclose(self) -> None:
        await self.chat.aclose()

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
            story_id_of(task),
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

    async def choose(
        self, request: str, tools: Sequence[Tool], *, context: str, story_id: int = 0
    ) -> Choice:
        """Let the model pick one of ``tools`` for a request in plain language (function
        calling). Its choice is only a proposal: the caller validates it like a typed
        command. A server that cannot call tools answers in text, which comes back as
        ``Choice.text`` with no call."""
        messages: list[Message] = [
            {"role": "system", "content": render("route", context=context or "(nothing yet)")},
            {"role": "user", "content": request},
        ]
        answer = await self.chat.stream(
            messages,
            task=ModelCall("route", story_id),
            temperature=ROUTE_TEMPERATURE,
            tools=[t.as_api() for t in tools],
        )
        calls = [ToolCall(name, read_arguments(raw), raw) for name, raw in answer.tool_calls]
        return Choice(
            calls[0] if calls else None,
            text=answer.text.strip(),
            usage=answer.usage,
            extra=tuple(calls[1:]),
        )

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

    async def _call(
        self,
        messages: list[Message],
        *,
        task: WritingTask | ModelCall,
        schema: dict[str, Any] | None = None,
        temperature: float | None = None,
        on_text: OnText | None = None,
    ) -> Answer:
        return await self.chat.stream(
            messages,
            task=task,
            schema=schema,
            temperature=self.temperature if temperature is None else temperature,
            on_text=on_text,
        )


def _sheet_keep(params: dict[str, Any]) -> dict[str, str]:
    """The sheet fields the writer gave, which the model's sheet must keep."""
    keep = {k: str(v) for k, v in (params.get("fields") or {}).items() if v}
    if params.get("name"):
        keep["name"] = str(params["name"])
    return keep
