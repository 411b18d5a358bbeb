"""Server-sent events of an OpenAI-compatible chat stream, read without the SDK's models.

Building the SDK's typed object for every chunk costs more CPU than the rest of a command,
and hundreds of channels share one event loop, so the engine reads the raw lines.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any


async def events(lines: AsyncIterator[str]) -> AsyncIterator[dict[str, Any]]:
    """Server-sent events' JSON data, up to [DONE]; comments and event names are skipped."""
    data: list[str] = []
    async for line in lines:
        if line.startswith("data:"):
            data.append(line[5:].lstrip())
            continue
        if line or not data:
            continue  # ": comment", "event: ...", "id: ...", or a blank line between events
        payload, data = "\n".join(data), []
        if payload.startswith("[DONE]"):
            return
        event = json.loads(payload)
        if not isinstance(event, dict):
            raise json.JSONDecodeError("an event that is not a JSON object", payload, 0)
        yield event
    if data and not data[-1].startswith("[DONE]"):
        event = json.loads("\n".join(data))
        if isinstance(event, dict):
            yield event


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
