"""Engines built from settings (bot/engines.py): the only place engines meet Settings."""

from __future__ import annotations

import pytest

from bot.engines import make_image_backend, make_openai_engine, make_text_engine
from bot.settings import Settings
from core.errors import ConfigError
from generation.images.offline import OfflineBackend
from generation.offline import OfflineEngine
from generation.openai_chat import LOCAL_API_KEY
from generation.openai_engine import DEFAULT_MODEL, OpenAIEngine

KEY = "sk-test-secret-123"


async def test_the_openai_engine_defaults_for_a_local_server() -> None:
    engine = make_openai_engine(Settings(openai_base_url="http://127.0.0.1:11434/v1"))
    async with engine:
        assert engine.name == DEFAULT_MODEL == "gpt-4o-mini"
        assert engine.chat.http.authorization == f"Bearer {LOCAL_API_KEY}"
        assert engine.chat.url == "http://127.0.0.1:11434/v1/chat/completions"


async def test_the_openai_engine_uses_model_key_and_timeout() -> None:
    engine = make_openai_engine(
        Settings(openai_api_key=KEY, openai_model="qwen2.5", openai_timeout=12.5)
    )
    async with engine:
        assert engine.name == "qwen2.5"
        assert engine.timeout == 12.5
        assert KEY not in repr(engine)
        assert engine.chat.url == "https://api.openai.com/v1/chat/completions"
        assert engine.chat.http.authorization == f"Bearer {KEY}"


def test_no_key_and_no_base_url_fails_by_setting_name() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        make_openai_engine(Settings())


async def test_a_model_setting_chooses_the_openai_engine_else_offline() -> None:
    engine = make_text_engine(Settings(openai_base_url="http://127.0.0.1:9/v1"))
    assert isinstance(engine, OpenAIEngine)
    await engine.aclose()
    assert isinstance(make_text_engine(Settings()), OfflineEngine)
    assert isinstance(make_image_backend(Settings()), OfflineBackend)
