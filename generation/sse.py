"""Server-sent events of an OpenAI-compatible chat stream, read without the SDK's models.

Building the SDK's typed object for every chunk costs more CPU than the rest of a command,
and hundreds of channels share one event loop, so the engine reads the raw bytes.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any


async def events(chunks: AsyncIterator[bytes]) -> AsyncIterator[dict[str, Any]]:
    """Server-sent events' JSON data from the body's bytes as they arrive, up to [DONE].

    Comments, ``event:`` and ``id:`` lines are skipped; ``data:`` lines of one event are
    joined. Lines end in LF or CRLF and may be split anywhere between chunks, even inside
    a UTF-8 character. Bytes are split here rather than through text and line iterators,
    one generator instead of three per chunk: hundreds of streams share the event loop.
    Raises ``json.JSONDecodeError`` for data that is not a JSON object.
    """
    pending = b""
    data: list[bytes] = []
    async for chunk in chunks:
        pending += chunk
        if b"\n" not in chunk:
            continue
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line.startswith(b"data:"):
                data.append(line[5:].strip())
                continue
            if line.rstrip(b"\r") or not data:
                continue  # ": comment", "event: ...", "id: ...", or a blank line between events
            payload, data = b"\n".join(data), []
            if payload.startswith(b"[DONE]"):
                return
            yield _event(payload)
    if pending.startswith(b"data:"):
        data.append(pending[5:].strip())
    if data and not data[-1].startswith(b"[DONE]"):
        yield _event(b"\n".join(data))


def _event(payload: bytes) -> dict[str, Any]:
    text = payload.decode("utf-8", "replace")
    event = json.loads(text)
    if not isinstance(event, dict):
        raise json.JSONDecodeError("an event that is not a JSON object", text, 0)
    return event


def first_choice(event: dict[str, Any]) -> tuple[str, str | None]:
    """The first choice's new text and finish reason; anything malformed reads as nothing."""
    choices = event.get("choices")
    choice = choices[0] if isinstance(choices, list) and choices else None
    if not isinstance(choice, dict):
        return "", None
    delta = choice.get("delta")
    content = delta.get("content") if isinstance(delta, dict) else None
    finish = choice.get("finish_reason")
    text = content if isinstance(content, str) else ""
    return text, (finish if isinstance(finish, str) else None)


def tool_call_deltas(event: dict[str, Any]) -> list[tuple[int, str, str]]:
    """The first choice's tool-call fragments: (index, name part, arguments part) each;
    a call's name comes once, its arguments in pieces to be joined in order."""
    choices = event.get("choices")
    choice = choices[0] if isinstance(choices, list) and choices else None
    delta = choice.get("delta") if isinstance(choice, dict) else None
    calls = delta.get("tool_calls") if isinstance(delta, dict) else None
    found: list[tuple[int, str, str]] = []
    for call in calls if isinstance(calls, list) else ():
        if not isinstance(call, dict):
            continue
        index = call.get("index")
        function = call.get("function")
        if not isinstance(index, int) or not isinstance(function, dict):
            continue
        name, arguments = function.get("name"), function.get("arguments")
        found.append(
            (
                index,
                name if isinstance(name, str) else "",
                arguments if isinstance(arguments, str) else "",
            )
        )
    return found
