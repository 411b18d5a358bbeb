"""The diffusers backend on a real tiny StableDiffusionPipeline (random weights), loaded
from a folder through the same code path as a user's model."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from core.errors import GenerationError
from generation.images.base import ImageRequest, Progress
from generation.images.diffusers_backend import DiffusersBackend

pytestmark = pytest.mark.timeout(60)


def _request(
    seed: int = 7, steps: int = 4, prompts: tuple[str, ...] = ("Mara, red hair",)
) -> ImageRequest:
    return ImageRequest(prompts=prompts, seed=seed, negative_prompt="blurry", steps=steps)


def _pixels(result: object) -> list[bytes]:
    return [img.tobytes() for img in result.images]  # type: ignore[attr-defined]


def _distance(a: object, b: object) -> int:
    """The largest difference of one channel of one pixel."""
    return max(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True))  # type: ignore[attr-defined]


async def test_the_same_seed_makes_the_same_image(tiny_model: Path) -> None:
    backend = DiffusersBackend(tiny_model)
    try:
        first = await backend.generate(_request(seed=7))
        again = await backend.generate(_request(seed=7))
        other = await backend.generate(_request(seed=8))
    finally:
        await backend.aclose()
    assert _pixels(first) == _pixels(again)
    assert _pixels(first) != _pixels(other)
    assert first.images[0].size == (64, 64)  # the folder's own size: 32 latents x 2
    assert (first.backend, first.model, first.steps) == ("diffusers", "tiny-sd", 4)


async def test_a_sheet_shares_one_seed_and_variations_use_their_own(tiny_model: Path) -> None:
    backend = DiffusersBackend(tiny_model)
    try:
        sheet = await backend.generate(_request(prompts=("a", "a")))
        varied = await backend.generate(
            ImageRequest(prompts=("a", "a"), seed=7, steps=4, seeds=(7, 8))
        )
    finally:
        await backend.aclose()
    assert sheet.images[0].tobytes() == sheet.images[1].tobytes()
    assert _distance(varied.images[1], varied.images[0]) > 10


async def test_every_step_is_reported_with_previews(tiny_model: Path) -> None:
    backend = DiffusersBackend(tiny_model, preview_every=0.0)
    seen: list[Progress] = []

    async def on_progress(p: Progress) -> None:
        seen.append(p)
        await asyncio.sleep(0)

    try:
        await backend.generate(_request(steps=5), on_progress)
    finally:
        await backend.aclose()
    assert seen[-1].step == seen[-1].total == 5
    assert [p.step for p in seen] == sorted(p.step for p in seen)
    assert any(p.preview is not None for p in seen)
    assert all(p.eta is not None and p.eta >= 0 for p in seen)


async def test_cancel_stops_the_run_and_frees_the_device(tiny_model: Path) -> None:
    backend = DiffusersBackend(tiny_model)
    started = asyncio.Event()

    async def on_progress(p: Progress) -> None:
        started.set()

    try:
        await backend.generate(_request(steps=1))  # load once, outside the timing
        task = asyncio.create_task(backend.generate(_request(steps=400), on_progress))
        await asyncio.wait_for(started.wait(), 30)
        t0 = time.perf_counter()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.perf_counter() - t0 < 5  # stopped at the next step, not after 400
        assert not backend.queue.busy
        after = await backend.generate(_request(steps=2))
    finally:
        await backend.aclose()
    assert len(after.images) == 1


async def test_waiting_jobs_are_told_their_place_in_line(tiny_model: Path) -> None:
    backend = DiffusersBackend(tiny_model)
    places: dict[str, list[int]] = {"a": [], "b": [], "c": []}

    def teller(name: str):  # type: ignore[no-untyped-def]
        async def on_queue(ahead: int) -> None:
            places[name].append(ahead)

        return on_queue

    try:
        await backend.generate(_request(steps=1))
        tasks = []
        for name in ("a", "b", "c"):
            tasks.append(
                asyncio.create_task(backend.generate(_request(steps=3), on_queue=teller(name)))
            )
            await asyncio.sleep(0.01)
        await asyncio.gather(*tasks)
    finally:
        await backend.aclose()
    assert places == {"a": [], "b": [1], "c": [2, 1]}


async def test_the_event_loop_stays_responsive_while_it_generates(tiny_model: Path) -> None:
    backend = DiffusersBackend(tiny_model)
    worst = 0.0
    running = True

    async def ticker() -> None:
        nonlocal worst
        while running:
            t0 = time.perf_counter()
            await asyncio.sleep(0.005)
            worst = max(worst, time.perf_counter() - t0 - 0.005)

    try:
        await backend.generate(_request(steps=1))
        tick = asyncio.create_task(ticker())
        await backend.generate(_request(steps=10))
        running = False
        await tick
    finally:
        await backend.aclose()
    assert worst < 0.2, f"the loop stalled for {worst * 1000:.0f} ms"


async def test_a_missing_folder_names_the_setting(tmp_path: Path) -> None:
    for folder in (None, tmp_path / "nowhere"):
        backend = DiffusersBackend(folder)
        with pytest.raises(GenerationError, match="WRITERSROOM_DIFFUSERS_MODEL"):
            await backend.generate(_request())
        await backend.aclose()


async def test_the_layout_and_size_come_from_the_folder(tiny_model: Path) -> None:
    from generation.images.model_folder import read_model_folder

    info = read_model_folder(tiny_model)
    assert (info.layout, info.width, info.height, info.steps) == ("sd", 64, 64, 25)
    assert info.ip_adapter is None


async def test_out_of_memory_says_what_to_lower_and_the_next_job_runs(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GPU's out-of-memory cannot happen here: the pipeline call raises torch's own
    OutOfMemoryError once, as CUDA would, and then runs as usual."""
    import torch

    from generation.images import diffusers_backend

    real = diffusers_backend._call
    calls = []

    def once_out_of_memory(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(diffusers_backend, "_call", once_out_of_memory)
    backend = DiffusersBackend(tiny_model)
    try:
        with pytest.raises(GenerationError, match="ran out of memory") as caught:
            await backend.generate(_request(steps=3))
        assert "Lower the size or the steps" in caught.value.message
        result = await backend.generate(_request(steps=3))
    finally:
        await backend.aclose()
    assert result.steps == 3 and len(result.images) == 1
