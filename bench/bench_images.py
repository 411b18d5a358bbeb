"""Image generation: in the bot process, and through the queue to worker processes.

    python -m bench images

First table: the diffusers backend in this process with the tiny random pipeline the
tests use (64x64): seconds per image and the event loop's worst lag while one runs (the
backend's overhead and the loop's responsiveness, not a real model's speed).

Second table (needs PostgreSQL; skipped with a line without it): the image queue on a
throwaway cluster with its default durability, ``python -m bot worker`` processes with
the tiny pipeline (QUEUE_STEPS steps), and this process as the bot process (the app, the
dispatcher, /portrait through the queue; it never imports torch for it): jobs per minute
with one and two workers (a burst of BURST portraits), the queue's overhead per job
(enqueue to start, jobs one at a time, so nothing waits in line) p50/p99, and the bot
process's worst event-loop lag meanwhile (target under 50 ms). The workers run at a
lower CPU priority (nice 10): they stand in for GPU machines, which would not take the
bot process's CPU at all.

Real Stable Diffusion figures on a GPU: bench/gpu_images.py.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import median, run_loop, table

REPEATS = 3
STEPS = (1, 4, 25)


async def worst_lag(stop: asyncio.Event, tick: float = 0.005) -> float:
    """The longest the loop was late waking a 5 ms sleeper, until ``stop``."""
    worst = 0.0
    while not stop.is_set():
        t0 = time.perf_counter()
        await asyncio.sleep(tick)
        worst = max(worst, time.perf_counter() - t0 - tick)
    return worst


async def _in_process(folder: Path, label: str) -> list[dict[str, object]]:
    from generation.images.base import ImageRequest
    from generation.images.diffusers_backend import DiffusersBackend

    backend = DiffusersBackend(folder)
    rows: list[dict[str, object]] = []
    try:
        await backend.generate(ImageRequest(prompts=("warm up",), seed=1, steps=1))
        device = await backend.device()
        for steps in STEPS:
            seconds, lags = [], []
            for i in range(REPEATS):
                stop = asyncio.Event()
                tick = asyncio.create_task(worst_lag(stop))
                t0 = time.perf_counter()
                await backend.generate(
                    ImageRequest(
                        prompts=("portrait of Mara, short red hair, green eyes",),
                        seed=i,
                        negative_prompt="blurry",
                        steps=steps,
                    )
                )
                seconds.append(time.perf_counter() - t0)
                stop.set()
                lags.append(await tick)
            plan = await backend.plan(ImageRequest(prompts=("x",), seed=1, steps=steps))
            rows.append(
                {
                    "pipeline": label,
                    "device": device,
                    "size": f"{plan.width}x{plan.height}",
                    "steps": steps,
                    "s/image (median)": f"{median(seconds):.3f}",
                    "loop worst lag ms (median)": f"{median(lags) * 1000:.1f}",
                    "loop worst lag ms (max)": f"{max(lags) * 1000:.1f}",
                }
            )
    finally:
        await backend.aclose()
    return rows


def main() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        print("bench_images: needs the images extra (pip install 'writersroom[images]')")
        return
    from generation.images.random_pipeline import TINY, save_random_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        folder = save_random_pipeline(Path(tmp) / "tiny-sd", TINY)
        rows = run_loop(_in_process(folder, "tiny random SD, in the bot process"))
        print(f"images: {REPEATS} runs per row; target: loop worst lag under 50 ms")
        print(table(rows, list(rows[0])))
        print()
        from bench.queue_images import queue_rows

        queued = queue_rows(folder, Path(tmp))
        if queued:
            print(
                f"image queue: tiny random SD, {len(queued)} worker counts; "
                "target: bot loop worst lag under 50 ms"
            )
            print(table(queued, list(queued[0])))


if __name__ == "__main__":
    main()
