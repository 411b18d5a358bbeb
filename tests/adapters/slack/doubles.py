"""Test doubles that are real implementations: text engines and small CommandSpecs.

The engines implement ``generation.base.TextEngine``; the commands are real registry
entries that exercise what the Slack Responder must do (stream, progress, images, long
replies, reading a thread) without depending on what the writing commands say.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.context import Context
from bot.params import internal, param
from bot.registry import CommandSpec
from core.types import Action, Args, ImageRef, NoArgs, Reply
from generation.base import Draft, OnText, WritingTask

HOSTILE = (
    "Ping <!channel> <!here> <!everyone> <@U999> <#C999> <!subteam^S1|@cast> "
    "<https://evil.example|totally safe> and @here @channel @everyone"
)


class GatedEngine:
    """Writes nothing until ``gate`` is set: an engine that is still thinking."""

    name = "gated test engine"

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.started = asyncio.Event()

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        self.started.set()
        await self.gate.wait()
        return Draft(text=f"A {task.kind} written at last.", engine=self.name)


class HostileEngine:
    """A model that writes every special sequence Slack would act on."""

    name = "hostile <!channel> model @here"

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        direction = str(task.params.get("direction") or task.params.get("situation") or "")
        return Draft(text=f"{HOSTILE}\n\nAsked: {direction}", engine=self.name)


class StreamingEngine:
    """Streams ``steps`` growing texts ``pause`` seconds apart (``word`` and a number
    each), then finishes."""

    name = "streaming test engine"

    def __init__(self, steps: int = 40, pause: float = 0.01, word: str = "word") -> None:
        self.steps, self.pause, self.word = steps, pause, word

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        text = ""
        for i in range(self.steps):
            text += f"{self.word}{i} "
            if on_text is not None:
                await on_text(text)
            await asyncio.sleep(self.pause)
        return Draft(text=text.strip() + " THE END", engine=self.name)


# --- commands ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StreamArgs(Args):
    n: int = param("How many", default=60)


@dataclass(frozen=True, slots=True)
class LongArgs(Args):
    n: int = param("How many words", default=20_000)


@dataclass(frozen=True, slots=True)
class ThreadArgs(Args):
    delivery: Literal["thread", "private"] = internal("thread")


async def _stream(ctx: Context[StreamArgs]) -> None:
    """Many partial updates as fast as possible, then the final one."""
    handle = await ctx.reply(Reply(title="Stream", body="_starting…_", partial=True))
    for i in range(ctx.args.n):
        await ctx.responder.update(handle, Reply(title="Stream", body=f"step {i}", partial=True))
        await asyncio.sleep(0.005)
    await ctx.responder.update(
        handle, Reply(title="Stream", body="all done", actions=(Action("cancel", "Cancel", "x"),))
    )


async def _long(ctx: Context[LongArgs]) -> None:
    n = ctx.args.n
    words = [f"w{i}" for i in range(n)]
    body = "\n\n".join(" ".join(words[i : i + 250]) for i in range(0, n, 250))
    handle = await ctx.reply(Reply(title="Long", body="_Writing…_", partial=True))
    await ctx.responder.update(
        handle,
        Reply(
            title="Long",
            body=body,
            footer="test engine",
            actions=(Action("continue", "Continue", "1"),),
        ),
    )


async def _picture(ctx: Context[NoArgs]) -> None:
    path = Path(ctx.settings.data_dir) / "mara.png"
    path.write_bytes(tiny_png())
    handle = await ctx.reply(Reply(title="Portrait · Mara", body="_Painting…_", partial=True))
    for step in (1, 2, 3):
        await ctx.responder.progress(f"step {step}/3", step / 3)
        await asyncio.sleep(0.25)
    await ctx.responder.update(
        handle,
        Reply(
            title="Portrait · Mara",
            body="Mara, in the airlock light.",
            footer="offline painter",
            images=(ImageRef(str(path), "Mara, a pilot in her thirties", "mara.png"),),
            actions=(Action("variations", "Variations", "5"),),
        ),
    )


async def _summarize_thread(ctx: Context[ThreadArgs]) -> None:
    """Reads the thread through the responder, as /summarize thread will."""
    history = await ctx.responder.thread_history()
    if not history:
        await ctx.reply(Reply.info("No thread to summarize here."))
        return
    who = sorted({m.author for m in history})
    await ctx.reply(
        Reply(
            title="Thread summary",
            body=(
                f"{len(history)} messages by {', '.join(who)}. "
                f"First: {history[0].link} Last: {history[-1].link}\n\n> {history[-1].text}"
            ),
            private=ctx.args.delivery == "private",
        )
    )


STREAM = CommandSpec(
    "stream",
    "Stream many partial updates (test).",
    _stream,
    StreamArgs,
    job="text",
)
LONG = CommandSpec(
    "long",
    "A very long reply (test).",
    _long,
    LongArgs,
    job="text",
)
PICTURE = CommandSpec("picture", "An image with progress (test).", _picture, NoArgs, job="image")
SUMMARIZE = CommandSpec(
    "summarize",
    "Summaries (test stand-in).",
    subcommands=(
        CommandSpec(
            "thread",
            "Summarize this thread.",
            _summarize_thread,
            ThreadArgs,
            job="text",
            needs_thread=True,
        ),
    ),
)


def tiny_png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc8\x50\x30")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
