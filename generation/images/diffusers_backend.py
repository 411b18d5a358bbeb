"""The diffusers image backend: a local model folder, one job at a time per device.

torch and diffusers are imported on the first image job, in the worker thread, so the bot
starts (and answers text commands) without them. The pipeline is loaded once with
``local_files_only`` (never a download): fp16 on CUDA, fp32 on CPU. Each request runs in
the backend's single worker thread while the event loop stays free; ``callback_on_step_end``
reports every step and, at most every ``preview_every`` seconds, a cheap preview from the
latents. Cancelling the awaiting task sets a flag the next step's callback sees, and the
device is handed on only after the thread has stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from core.errors import GenerationError
from generation.images.base import (
    ImageRequest,
    ImageResult,
    OnProgress,
    OnQueue,
    Plan,
    Progress,
)
from generation.images.model_folder import ModelFolder, read_model_folder
from generation.images.preview import latents_preview
from generation.images.queue import DeviceQueue

log = logging.getLogger(__name__)

EXTRA_PACKAGES = ("torch", "diffusers", "transformers")
IP_ADAPTER_SCALE = 0.6


class Cancelled(Exception):
    """Raised inside the pipeline's step callback to stop it."""


def missing_packages() -> list[str]:
    return [p for p in EXTRA_PACKAGES if importlib.util.find_spec(p) is None]


