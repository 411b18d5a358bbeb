"""The OpenAI images backend against the local fake server (127.0.0.1 only)."""

from __future__ import annotations

from generation.images.base import ImageRequest
from generation.images.openai_backend import OpenAIImageBackend
from tests.fakes import FakeOpenAIServer


async def test_images_come_back_from_the_images_api() -> None:
    async with FakeOpenAIServer(api_key="sk-test") as server:
        backend = OpenAIImageBackend(api_key="sk-test", base_url=server.base_url, max_retries=0)
        try:
            result = await backend.generate(ImageRequest(prompts=("a", "b"), seed=1))
        finally:
            await backend.aclose()
        bodies = [r.body for r in server.requests if r.path.endswith("/images/generations")]
    assert [b["prompt"] for b in sorted(bodies, key=lambda b: b["prompt"])] == ["a", "b"]
    assert bodies[0]["model"] == "gpt-image-1" and "response_format" not in bodies[0]
    assert len(result.images) == 2 and result.images[0].size == (32, 32)
    assert "no seed" in result.note


async def test_a_bad_key_is_explained() -> None:
    import pytest

    from core.errors import GenerationError

    async with FakeOpenAIServer(api_key="sk-right") as server:
        backend = OpenAIImageBackend(api_key="sk-wrong", base_url=server.base_url, max_retries=0)
        with pytest.raises(GenerationError, match="OPENAI_API_KEY"):
            await backend.generate(ImageRequest(prompts=("a",), seed=1))
        await backend.aclose()


async def test_without_a_key_it_says_what_to_set() -> None:
    import pytest

    from core.errors import GenerationError

    backend = OpenAIImageBackend()
    with pytest.raises(GenerationError, match="OPENAI_API_KEY"):
        await backend.check()
    await backend.aclose()
