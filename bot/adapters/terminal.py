"""The terminal adapter: a real adapter over the same dispatcher as Slack and Discord.

With a TTY it shows a prompt with line editing and history; with piped stdin it reads one
input per line, prints each reply and exits at end of input (the scripting contract other
checks rely on). Streams are injectable, which makes it the end-to-end test harness.

A line starting with "/" is a command; any other line continues the last reply's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.adapters.terminal_render import render
from bot.app import App
from core.errors import CommandError
from core.types import (
    Author,
    Capabilities,
    ChatMessage,
    HistoryThread,
    MessageHandle,
    Place,
    Reply,
    Shown,
)

CAPABILITIES = Capabilities(
    upload_files=False, edit_messages=True, make_threads=True, max_message_chars=100_000
)
_EXIT = {"/quit", "/exit", "quit", "exit"}


@dataclass
class TerminalResponder:
    """Prints replies. A reply outside a thread starts a new thread (t1, t2, …)."""

    out: TextIO
    place: Place
    ansi: bool = False
    threads: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    last_thread: str | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _write(self, text: str) -> None:
        self.out.write(text + "\n\n")
        self.out.flush()

    async def post(self, reply: Reply) -> MessageHandle:
        thread = self.place.thread or f"t{next(self.threads)}"
        handle = MessageHandle(id=f"m{next(self._ids)}", place=self.place, thread=thread)
        if reply.partial:
            if self.ansi:
                self.out.write(f"\x1b[2m… {reply.title or 'working'}\x1b[0m\n")
                self.out.flush()
        else:
            self._write(render(reply, ansi=self.ansi))
        if reply.tone == "result" or reply.partial:
            self.last_thread = thread
        return handle

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        if not reply.partial:
            self._write(render(reply, ansi=self.ansi))

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        return []  # the terminal has no platform history; paste a thread instead

    async def channel_history(self, since: datetime, limit: int = 5_000) -> list[HistoryThread]:
        raise CommandError(
            "The terminal keeps no channel history, so there is nothing to recap here. "
            "Paste a thread after /summarize thread instead."
        )

    async def shown(self, job: str, since: float, handle: MessageHandle | None) -> Shown | None:
        return None  # the terminal's output is not read back

    async def progress(self, text: str, fraction: float | None = None) -> None:
        if self.ansi:
            pct = f" {fraction:.0%}" if fraction is not None else ""
            self.out.write(f"\x1b[2m… {text}{pct}\x1b[0m\n")
            self.out.flush()


class Terminal:
    def __init__(
        self,
        app: App,
        *,
        channel: str = "general",
        user: str = "you",
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        interactive: bool | None = None,
    ) -> None:
        self.app = app
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = self.stdin.isatty() if interactive is None else interactive
        self.place = Place("terminal", "local", channel)
        self.author = Author(id=f"terminal:{user}", name=user, manager=True)
        self.last_thread: str | None = None
        self._threads = itertools.count(1)

    async def handle_line(self, line: str) -> None:
        """One input, answered before this returns."""
        text = line.strip()
        if not text:
            return
        is_command = text.startswith("/")
        place = self.place if is_command else self.place.in_thread(self.last_thread)
        responder = TerminalResponder(
            self.stdout, place, ansi=self.interactive, threads=self._threads
        )
        job = await self.app.dispatcher.handle_text(
            text, place, self.author, responder, CAPABILITIES
        )
        if job is not None:
            await job.wait()
        if responder.last_thread is not None:
            self.last_thread = responder.last_thread

    async def resume(self) -> None:
        """After a restart: run this channel's queued jobs, report its interrupted ones."""

        def responder_for(place: Place, answer: Place) -> TerminalResponder | None:
            if place.story_key != self.place.story_key:
                return None  # another terminal channel's job is not ours to print
            return TerminalResponder(
                self.stdout, answer, ansi=self.interactive, threads=self._threads
            )

        for job in await self.app.resume("terminal", responder_for):
            await job.wait()

    async def run(self) -> int:
        if self.interactive:
            self._setup_readline()
            self.stdout.write("writersroom: type /help to start, Ctrl-D to leave.\n")
        await self.resume()
        while True:
            line = await _in_daemon_thread(self._read)
            if line is None:
                break
            if self.interactive and line.strip().lower() in _EXIT:
                break
            await self.handle_line(line)
        return 0

    def _read(self) -> str | None:
        if self.interactive:
            try:
                return input(f"#{self.place.channel}> ")
            except EOFError:
                self.stdout.write("\n")
                return None
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    def _setup_readline(self) -> None:
        try:
            import readline
        except ImportError:  # pragma: no cover - Windows
            return
        history = Path(self.app.settings.data_dir) / ".shell_history"
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
        readline.set_history_length(1000)
        import atexit

        atexit.register(_save_history, history)
        names = sorted({f"/{s.name}" for s in self.app.registry})

        def complete(text: str, state: int) -> str | None:
            matches = [n for n in names if n.startswith(text)]
            return matches[state] if state < len(matches) else None

        readline.set_completer(complete)
        readline.set_completer_delims(" ")
        readline.parse_and_bind("tab: complete")


async def _in_daemon_thread(read: Callable[[], str | None]) -> str | None:
    """Run a blocking read in a daemon thread: a SIGTERM while it waits for input must
    not keep the process alive (asyncio.to_thread's pool is joined at exit)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def work() -> None:
        try:
            result: str | None = read()
        except BaseException as exc:  # handed to the loop
            loop.call_soon_threadsafe(_settle, future, None, exc)
        else:
            loop.call_soon_threadsafe(_settle, future, result, None)

    threading.Thread(target=work, name="terminal-stdin", daemon=True).start()
    return await future


def _settle(
    future: asyncio.Future[str | None], result: str | None, exc: BaseException | None
) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


def _save_history(path: Path) -> None:
    try:
        import readline

        readline.write_history_file(path)
    except OSError:
        pass
