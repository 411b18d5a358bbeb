"""Choosing the image backend from settings. Nothing heavy is imported here: the diffusers
backend imports torch on its first job, the OpenAI one only the openai client."""

from __future__ import annotations

from bot.settings import Settings
from generation.images.base import ImageBackend


def make_image_backend(settings: Settings) -> ImageBackend:
    """WRITERSROOM_IMAGE_BACKEND: offline (default), diffusers or openai."""
    backend: ImageBackend
    if settings.image_backend == "diffusers":
        from generation.images.diffusers_backend import DiffusersBackend

        backend = DiffusersBackend(settings.diffusers_model, steps=settings.image_steps or None)
    elif settings.image_backend == "openai":
        from generation.images.openai_backend import DEFAULT_IMAGE_MODEL, OpenAIImageBackend

        backend = OpenAIImageBackend(
            model=settings.image_model or DEFAULT_IMAGE_MODEL,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout=settings.openai_timeout,
            redact=settings.redact_pii,
        )
    else:
        from generation.images.offline import OfflineBackend

        backend = OfflineBackend()
    return backend
