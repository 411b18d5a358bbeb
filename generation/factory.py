"""Choosing the text engine from settings. Heavy clients are imported only when chosen."""

from __future__ import annotations

from bot.settings import Settings
from generation.base import TextEngine


def make_text_engine(settings: Settings) -> TextEngine:
    """The configured model when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline."""
    if settings.model_configured:
        from generation.openai_engine import OpenAIEngine

        return OpenAIEngine.from_settings(settings)
    from generation.offline import OfflineEngine

    engine: TextEngine = OfflineEngine()
    return engine
