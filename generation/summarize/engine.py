"""Which summarizer runs: the model when one is configured, else the offline one.

Commands call these functions with the channel's ``TextEngine``; they never know whether
a model is behind it: ``summarize_thread`` (a digest), ``summarize_catch_up`` (a digest
and what changed since a stored one), ``recap_channel`` (a channel's threads over a
period), ``summarize_scene`` and ``summarize_story``. The reply bodies come from
``render_markdown``, ``render_catch_up`` and ``render_recap``. A model is any engine
with a ``complete`` method (the OpenAI-compatible engine); thread summaries then go
through map-reduce
(``generation.summarize.mapreduce``), scene and story summaries through one call each.
Anything else (the offline draft engine) gets the extractive summarizers, which say so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from core.models import Bible
from generation.summarize.catchup import CatchUp, DigestState, catch_up
from generation.summarize.channel import ChannelRecap, ChannelThread, ThreadRecap, recap_offline
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
    messages: Sequence[ThreadMessage],
    engine: object,
    *,
    progress: Progress | None = None,
    characters: Sequence[str] = (),
) -> Digest:
    """The full digest of a thread (``render_markdown`` cuts it to size for the reply).
    ``characters``: the story bible's character names, when the channel has a story."""
    model = chat_model(engine)
    if model is not None:
        from generation.summarize.mapreduce import summarize_with_model

        return await summarize_with_model(
            list(messages), model, progress=progress, characters=characters
        )
    if len(messages) > OFFLINE_THREADS_IN_THREAD:
        return await asyncio.to_thread(summarize_offline, list(messages), characters=characters)
    return summarize_offline(list(messages), characters=characters)


async def summarize_catch_up(
    messages: Sequence[ThreadMessage],
    engine: object,
    previous: object,
    *,
    progress: Progress | None = None,
    characters: Sequence[str] = (),
) -> tuple[Digest, CatchUp | None]:
    """The thread's digest now, and what changed since ``previous`` (the JSON a command
    stored from ``DigestState.of(digest).to_json()``); None when there is no readable
    previous state, and the caller shows the full digest instead."""
    digest = await summarize_thread(messages, engine, progress=progress, characters=characters)
    state = DigestState.from_json(previous)
    return digest, (catch_up(state, digest) if state is not None else None)


async def recap_channel(
    threads: Sequence[ChannelThread],
    engine: object,
    *,
    since: datetime | None = None,
    progress: Progress | None = None,
    characters: Sequence[str] = (),
) -> ChannelRecap:
    """Each thread of a channel's period summarized (through the model when there is
    one), for ``render_recap``."""
    model = chat_model(engine)
    if model is None:
        total = sum(len(t.messages) for t in threads)
        if total > OFFLINE_THREADS_IN_THREAD:
            return await asyncio.to_thread(
                recap_offline, threads, since=since, characters=characters
            )
        return recap_offline(threads, since=since, characters=characters)
    recap = ChannelRecap(since, engine=str(getattr(model, "name", "model")))
    busy = [t for t in threads if t.messages]
    for k, thread in enumerate(busy):
        if progress is not None:
            await progress(f"Summarizing thread {k + 1} of {len(busy)}", k / len(busy))
        digest = await summarize_thread(thread.messages, model, characters=characters)
        recap.threads.append(ThreadRecap(thread, digest))
    recap.threads.sort(key=lambda r: -r.digest.message_count)
    return recap


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
