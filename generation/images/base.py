"""The small Protocol every image backend implements, like an httpx transport.

A command builds an ``ImageRequest`` (one prompt per image, one seed, an optional reference
image) and a backend turns it into an ``ImageResult``. The offline card renderer is the
default and the test double; diffusers (a local model folder) and the OpenAI images API
implement the same method.

While it works a backend reports through two optional callbacks: ``on_queue(ahead)`` when
the request waits for its device (how many jobs are ahead of it) and ``on_progress`` after
each step (with a small preview now and then). Cancelling the awaiting task stops the work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PIL.Image import Image


@dataclass(frozen=True, slots=True)
class Subject:
    """What the offline card draws from: the sheet, not a prompt."""

    name: str
    role: str = ""
    pronouns: str = ""
    age: str = ""
    appearance: str = ""
    one_line: str = ""


@dataclass(frozen=True, slots=True)
class ImageRequest:
    prompts: tuple[str, ...]
    """One prompt per image; the images share the seed (and the reference), so a sheet of
    expressions shows one face."""
    seed: int
    negative_prompt: str = ""
    subject: Subject | None = None
    labels: tuple[str, ...] = ()
    """A short caption per image (the expression, the pose), for cards and sheets."""
    width: int | None = None
    height: int | None = None
    """None: the backend's natural size."""
    steps: int | None = None
    """None: the backend's or the model's default."""
    reference: Path | None = None
    """The character's reference portrait, used where the backend can (IP-Adapter)."""
    seeds: tuple[int, ...] = ()
    """Per-image seeds (variations); empty: every image uses ``seed``."""

    def seed_of(self, index: int) -> int:
        return self.seeds[index] if index < len(self.seeds) else self.seed


@dataclass(frozen=True, slots=True)
class Progress:
    step: int
    """Steps done, 1-based."""
    total: int
    seconds: float
    """Since the work started (after the queue)."""
    preview: Image | None = None
    eta: float | None = None

    @property
    def fraction(self) -> float:
        return self.step / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class ImageResult:
    images: tuple[Image, ...]
    backend: str
    model: str
    steps: int
    seconds: float
    placeholder: bool = False
    """True for the offline card: a drawing, not a generated picture."""
    used_reference: bool = False
    note: str = ""
    """Something the writer should know (e.g. "on CPU", "reference ignored")."""


OnProgress = Callable[[Progress], Awaitable[None]]
OnQueue = Callable[[int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Plan:
    """What a request will become on this backend, known before any work (no loading)."""

    width: int
    height: int
    steps: int
    device: str
    """"cpu", "cuda", "remote" or "none" (drawn, not computed)."""


class ImageBackend(Protocol):
    name: str
    """"offline", "diffusers" or "openai"."""

    @property
    def model(self) -> str:
        """The model's name as the footer shows it."""
        ...

    async def check(self) -> None:
        """Fail with GenerationError naming what to install or set, without loading much."""
        ...

    async def plan(self, request: ImageRequest) -> Plan:
        """Size, steps and device ``request`` will get (for estimates and the records)."""
        ...

    async def generate(
        self,
        request: ImageRequest,
        on_progress: OnProgress | None = None,
        on_queue: OnQueue | None = None,
    ) -> ImageResult: ...

    async def aclose(self) -> None: ...
