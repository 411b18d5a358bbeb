"""Asking a model for a structured answer (a sheet, an outline) and repairing it once.

``ask_structured`` asks (with a JSON schema when the server takes one), parses and validates
with the rules in ``generation.sheets``, sends a bad answer back once with what was wrong,
and raises ``GenerationError`` on a second, so nothing half-made is ever saved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import GenerationError
from core.models import Usage
from generation.sheets import (
    OUTLINE_FAILURE,
    SHEET_FAILURE,
    FormatRejected,
    Invalid,
    parse_outline,
    parse_sheet,
    render_outline,
    render_sheet,
    validate_outline,
    validate_sheet,
)


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    usage: Usage
    tool_calls: tuple[tuple[str, str], ...] = ()
    """(name, raw JSON arguments) of each function the model called, in order."""


@dataclass(frozen=True, slots=True)
class Structured:
    """A validated structured answer and what it cost."""

    data: dict[str, Any]
    text: str
    usage: Usage
    used_schema: bool


Ask = Callable[[bool, tuple[tuple[str, str], ...]], Awaitable[Answer]]
"""``ask(use_schema, repair)``: one model call. ``repair`` is empty, or (bad answer,
problem) to send back; ``use_schema`` asks with ``response_format`` (may raise
FormatRejected)."""


@dataclass(frozen=True, slots=True)
class Spec:
    """What one kind of structured answer needs: how to read, check and show it."""

    what: str
    parse: Callable[[str], Mapping[str, Any]]
    validate: Callable[[Mapping[str, Any]], dict[str, Any]]
    render: Callable[[dict[str, Any]], str]
    failure: str

    def check(self, text: str) -> dict[str, Any]:
        if not text.strip():
            raise Invalid("the answer was empty.")
        return self.validate(self.parse(text))


def sheet_spec(keep: Mapping[str, str] | None = None) -> Spec:
    return Spec(
        "character sheet",
        parse_sheet,
        lambda d: dict(validate_sheet(d, keep)),
        render_sheet,
        SHEET_FAILURE,
    )


def outline_spec(acts: int) -> Spec:
    return Spec(
        "outline",
        parse_outline,
        lambda d: validate_outline(d, acts),
        render_outline,
        OUTLINE_FAILURE,
    )


def _add(a: Usage, b: Usage) -> Usage:
    return Usage(
        a.engine, a.prompt_tokens + b.prompt_tokens, a.completion_tokens + b.completion_tokens
    )


async def ask_structured(spec: Spec, ask: Ask, *, use_schema: bool) -> Structured:
    """Ask, falling back from the schema to lines if refused, repairing once if unusable."""
    try:
        answer = await ask(use_schema, ())
    except FormatRejected:
        use_schema = False
        answer = await ask(False, ())
    usage = answer.usage
    try:
        data = spec.check(answer.text)
    except Invalid as problem:
        repaired = await ask(use_schema, ((answer.text, str(problem)),))
        usage = _add(usage, repaired.usage)
        try:
            data = spec.check(repaired.text)
        except Invalid:
            raise GenerationError(spec.failure) from None
    return Structured(data=data, text=spec.render(data), usage=usage, used_schema=use_schema)
