"""How a portrait tells the room it is coming: estimates, places in line, steps, previews.

The waiting message is edited as the work moves (its place in line, then the steps with
a preview now and then), whether the image is made in this process or on a GPU worker
(commands/portrait_queue.py); the final image or the error replaces it.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.context import Context
from core.types import ImageRef, MessageHandle, Reply
from generation.images.base import ImageBackend, Progress
from generation.images.sheet import save_png


async def estimate(ctx: Context, backend: ImageBackend, plan: Any, count: int) -> str:
    """The waiting message's first words: how long, where that can be guessed."""
    if plan.device != "cpu":
        return "_Drawing…_" if plan.device == "none" else "_Making the image…_"
    per_step = await ctx.store.seconds_per_step(
        backend.name, backend.model, plan.width, plan.height
    )
    if per_step is None:
        return (
            f"_Running on the CPU ({plan.steps} steps, {count} image(s)); this is slow. "
            "I'll say how long it takes after the first step._"
        )
    guess = per_step * plan.steps * count
    return (
        f"_Running on the CPU: about {duration(guess)} ({plan.steps} steps, from the last "
        "runs of this model)._"
    )


def duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


@dataclass
class Reporter:
    """Queue places and steps, as edits of the waiting message and responder progress."""

    ctx: Context
    handle: MessageHandle
    waiting: Reply
    story_id: int
    previews: list[Path] = field(default_factory=list)
    """Preview files written so far, in the story's image folder (so /story forget takes
    them too); deleted when the job ends."""

    async def on_queue(self, ahead: int) -> None:
        await self.say(f"Waiting for the image device: {ahead} ahead of you.")

    async def say(self, text: str) -> None:
        """The waiting message says ``text`` (a place in line, a worker missing)."""
        await self.ctx.responder.update(self.handle, dataclasses.replace(self.waiting, body=text))
        await self.ctx.responder.progress(text)

    async def on_progress(self, p: Progress) -> None:
        left = f", about {duration(p.eta)} left" if p.eta is not None and p.step < p.total else ""
        text = f"Step {p.step} of {p.total}{left}"
        await self.ctx.responder.progress(text, p.fraction)
        if p.preview is not None:
            path = await asyncio.to_thread(
                save_png, p.preview, self.ctx.settings.data_dir, self.story_id, "preview"
            )
            self.previews.append(self.ctx.settings.data_dir / path)
            ref = ImageRef(
                str((self.ctx.settings.data_dir / path).resolve()),
                f"Preview, step {p.step}",
                "preview.png",
            )
            await self.ctx.responder.update(
                self.handle, dataclasses.replace(self.waiting, body=f"_{text}_", images=(ref,))
            )

    async def __aenter__(self) -> Reporter:
        return self

    async def __aexit__(self, *exc: object) -> None:
        """The final reply (or the error) has replaced the previews: delete their files."""
        await asyncio.shield(asyncio.to_thread(self._discard))

    def _discard(self) -> None:
        for file in self.previews:
            file.unlink(missing_ok=True)
        self.previews.clear()
