"""GPU image figures: a Stable Diffusion 1.5-size pipeline, one worker per device.

Run it where a GPU is lent (never in tests; ``python -m bench`` does not run it):

    python -m bench.gpu_images            # every visible CUDA device
    CUDA_VISIBLE_DEVICES=0 python -m bench.gpu_images

It builds the SD 1.5 architecture (860M-parameter UNet, its VAE and CLIP text encoder)
from its config with random weights (speed and memory do not depend on the weights'
values; nothing is downloaded), saves it as a model folder, and loads it through the
worker's own path: one ``DiffusersBackend`` per device, as ``python -m bot worker``
with WRITERSROOM_WORKER_DEVICES=cuda:0,cuda:1,... runs them. Each device makes images
at 512x512 in fp16 with 1, 4 and 25 steps, all devices at once; the table gives seconds
per image (median of REPEATS), images per minute over all devices, and each device's
peak GPU memory.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import median, run_loop, table

REPEATS = 3
STEPS = (1, 4, 25)
PROMPT = "portrait of Mara, a ship's engineer, short red hair, green eyes, oil on canvas"


async def _device_run(backend: Any, device: str, steps: int) -> tuple[list[float], float]:
    import torch

    from generation.images.base import ImageRequest

    index = torch.device(device).index or 0
    torch.cuda.reset_peak_memory_stats(index)
    seconds = []
    for i in range(REPEATS):
        t0 = time.perf_counter()
        await backend.generate(
            ImageRequest(prompts=(PROMPT,), seed=i, negative_prompt="blurry", steps=steps)
        )
        seconds.append(time.perf_counter() - t0)
    return seconds, torch.cuda.max_memory_allocated(index) / 2**30


async def _run(folder: Path, devices: list[str]) -> list[dict[str, object]]:
    from generation.images.base import ImageRequest
    from generation.images.diffusers_backend import DiffusersBackend

    backends = [DiffusersBackend(folder, device=d) for d in devices]
    rows: list[dict[str, object]] = []
    try:
        for backend in backends:  # load and warm up each device once
            await backend.load()
            await backend.generate(ImageRequest(prompts=("warm up",), seed=1, steps=1))
        for steps in STEPS:
            t0 = time.perf_counter()
            results = await asyncio.gather(
                *(_device_run(b, d, steps) for b, d in zip(backends, devices, strict=True))
            )
            wall = time.perf_counter() - t0
            per_minute = len(devices) * REPEATS / wall * 60
            for device, (seconds, peak) in zip(devices, results, strict=True):
                rows.append(
                    {
                        "device": device,
                        "steps": steps,
                        "s/image (median)": f"{median(seconds):.3f}",
                        "images/min (all devices)": f"{per_minute:.1f}",
                        "peak GPU memory GiB": f"{peak:.2f}",
                    }
                )
    finally:
        for backend in backends:
            await backend.aclose()
    return rows


def main() -> None:
    try:
        import torch
    except ImportError:
        print("gpu_images: needs the images extra (pip install 'writersroom[images]')")
        return
    if not torch.cuda.is_available():
        print("gpu_images: no CUDA device here; run it on a GPU machine")
        return
    from generation.images.random_pipeline import SD15, save_random_pipeline

    devices = [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    names = ", ".join(torch.cuda.get_device_name(i) for i in range(len(devices)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = save_random_pipeline(Path(tmp) / "sd15-random", SD15)
        rows = run_loop(_run(folder, devices))
    print(
        f"gpu images: SD1.5-size, random weights, fp16, 512x512, {REPEATS} images per "
        f"device per row, one worker per device ({names})"
    )
    print(table(rows, list(rows[0])))


if __name__ == "__main__":
    main()
