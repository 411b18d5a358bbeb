"""Building the text engine and the image backend from settings.

Engines take plain configuration; this is the one place that reads ``Settings`` for them,
so ``generation/`` never imports the bot. Nothing heavy is imported here: the diffusers
backend imports torch on its first job, the OpenAI ones only the openai client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.settings import Settings
from generation.base import TextEngine
from generation.images.base import ImageBackend

if TYPE_CHECKING:
    from generation.openai_engine import OpenAIEngine


def make_text_engine(settings: Settings) -> TextEngine:
    """The configured model when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline."""
    if settings.model_configured:
        return make_openai_engine(settings)
    from generation.offline import OfflineEngine

    return OfflineEngine()


def make_image_backend(settings: Settings, device: str | None = None) -> ImageBackend:
    """WRITERSROOM_IMAGE_BACKEND: offline (default), diffusers or openai. ``device``: the
    diffusers pipeline's device ("cuda:1"; None: the one it finds)."""
    if settings.image_backend == "diffusers":
        from generation.images.diffusers_backend import DiffusersBackend

        return DiffusersBackend(
            settings.diffusers_model, steps=settings.image_steps or None, device=device
        )
    if settings.image_backend == "openai":
        from generation.images.openai_backend import DEFAULT_IMAGE_MODEL, OpenAIImageBackend

        return OpenAIImageBackend(
            model=settings.image_model or DEFAULT_IMAGE_MODEL,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout=settings.openai_timeout,
            redact=settings.redact_pii,
        )
    from generation.images.offline import OfflineBackend

    return OfflineBackend()


def make_openai_engine(settings: Settings) -> OpenAIEngine:
    """OPENAI_MODEL (default gpt-4o-mini), OPENAI_API_KEY ("not-needed" when only
    OPENAI_BASE_URL is set), OPENAI_BASE_URL and OPENAI_TIMEOUT. Raises ConfigError
    naming OPENAI_API_KEY when neither the key nor the base URL is set."""
    from generation.openai_engine import DEFAULT_MODEL, OpenAIEngine

    return OpenAIEngine(
        model=settings.openai_model or DEFAULT_MODEL,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        timeout=settings.openai_timeout,
        redact=settings.redact_pii,
    )
