"""The event loop the bot runs on.

Every platform, every channel and every model stream share one event loop, so its own cost
per callback is paid thousands of times a second under load. uvloop (libuv under asyncio's
API) roughly halves that cost; it is a dependency wherever it builds (Linux, macOS) and is
used by default. ``WRITERSROOM_EVENT_LOOP=asyncio`` picks the standard loop instead, for
debugging or a platform without uvloop.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import time
from collections.abc import Callable, Coroutine, Generator
from types import CodeType, TracebackType
from typing import Any, Literal, TypeVar

from core.errors import ConfigError

EventLoopChoice = Literal["auto", "uvloop", "asyncio"]
EVENT_LOOPS: tuple[EventLoopChoice, ...] = ("auto", "uvloop", "asyncio")

LoopFactory = Callable[[], asyncio.AbstractEventLoop]
T = TypeVar("T")

log = logging.getLogger(__name__)


def _uvloop_factory() -> LoopFactory | None:
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def loop_factory(choice: EventLoopChoice = "auto") -> tuple[str, LoopFactory]:
    """The loop's name and a factory for it: uvloop for "auto" when it is installed."""
    if choice == "asyncio":
        return "asyncio", asyncio.new_event_loop
    uv = _uvloop_factory()
    if uv is not None:
        return "uvloop", uv
    if choice == "uvloop":
        raise ConfigError(
            "WRITERSROOM_EVENT_LOOP=uvloop, but uvloop is not installed "
            "(pip install uvloop; it does not build on Windows). "
            "Use WRITERSROOM_EVENT_LOOP=asyncio or leave it unset."
        )
    return "asyncio", asyncio.new_event_loop


def run(main: Coroutine[Any, Any, T], choice: EventLoopChoice = "auto") -> T:
    """``asyncio.run`` on the chosen loop."""
    try:
        name, factory = loop_factory(choice)
    except ConfigError:
        main.close()  # never awaited; say so quietly instead of a RuntimeWarning
        raise
    log.info("event loop: %s", name)

    def new_loop() -> asyncio.AbstractEventLoop:
        loop = factory()
        if sys.version_info < (3, 12):
            loop.set_task_factory(request_bodies_now)
        return loop

    with asyncio.Runner(loop_factory=new_loop) as runner:
        return runner.run(main)


def _writes_a_request_body(code: CodeType | None) -> bool:
    return (
        code is not None
        and code.co_qualname == "ClientRequest.write_bytes"
        and "aiohttp" in code.co_filename
    )


def request_bodies_now(
    loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any
) -> asyncio.Future[Any]:
    """The loop's task factory on Python 3.11: an aiohttp request's body is written at
    once, as aiohttp itself does on 3.12 and later (an eager task), instead of in a task
    that waits its turn; every other task is made as usual.

    aiohttp holds a request's headers back to send them with its body, and on 3.11 the
    body goes out from a task at the back of the loop's queue. Under a burst, the queue
    holds every other request's work, so no request to the model or to Slack left
    before all of them had been prepared: 100 mentions' model requests left together at
    the end of the burst instead of one by one, came back together, and their replies
    queued behind each other (`python -m bench mentions`: final reply p99 1.28-1.34 s
    before, 1.19-1.22 s after, warm). A body that cannot be written at once (the socket's
    buffer is full) goes on in a task from where it stopped."""
    if not _writes_a_request_body(getattr(coro, "cr_code", None)):
        return asyncio.Task(coro, loop=loop, **kwargs)
    try:
        waiting_on = coro.send(None)
    except StopIteration as stop:
        done: asyncio.Future[Any] = loop.create_future()
        done.set_result(stop.value)
        return done
    except (KeyboardInterrupt, SystemExit):
        raise  # as a task's step would
    except asyncio.CancelledError:
        cancelled: asyncio.Future[Any] = loop.create_future()
        cancelled.cancel()
        return cancelled
    except Exception as exc:  # aiohttp's writer sets its own errors on the response
        failed: asyncio.Future[Any] = loop.create_future()
        failed.set_exception(exc)
        return failed
    return asyncio.Task(_Resumed(coro, waiting_on), loop=loop, **kwargs)


class _Resumed(Coroutine[Any, Any, Any]):
    """A coroutine already started, for a task to go on with: its first step hands the
    task what the coroutine is waiting on; every later one is the coroutine's own."""

    def __init__(self, coro: Coroutine[Any, Any, Any], waiting_on: Any) -> None:
        self._coro = coro
        self._waiting_on: Any = waiting_on
        self._started = False

    def send(self, value: Any) -> Any:
        if not self._started:
            self._started = True
            return self._waiting_on
        return self._coro.send(value)

    def throw(
        self,
        typ: type[BaseException] | BaseException,
        val: BaseException | object = None,
        tb: TracebackType | None = None,
    ) -> Any:
        self._started = True
        if val is None and tb is None:
            return self._coro.throw(typ)
        return self._coro.throw(typ, val, tb)  # type: ignore[arg-type]

    def close(self) -> None:
        self._coro.close()

    def __await__(self) -> Generator[Any, None, Any]:
        return (yield from self)

    def __iter__(self) -> _Resumed:
        return self

    def __next__(self) -> Any:
        return self.send(None)


GC_THRESHOLDS = (10_000, 20, 100)
"""The cyclic collector's thresholds once serving (gc.set_threshold); see settle_heap."""


def settle_heap() -> None:
    """Call once the process is ready to serve: collect what starting left behind, then
    freeze the rest (modules, classes, the app and its adapters) so the cyclic collector
    never scans it again. A started bot holds ~120,000 tracked objects; a full collection
    over them took 60-110 ms on a 2-core machine, and it comes when the heap grows fastest,
    in the middle of a burst of requests, stopping the loop for all of them. Frozen, a
    full collection scans only what the service made since (under 10 ms in the same
    burst). Nothing frozen is ever freed, which is what a process-long heap wants.

    The young generation is collected every GC_THRESHOLDS[0] allocations instead of 700:
    a burst keeps its requests' objects alive while it lasts, so at 700 each of ~80
    young collections in a burst of 100 mentions re-scanned them and promoted them, and
    every tenth became an older collection (1-2 ms each): 25-40 ms of the loop per burst.
    At 10,000 the same burst makes 4-5 young collections (3-4 ms each) and no older one
    (`python -m bench mentions`, measured with gc.callbacks)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def sleep_until(deadline: float, clock: Callable[[], float] = time.monotonic) -> None:
    """Sleep until ``clock()`` reaches ``deadline``. uvloop's timers have millisecond
    granularity and may wake a little early, so the clock is read again after each sleep
    (rate limits such as one edit a second must hold to the millisecond)."""
    delay = deadline - clock()
    while delay > 0:
        await asyncio.sleep(delay)
        delay = deadline - clock()