class DiffusersBackend:
    name = "diffusers"

    def __init__(
        self,
        folder: Path | None,
        *,
        steps: int | None = None,
        device: str | None = None,
        preview_every: float = 1.0,
    ) -> None:
        self.folder = folder
        self.steps = steps
        self.preview_every = preview_every
        self._device = device
        self._queue = DeviceQueue()
        self._pipe: Any = None
        self._info: ModelFolder | None = None
        self._load_lock = asyncio.Lock()
        # One thread: the device runs one job, and torch state stays on one thread.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="diffusers")

    @property
    def model(self) -> str:
        return self.folder.name if self.folder else "diffusers"

    @property
    def queue(self) -> DeviceQueue:
        return self._queue

    def info(self) -> ModelFolder:
        if self._info is None:
            self._info = read_model_folder(self.folder)
        return self._info

    async def check(self) -> None:
        missing = missing_packages()
        if missing:
            raise GenerationError(
                f"The diffusers image backend needs {', '.join(missing)}: install them with "
                "pip install 'writersroom[images]', or set WRITERSROOM_IMAGE_BACKEND=offline."
            )
        self.info()

    async def plan(self, request: ImageRequest) -> Plan:
        info = self.info()
        steps = request.steps or self.steps or info.steps
        return Plan(
            request.width or info.width, request.height or info.height, steps, await self.device()
        )

    async def device(self) -> str:
        """ "cuda", "cuda:N" (given) or "cpu" (imports torch in a thread the first time)."""
        if self._device is None:
            loop = asyncio.get_running_loop()
            self._device = await loop.run_in_executor(self._executor, _pick_device)
        return self._device

    async def load(self) -> None:
        """Load the pipeline now (a worker does, before it takes jobs), not on the first job."""
        await self._load()

    async def _load(self) -> Any:
        async with self._load_lock:
            if self._pipe is None:
                await self.check()
                device = await self.device()
                loop = asyncio.get_running_loop()
                t0 = time.perf_counter()
                self._pipe = await loop.run_in_executor(
                    self._executor, _load_pipeline, self.info(), device
                )
                log.info(
                    "loaded %s (%s) on %s in %.1f s",
                    self.model,
                    self.info().layout,
                    device,
                    time.perf_counter() - t0,
                )
            return self._pipe

    async def generate(
        self,
        request: ImageRequest,
        on_progress: OnProgress | None = None,
        on_queue: OnQueue | None = None,
    ) -> ImageResult:
        await self.check()
        async with self._queue.turn(on_queue):
            pipe = await self._load()
            plan = await self.plan(request)
            return await self._run(pipe, request, plan, on_progress)

    async def _run(
        self, pipe: Any, request: ImageRequest, plan: Plan, on_progress: OnProgress | None
    ) -> ImageResult:
        loop = asyncio.get_running_loop()
        reports: asyncio.Queue[Progress | None] = asyncio.Queue()
        stop = threading.Event()
        t0 = time.perf_counter()
        last_preview = [0.0]

        def on_step(_pipe: Any, index: int, _t: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
            if stop.is_set():
                raise Cancelled
            now = time.perf_counter()
            step, elapsed = index + 1, now - t0
            preview = None
            if (
                on_progress is not None
                and now - last_preview[0] >= self.preview_every
                and step < plan.steps
                and "latents" in kwargs
            ):
                last_preview[0] = now
                preview = latents_preview(kwargs["latents"])
            eta = elapsed / step * (plan.steps - step)
            loop.call_soon_threadsafe(
                reports.put_nowait, Progress(step, plan.steps, elapsed, preview, eta)
            )
            return kwargs

        use_reference = request.reference is not None and self.info().ip_adapter is not None

        def work() -> list[Any]:
            try:
                return _call(pipe, request, plan, self.info(), on_step, use_reference)
            finally:
                loop.call_soon_threadsafe(reports.put_nowait, None)

        future = loop.run_in_executor(self._executor, work)
        relay = asyncio.create_task(_relay(reports, on_progress))
        try:
            images = await asyncio.shield(future)
        except asyncio.CancelledError:
            stop.set()
            # The device is free only once the thread has really stopped.
            with contextlib.suppress(BaseException):
                await asyncio.wait([future])
            relay.cancel()
            raise
        except Cancelled:
            raise asyncio.CancelledError from None
        except Exception as exc:
            if not _out_of_memory(exc):
                raise
            await loop.run_in_executor(self._executor, _free_memory)
            raise GenerationError(
                f"The image device ({plan.device}) ran out of memory making "
                f"{len(request.prompts)} image(s) of {plan.width}x{plan.height} in "
                f"{plan.steps} steps. Lower the size or the steps (WRITERSROOM_IMAGE_STEPS), "
                "or ask for one image instead of a sheet."
            ) from None
        finally:
            with contextlib.suppress(asyncio.CancelledError):
                await relay
        seconds = time.perf_counter() - t0
        note = ""
        if request.reference is not None and not use_reference:
            note = "no IP-Adapter in the model folder: consistency from seed and prompt"
        return ImageResult(
            tuple(images),
            self.name,
            self.model,
            plan.steps,
            seconds,
            used_reference=use_reference,
            note=note,
        )

    async def aclose(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._pipe = None


async def _relay(reports: asyncio.Queue[Progress | None], on_progress: OnProgress | None) -> None:
    """Hand the worker's reports to the callback, skipping ones it fell behind on."""
    while True:
        item = await reports.get()
        if item is None:
            return
        while not reports.empty():
            newer = reports.get_nowait()
            if newer is None:
                if on_progress is not None:
                    await on_progress(item)
                return
            if item.preview is not None and newer.preview is None:
                newer = Progress(newer.step, newer.total, newer.seconds, item.preview, newer.eta)
            item = newer
        if on_progress is not None:
            await on_progress(item)


def _out_of_memory(exc: BaseException) -> bool:
    """torch's out-of-memory error (CUDA, MPS), or the CPU allocator's."""
    if isinstance(exc, MemoryError):
        return True
    name = type(exc).__name__
    text = str(exc).lower()
    return name == "OutOfMemoryError" or (
        isinstance(exc, RuntimeError)
        and ("out of memory" in text or "can't allocate memory" in text)
    )


def _free_memory() -> None:
    """Give the failed run's memory back, so the next job has the device whole."""
    import gc

    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _pick_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _load_pipeline(info: ModelFolder, device: str) -> Any:
    import diffusers
    import torch
    from diffusers import DiffusionPipeline
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    # diffusers warns with the words CLIP cut off a long prompt (story text), through a
    # stderr handler of its own: only its errors are kept, and they go through the bot's
    # handlers (and their secret filter) like every other library's.
    diffusers_logging.set_verbosity_error()
    diffusers_logging.disable_default_handler()
    diffusers_logging.enable_propagation()
    diffusers_logging.disable_progress_bar()
    transformers_logging.disable_progress_bar()
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    if device == "cpu":  # leave a core to the event loop, or it stalls behind the math
        torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
    # diffusers 0.36 renamed torch_dtype to dtype; older ones only know torch_dtype.
    key = "dtype" if hasattr(diffusers.utils.deprecation_utils, "_resolve_dtype") else "torch_dtype"
    kwargs: dict[str, Any] = {key: dtype, "local_files_only": True}
    if (info.path / "safety_checker").is_dir():
        kwargs["safety_checker"] = None  # fiction needs its villains; the room moderates
        kwargs["requires_safety_checker"] = False
    pipe = DiffusionPipeline.from_pretrained(str(info.path), **kwargs)
    if info.ip_adapter is not None:
        ip = info.ip_adapter
        pipe.load_ip_adapter(
            str(ip.root),
            subfolder=ip.subfolder,
            weight_name=ip.weight_name,
            image_encoder_folder=ip.image_encoder_folder,
            local_files_only=True,
        )
        pipe.set_ip_adapter_scale(IP_ADAPTER_SCALE)
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(device)


def _call(
    pipe: Any,
    request: ImageRequest,
    plan: Plan,
    info: ModelFolder,
    on_step: Any,
    use_reference: bool,
) -> list[Any]:
    import torch

    n = len(request.prompts)
    device = pipe.device.type
    kwargs: dict[str, Any] = {
        "prompt": list(request.prompts),
        "num_inference_steps": plan.steps,
        "guidance_scale": info.guidance,
        "width": plan.width,
        "height": plan.height,
        # One generator per image, all on the same seed: the same noise, so a sheet of
        # expressions shows one face, and a seed always makes the same picture.
        "generator": [
            torch.Generator(device="cpu").manual_seed(request.seed_of(i)) for i in range(n)
        ],
        "callback_on_step_end": on_step,
        "callback_on_step_end_tensor_inputs": ["latents"],
        "output_type": "pil",
    }
    if info.guidance > 1.0 and request.negative_prompt:
        kwargs["negative_prompt"] = [request.negative_prompt] * n
    if use_reference and request.reference is not None:
        from PIL import Image

        kwargs["ip_adapter_image"] = Image.open(request.reference).convert("RGB")
    with torch.inference_mode():
        out = pipe(**kwargs)
    log.debug("generated %d image(s) on %s", n, device)
    return list(out.images)
