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
import time
from collections.abc import Callable, Coroutine
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
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(main)


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
