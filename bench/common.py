"""Small helpers for the benchmarks: the event loop, helper processes, percentiles and a
plain-text table."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import statistics
from collections.abc import Coroutine, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from bot import runtime
from bot.settings import load_settings

T = TypeVar("T")


def event_loop() -> str:
    """The loop the bot would run on here (WRITERSROOM_EVENT_LOOP; uvloop when installed)."""
    return runtime.loop_factory(load_settings(dotenv=None).event_loop)[0]


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run a benchmark on the event loop production uses, so figures match production."""
    return runtime.run(main, load_settings(dotenv=None).event_loop)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([line, sep, *body])


@contextlib.contextmanager
def helper_process(target: Any, *args: Any) -> Iterator[tuple[Any, Connection]]:
    """A helper process that sends one value (its URL) and runs until we hang up: that
    value, and our end of its pipe (to ask it more before then)."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=target, args=(*args, child), daemon=True)
    proc.start()
    try:
        yield parent.recv(), parent
    finally:
        with contextlib.suppress(OSError):
            parent.send("stop")
        parent.close()
        proc.join(10)
        if proc.is_alive():
            proc.terminate()


@contextlib.contextmanager
def child_process(target: Any, *args: Any) -> Iterator[Any]:
    """A helper process that sends one value (its URL) and runs until we hang up."""
    with helper_process(target, *args) as (value, _pipe):
        yield value
