"""Which summarizer runs: the model when one is configured, else the offline one.

Commands call these three functions with the channel's ``TextEngine``; they never know
whether a model is behind it. A model is any engine with a ``complete`` method (the
OpenAI-compatible engine); thread summaries then go through map-reduce
(``generation.summarize.mapreduce``), scene and story summaries through one call each.
Anything else (the offline draft engine) gets the extractive summarizers, which say so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from core.models import Bible
from generation.summarize.model import Digest, ThreadMessage
from generation.summarize.offline import summarize_offline
from generation.summarize.scene import SceneSummary
from generation.summarize.scene import summarize_scene as scene_offline
from generation.summarize.storyline import StorySummary
from generation.summarize.storyline import summarize_story as story_offline

Progress = Callable[[str, float | None], Awaitable[None]]

OFFLINE_THREADS_IN_THREAD = 500
"""Above this many messages the offline summarizer runs in a worker thread, so a long
summary never blocks the bot's event loop."""


def chat_model(engine: object) -> object | None:
    """The engine when it can take free-form chat prompts, else None."""
    return engine if callable(getattr(engine, "complete", None)) else None


async def summarize_thread(
    messages: Sequence[ThreadMessage], engine: object, *, progress: Progress | None = None
) -> Digest:
    model = chat_model(engine)
    if model is not None:
        from generation.summarize.mapreduce import summarize_with_model

        return await summarize_with_model(list(messages), model, progress=progress)
    if len(messages) > OFFLINE_THREADS_IN_THREAD:
        return await asyncio.to_thread(summarize_offline, list(messages))
    return summarize_offline(list(messages))


async def summarize_scene(text: str, engine: object) -> SceneSummary:
    model = chat_model(engine)
    if model is not None:
        from generation.summarize.model_scene import summarize_scene_with_model

        return await summarize_scene_with_model(text, model)
    return scene_offline(text)


async def summarize_story(bible: Bible, engine: object) -> StorySummary:
    model = chat_model(engine)
    if model is not None:
        from generation.summarize.model_scene import summarize_story_with_model

        return await summarize_story_with_model(bible, model)
    return story_offline(bible)
