"""Image generation: seconds per image, and the event loop's worst lag while one runs.

On a machine with CUDA: a Stable Diffusion 1.5-sized pipeline with random weights (speed
does not depend on the weights' values) at 512x512, fp16, 1, 4 and 25 steps. Without CUDA:
the tiny random pipeline the tests use (64x64), which measures the backend's overhead and
the loop's responsiveness, not a real model's speed; the table says which it ran.

    python -m bench images
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import median, run_loop, table

REPEATS = 3
STEPS = (1, 4, 25)


async def _worst_lag(stop: asyncio.Event, tick: float = 0.005) -> float:
    """The longest the loop was late waking a 5 ms sleeper, until ``stop``."""
    worst = 0.0
    while not stop.is_set():
        t0 = time.perf_counter()
        await asyncio.sleep(tick)
        worst = max(worst, time.perf_counter() - t0 - tick)
    return worst


async def _run(folder: Path, label: str) -> list[dict[str, object]]:
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
                tick = asyncio.create_task(_worst_lag(stop))
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
        import torch
    except ImportError:
        print("bench_images: needs the images extra (pip install 'writersroom[images]')")
        return
    from generation.images.random_pipeline import SD15, TINY, save_random_pipeline

    cuda = torch.cuda.is_available()
    size, label = (
        (SD15, "SD1.5-sized, random weights, fp16")
        if cuda
        else (TINY, "tiny random SD (CPU: overhead and loop lag only)")
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = save_random_pipeline(Path(tmp) / ("sd15-random" if cuda else "tiny-sd"), size)
        rows = run_loop(_run(folder, label))
    print(f"images: {REPEATS} runs per row; target: loop worst lag under 50 ms")
    print(table(rows, list(rows[0])))


if __name__ == "__main__":
    main()
