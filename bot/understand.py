"""Reading a plain-language request: with the model's tools when a model is configured,
offline otherwise (or when the model fails), always back to a command line the dispatcher
checks as if it were typed."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from bot import lane
from bot.command_tools import as_line, from_call, tools
from bot.context import Resources
from bot.registry import Registry
from bot.router import route
from bot.routes import ASK, Chat, Route, Understood
from core.errors import CommandError, GenerationError
from core.types import Author, Place

log = logging.getLogger(__name__)


class Reads(Protocol):
    registry: Registry
    resources: Resources


def _plain(found: Route) -> bool:
    """Whether the offline reading is one to trust without asking the model: a command
    the rules read whole, a question for the bible (/ask asks the model itself), small
    talk, or what no sentence may do. Only a sentence the rules cannot read, or read two
    ways, costs a model call (and its second of latency)."""
    if isinstance(found, Chat):
        return found.kind in ("small_talk", "never", "empty", "revise")
    return isinstance(found, Understood)


async def understand(
    reader: Reads, text: str, names: Sequence[str], story_id: int, author: Author, place: Place
) -> Route:
    """What ``text`` asks for. The offline rules read it first; what they cannot read is
    the model's to choose among the registry's tools (its call checked like typed
    options: a bad one is answered, never run), when a model is configured. ``names``: the
    story's characters, which the offline rules fill in."""
    settings, engine = reader.resources.settings, reader.resources.engine
    offline = route(text, reader.registry, names)
    choose: Any = getattr(engine, "choose", None)
    if not settings.model_configured or choose is None or _plain(offline):
        return offline
    context = "Characters: " + (", ".join(names) if names else "none yet")
    try:
        with lane.asking_the_model(engine):  # the next one's turn once this has left
            choice = await choose(text, tools(reader.registry), context=context, story_id=story_id)
    except GenerationError as exc:
        log.info("request: the model could not choose (%s); reading it offline", type(exc).__name__)
        return route(text, reader.registry, names)
    if choice.usage is not None:
        await reader.resources.store.record_usage(place.story_key, author.id, choice.usage)
    if choice.call is None:
        reply = choice.text or "I'm here. /help lists what I can do."
        reply = reply if "/help" in reply else f"{reply} (/help lists what I can do.)"
        return Chat(reply, "model")
    try:
        parsed = from_call(reader.registry, choice.call)
    except CommandError as exc:
        return Chat(exc.message, "refused")
    line = as_line(parsed)
    if line.startswith(ASK):
        return Understood(line, "Looking that up in the story's bible…")
    return Understood(line, f"Running /{parsed.resolved.path}…")
