"""The start lane: new requests go through their first steps a few at a time, oldest first.

asyncio runs every ready task in turn, so under a burst a hundred requests advance
together one step at a time, and none of them reaches the model before all of them have
been prepared. Their answers then come back together and queue behind each other for the
loop. Through the lane, the oldest requests are prepared first and reach the model one
after another, so their answers come back as spread out as they left, and each is
finished while the next is still on its way.

A request holds its pass from the moment its listener's work starts (an adapter enters
the lane after its acknowledgment; the pass travels in the context to the job the work
queues) until one of these comes first:

- its request to a model has left (``asking_the_model``, around ``Context.write`` and a
  request read by the model's tools: the engine says when its request is written);
- its work and the job it queued have ended;
- ``HOLD`` seconds have passed, so a request slow to prepare (one reading a long thread)
  holds the others back by that much at most.

Acknowledgments never wait for the lane: they are sent before the work starts. Work a
request can do later than the others' model requests (posting a "Writing…" placeholder)
waits for the lane to go idle: no request waiting and every pass left
(``after_the_queue``). Waiting only for the queue to empty let a hundred placeholders go
out while the last requests were still being prepared, and held their model requests
back by as long (`python -m bench mentions`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

from generation.base import REQUEST_SENT

T = TypeVar("T")

WIDTH = 4
"""Requests prepared at once. More than one, so the lane never idles while a request
waits on the database's thread or a quick HTTP call."""
HOLD = 0.05
"""Seconds a pass is held at most."""
WAIT_MAX = 0.5
"""Seconds work that can wait for the lane to go idle (``after_the_queue``) waits at most."""


class Pass:
    """One request's place in the lane, held by its work and the job it queued."""

    def __init__(self, lane: StartLane) -> None:
        self._lane = lane
        self._holders = 0
        self._left = False
        lane.entered()
        self._timer = asyncio.get_running_loop().call_later(lane.hold, self.leave)

    @property
    def left(self) -> bool:
        return self._left

    def hold(self) -> None:
        self._holders += 1

    def drop(self) -> None:
        """One holder is done; the pass is left when the last one is."""
        self._holders -= 1
        if self._holders <= 0:
            self.leave()

    def leave(self) -> None:
        """Let the next request in (once; later calls do nothing)."""
        if self._left:
            return
        self._left = True
        self._timer.cancel()
        self._lane.left()


CURRENT: contextvars.ContextVar[Pass | None] = contextvars.ContextVar(
    "writersroom_start_lane", default=None
)
"""The pass of the request whose work runs here (None outside the lane)."""


class StartLane:
    def __init__(self, width: int = WIDTH, hold: float = HOLD) -> None:
        self.hold = hold
        self._free = asyncio.Semaphore(width)
        self._waiting = 0
        self._inside = 0
        """Passes not left yet; the lane is idle when none is held and nobody waits."""
        self._after: list[asyncio.Future[None]] = []
        """Work waiting for the lane to go idle (``after_the_queue``)."""

    def entered(self) -> None:
        self._inside += 1

    def left(self) -> None:
        self._inside -= 1
        self._free.release()
        self._settle()

    @property
    def _idle(self) -> bool:
        return not self._waiting and not self._inside

    def _settle(self) -> None:
        if not self._idle:
            return
        after, self._after = self._after, []
        for waiter in after:
            _wake(waiter)

    async def after_the_queue(
        self, at_most: float = WAIT_MAX, sooner: asyncio.Future[None] | None = None
    ) -> None:
        """Wait until the lane is idle, no request waiting and every pass left, for at
        most ``at_most`` seconds, or until ``sooner`` is done: for work a request can do
        later, such as posting a "Writing…" placeholder, so its own model request and
        those of the requests behind it leave first (``sooner``: the model has answered,
        and the placeholder is wanted now)."""
        if self._idle or (sooner is not None and sooner.done()):
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._after.append(waiter)
        timer = loop.call_later(at_most, _wake, waiter)
        if sooner is not None:
            sooner.add_done_callback(lambda _: _wake(waiter))
        try:
            await waiter
        finally:
            timer.cancel()
            with contextlib.suppress(ValueError):
                self._after.remove(waiter)

    async def through(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` (a request's work after its ack) with a pass of the lane; work
        started inside another request's work goes on with that request's pass."""
        held = CURRENT.get()
        if held is not None and not held.left:
            return await work
        self._waiting += 1
        try:
            await self._free.acquire()
        except BaseException:
            work.close()
            self._waiting -= 1
            self._settle()
            raise
        self._waiting -= 1
        ticket = Pass(self)
        ticket.hold()
        token = CURRENT.set(ticket)  # tasks the work starts carry it in their context
        try:
            return await work
        finally:
            CURRENT.reset(token)
            ticket.drop()


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def current() -> Pass | None:
    """The pass held where this runs, if it is still held."""
    held = CURRENT.get()
    return held if held is not None and not held.left else None


@contextlib.contextmanager
def asking_the_model(engine: object) -> Iterator[None]:
    """The request whose work runs here asks ``engine`` inside the block: its pass is left
    as soon as the engine has sent its request (``REQUEST_SENT``), or when the block ends.
    An engine that does not say when (no ``reports_sent``: the offline one, which writes
    on the loop and streams its draft in steps) lets the next request in at once."""
    held = CURRENT.get()
    if held is None or held.left:
        yield
        return
    if not getattr(engine, "reports_sent", False):
        held.leave()
        yield
        return
    token = REQUEST_SENT.set(held.leave)
    try:
        yield
    finally:
        REQUEST_SENT.reset(token)
        held.leave()
