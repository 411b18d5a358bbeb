"""Live updates: every open board hears of every change to its channel's story.

One ``Hub`` per server watches the channels that have a board open, from the database
(storage's ``board_marks``: the active story, its newest revision and the link
generation, for every watched channel in one snapshot), so a change made anywhere is
seen: a drag on this server, a command in chat, another process. It looks every
``poll`` seconds while a board is open, and at once when this server made a change
(``poke``). A changed channel's board is read and rendered once, and handed to each of
its viewers; a viewer holds only the newest update, so a slow browser never makes a
queue. The task runs only while someone watches; ``close`` ends every stream (shutdown).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from commands.board_page import BoardView, page
from core.types import StoryKey
from storage.api import BoardMark, Store

log = logging.getLogger(__name__)

POLL = 0.25
"""Seconds between two looks at the database while a board is open."""
MAX_WAIT = 5.0
"""The longest wait between two looks while the database keeps failing."""


@dataclass(frozen=True, slots=True)
class Update:
    """A channel's board as it now is: its version, link generation and HTML."""

    version: int
    generation: int
    html: str


class Viewer:
    """One open page's slot: the newest update not yet sent, and a wake-up."""

    def __init__(self) -> None:
        self._latest: Update | None = None
        self._ready = asyncio.Event()
        self.closed = False

    def push(self, update: Update) -> None:
        self._latest = update
        self._ready.set()

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def next(self, wait: float) -> Update | None:
        """The newest update, or None after ``wait`` seconds (or once closed)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), wait)
        self._ready.clear()
        update, self._latest = self._latest, None
        return update


@dataclass
class _Channel:
    viewers: set[Viewer] = field(default_factory=set)
    mark: BoardMark | None = None
    latest: Update | None = None


class Hub:
    def __init__(
        self, store: Store, render: Callable[[BoardView], str], *, poll: float = POLL
    ) -> None:
        self.store = store
        self.render = render
        self.poll = poll
        self._channels: dict[StoryKey, _Channel] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @contextlib.asynccontextmanager
    async def watch(self, key: StoryKey) -> AsyncIterator[Viewer]:
        """A viewer of ``key``'s board for as long as the block runs."""
        viewer = Viewer()
        if self._closed:
            viewer.close()
        channel = self._channels.setdefault(key, _Channel())
        channel.viewers.add(viewer)
        if channel.latest is not None:
            viewer.push(channel.latest)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="board-hub")
        try:
            yield viewer
        finally:
            channel.viewers.discard(viewer)
            if not channel.viewers and self._channels.get(key) is channel:
                del self._channels[key]

    def poke(self) -> None:
        """Something changed here: look now rather than at the next poll."""
        self._wake.set()

    @property
    def watched(self) -> int:
        return sum(len(c.viewers) for c in self._channels.values())

    async def close(self) -> None:
        self._closed = True
        for channel in list(self._channels.values()):
            for viewer in list(channel.viewers):
                viewer.close()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        failures = 0
        while self._channels and not self._closed:
            self._wake.clear()
            try:
                await self._round()
                failures = 0
            except Exception:
                failures += 1  # the database away, say: said once, then retried slower
                log.log(
                    logging.ERROR if failures == 1 else logging.DEBUG,
                    "board updates: a round failed; trying again",
                    exc_info=True,
                )
            wait = min(self.poll * 2**failures, MAX_WAIT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _round(self) -> None:
        keys = list(self._channels)
        marks = await self.store.board_marks(keys)
        for key, mark in marks.items():
            channel = self._channels.get(key)
            if channel is None or channel.mark == mark:
                continue
            view = await page(self.store, key, mark)
            update = Update(view.version, mark.generation, self.render(view))
            channel.mark, channel.latest = mark, update
            for viewer in list(channel.viewers):
                viewer.push(update)
