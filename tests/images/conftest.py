"""Shared fixtures: a real tiny Stable Diffusion model folder, built once per session, and a
responder that records everything a command sends."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, open_app
from bot.settings import Settings
from core.types import ChatMessage, MessageHandle, Place, Reply


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A StableDiffusionPipeline with random weights, saved with save_pretrained."""
    pytest.importorskip(
        "diffusers", reason="needs the images extra: pip install 'writersroom[images]'"
    )
    from generation.images.random_pipeline import save_random_pipeline

    folder = tmp_path_factory.mktemp("models") / "tiny-sd"
    yield save_random_pipeline(folder)


class Recorder:
    """A Responder that keeps every post, update and progress call, in order."""

    def __init__(self, place: Place | None = None) -> None:
        self.place = place or Place("terminal", "local", "general")
        self.events: list[tuple[str, Any]] = []
        self._ids = itertools.count(1)

    async def post(self, reply: Reply) -> MessageHandle:
        n = next(self._ids)
        thread = self.place.thread or f"t{n}"
        self.events.append(("post", reply))
        return MessageHandle(id=f"m{n}", place=self.place, thread=thread)

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        self.events.append(("update", reply))

    async def progress(self, text: str, fraction: float | None = None) -> None:
        self.events.append(("progress", (text, fraction)))

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        return []

    def replies(self) -> list[Reply]:
        return [r for kind, r in self.events if kind in ("post", "update")]

    def final(self) -> list[Reply]:
        return [r for r in self.replies() if not r.partial]

    def progress_events(self) -> list[tuple[str, float | None]]:
        return [p for kind, p in self.events if kind == "progress"]


@pytest.fixture
async def images_app(settings: Settings) -> AsyncIterator[App]:
    counter = itertools.count(100)
    async with open_app(settings, seeds=lambda: next(counter)) as opened:
        yield opened
