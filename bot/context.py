"""The one explicit context a command handler gets, and the resources behind it.

``Context[DialogueArgs]`` is the context of /dialogue: ``ctx.args.situation`` is a ``str``,
checked by mypy. A bare ``Context`` is any command's (helpers that serve many commands).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol

from typing_extensions import TypeVar

from bot import lane
from bot.registry import Registry
from bot.settings import Settings
from core.models import Story, StoryKey
from core.types import Args, Author, Invocation, MessageHandle, Place, Reply, Responder
from generation.base import Draft, OnText, TextEngine, WritingTask
from storage.api import Store

if TYPE_CHECKING:
    from generation.images.base import ImageBackend
    from storage.queue.client import ImageQueue


class JobControl(Protocol):
    """What a command may ask of the jobs (the runner implements it, bot/jobs.py)."""

    async def stop_channel(self, key: StoryKey, keep: str | None = None) -> int:
        """Stop every queued or running job of the channel ``key`` but ``keep``, in this
        process or any other on the database; returns how many were asked to stop."""
        ...

    @property
    def stopping(self) -> bool:
        """The process is shutting down: a job cancelled now is parked for a takeover,
        not stopped for good (an image on a worker goes on being made)."""
        ...

    async def after_the_queue(self, sooner: asyncio.Future[None] | None = None) -> None:
        """Return once the requests being prepared have reached their model (bot/lane.py),
        or soon after, or once ``sooner`` is done."""
        ...

    def retryable(self, job_id: str) -> None:
        """The job failed in a way Retry may mend: it ends "interrupted" (reported), so
        the Retry button its reply carries runs it again, once."""
        ...


_SYSTEM_RANDOM = random.SystemRandom()
"""One for the process: making a SystemRandom seeds a Mersenne Twister it never uses
(~0.1 ms, paid on every draft when it was made per seed)."""


def _system_seed() -> int:
    return _SYSTEM_RANDOM.randrange(1, 2**31)


@dataclass
class Resources:
    """What the app's lifespan opened, passed down to every command (never globals)."""

    settings: Settings
    store: Store
    engine: TextEngine
    seeds: Callable[[], int] = _system_seed
    images: ImageBackend | None = None
    """The image backend (None: commands draw offline placeholder cards)."""
    jobs: JobControl | None = None
    """The job runner, for commands that stop other jobs (/story forget)."""
    queue: ImageQueue | None = None
    """The image queue to GPU workers (None: images are made in this process)."""


A = TypeVar("A", bound=Args, default=Any)


@dataclass
class Context(Generic[A]):
    """Everything a handler may use: what was asked, where, and how to answer."""

    inv: Invocation[A]
    resources: Resources
    responder: Responder
    registry: Registry
    job_id: str | None = None
    """The job this handler runs as (the Cancel button's ref); None outside a job."""

    @property
    def args(self) -> A:
        """The command's typed arguments, checked where the request came in."""
        return self.inv.args

    @property
    def place(self) -> Place:
        return self.inv.place

    @property
    def author(self) -> Author:
        return self.inv.author

    @property
    def store(self) -> Store:
        return self.resources.store

    @property
    def engine(self) -> TextEngine:
        return self.resources.engine

    @property
    def settings(self) -> Settings:
        return self.resources.settings

    def new_seed(self) -> int:
        return self.resources.seeds()

    async def story(self) -> Story:
        """This channel's active story, created on first use."""
        return await self.store.ensure_story(self.place.story_key, self.author)

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        """Ask the engine for a draft and record the tokens it used against this channel."""
        with lane.asking_the_model(self.engine):  # the next one's turn once this has left
            draft = await self.engine.write(task, on_text)
        if draft.usage is not None:
            await self.store.record_usage(self.place.story_key, self.author.id, draft.usage)
        return draft

    async def after_the_queue(self, sooner: asyncio.Future[None] | None = None) -> None:
        """Wait while requests are prepared up to their model requests (bot/lane.py), for
        work that can come later than theirs; ``sooner``: done when it is wanted now."""
        if self.resources.jobs is not None:
            await self.resources.jobs.after_the_queue(sooner)

    async def reply(self, reply: Reply) -> MessageHandle:
        return await self.responder.post(reply)
