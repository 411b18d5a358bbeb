"""Storage latency on a lived-in bible: one character read and one character write, on
SQLite and on PostgreSQL side by side.

Builds a story with 200 characters and 10,000 revisions (through the public Store API:
character edits, then bulk outline rewrites, which record one revision per beat) in a
SQLite file in a temporary folder, and again in a database on a throwaway local
PostgreSQL cluster with its default durability (tests/pg.py; skipped with a line when
PostgreSQL is not installed), then times each operation over many iterations.

Target: p99 under 5 ms for reading one character (find_character) and for writing one
(update_character, one field), on both. Run: python -m bench storage
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from bench.common import median, percentile, run_loop, table
from core.models import edit_character, new_character
from core.types import Author
from storage import SQLStore, open_store

CHARACTERS = 200
REVISIONS = 10_000
BEATS_PER_REWRITE = 1_000
ITERATIONS = 500
WARMUP = 20
TARGET_P99_MS = 5.0

WRITER = Author("bench", "Bench")
KEY = ("bench", "local", "room")


async def build(store: SQLStore) -> tuple[int, float]:
    """A story with CHARACTERS characters and exactly REVISIONS revisions.

    Returns (story id, seconds taken). Each character is added and edited once; the rest
    of the revisions come from rewriting a long outline in bulk, since one replace_beats
    call records one revision per changed beat, in one transaction.
    """
    t0 = time.perf_counter()
    story = await store.ensure_story(KEY, WRITER)
    for i in range(CHARACTERS):
        sheet = new_character(
            f"Character {i:03d}",
            age=str(20 + i % 50),
            role="crew",
            aliases=f"C{i:03d}",
            backstory="Grew up on a salvage tug. " * 8,
        )
        await store.add_character(story.id, sheet, WRITER)
        await store.update_character(
            story.id,
            sheet.name,
            lambda c: edit_character(c, "want", "to get home"),
            WRITER,
            "edited: want",
        )
    left = REVISIONS - 1 - 2 * CHARACTERS  # minus the story's creation
    take = 0
    while left > 0:
        # The first rewrite creates every beat; later ones change the first `changed`.
        changed = min(left, BEATS_PER_REWRITE)
        await store.replace_beats(
            story.id,
            [
                (1 + n // 100, f"Beat {n}, take {take if n < changed else take - 1}")
                for n in range(BEATS_PER_REWRITE)
            ],
            WRITER,
        )
        left -= changed if take else BEATS_PER_REWRITE
        take += 1
    return story.id, time.perf_counter() - t0


async def timed(op: Callable[[int], Awaitable[Any]]) -> list[float]:
    """Milliseconds per call of ``op(i)``, after a short warm-up."""
    for i in range(WARMUP):
        await op(i)
    samples = []
    for i in range(ITERATIONS):
        t0 = time.perf_counter()
        await op(WARMUP + i)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def row(measure: str, samples: list[float], target: float | None) -> dict[str, object]:
    p99 = percentile(samples, 99)
    return {
        "measure": measure,
        "n": len(samples),
        "p50 ms": f"{median(samples):.3f}",
        "p99 ms": f"{p99:.3f}",
        "max ms": f"{max(samples):.3f}",
        "target": f"p99 < {target:g} ms" if target is not None else "",
        "ok": ("yes" if p99 < target else "NO") if target is not None else "",
    }


@contextlib.contextmanager
def targets() -> Iterator[list[tuple[str, str | Path]]]:
    """(engine, database) pairs: a SQLite file, and a PostgreSQL database when installed."""
    from tests.pg import PostgresMissing, running_cluster

    with tempfile.TemporaryDirectory() as tmp:
        found: list[tuple[str, str | Path]] = [("SQLite (WAL)", Path(tmp) / "bench.db")]
        try:
            with running_cluster(durable=True) as cluster:
                found.append(("PostgreSQL 127.0.0.1", cluster.database()))
                yield found
                return
        except PostgresMissing as exc:
            print(f"PostgreSQL: not measured ({exc})")
        yield found


async def run() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with targets() as found:
        for engine, target in found:
            for r in await run_one(target):
                r["engine"] = engine
                rows.append(r)
    return rows


async def run_one(target: str | Path) -> list[dict[str, object]]:
    store = await open_store(target)
    try:
        story_id, build_s = await build(store)
        revisions = len(await store.history(story_id, limit=REVISIONS * 2))

        async def read(i: int) -> None:
            found = await store.find_character(story_id, f"character {i % CHARACTERS:03d}")
            assert found is not None

        async def write(i: int) -> None:
            await store.update_character(
                story_id,
                f"Character {i % CHARACTERS:03d}",
                lambda c: edit_character(c, "age", str(i)),
                WRITER,
                "edited: age",
            )

        async def history(i: int) -> None:
            await store.history(story_id, limit=20)

        rows = [
            row("read one character (find_character)", await timed(read), TARGET_P99_MS),
            row(
                "write one character (update_character, 1 field)",
                await timed(write),
                TARGET_P99_MS,
            ),
            row("history, 20 newest", await timed(history), None),
        ]
        for r in rows:
            r["db"] = f"{CHARACTERS} characters, {revisions} revisions, built in {build_s:.1f} s"
        return rows
    finally:
        await store.close()


def main() -> None:
    rows = run_loop(run())
    print(f"Storage latency, {ITERATIONS} iterations each; {rows[0]['db']}")
    columns = ["engine", "measure", "n", "p50 ms", "p99 ms", "max ms", "target", "ok"]
    print(table(rows, columns))


if __name__ == "__main__":
    main()
