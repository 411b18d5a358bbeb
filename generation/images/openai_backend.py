"""The OpenAI images backend: the images API, with the text engine's client settings.

OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_TIMEOUT are the same as for text;
WRITERSROOM_IMAGE_MODEL picks the images model. The API takes no seed and no reference
image, so a character's look is kept by the prompt alone; the reply says so.
"""

from __future__ import annotations

import asyncio
import base64
import io
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from core.errors import GenerationError
from generation.images.base import (
    ImageRequest,
    ImageResult,
    OnProgress,
    OnQueue,
    Plan,
    Progress,
)
from generation.openai_chat import DEFAULT_BASE_URL, LOCAL_API_KEY, display_url
from generation.redact import redact

DEFAULT_IMAGE_MODEL = "gpt-image-1"
SIZE = 1024


def without_userinfo(url: str) -> str:
    """``url`` without the user and password it may carry. The key goes in its own header,
    as for chat (generation/model_http.py drops them too), and the SDK's HTTP client
    (httpx2) logs every request's URL, userinfo and all."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class OpenAIImageBackend:
    name = "openai"

    def __init__(
        self,
        *,
        model: str = DEFAULT_IMAGE_MODEL,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        redact: bool = False,
    ) -> None:
        from openai import AsyncOpenAI

        self.redact = redact
        """Replace e-mail addresses and phone numbers in prompts (generation.redact)."""

        self._configured = bool(api_key or base_url)
        self._model = model
        self.base_url = without_userinfo(base_url or DEFAULT_BASE_URL)
        self.timeout = timeout
        self._client = AsyncOpenAI(
            api_key=api_key or LOCAL_API_KEY,
            base_url=self.base_url,
            timeout=timeout,
            max_retries=max_retries,
        )

    @property
    def model(self) -> str:
        return self._model

    async def check(self) -> None:
        if not self._configured:
            raise GenerationError(
                "WRITERSROOM_IMAGE_BACKEND=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for "
                "a compatible server). Set it in .env, or use WRITERSROOM_IMAGE_BACKEND=offline."
            )

    async def plan(self, request: ImageRequest) -> Plan:
        return Plan(SIZE, SIZE, 0, "remote")

    async def generate(
        self,
        request: ImageRequest,
        on_progress: OnProgress | None = None,
        on_queue: OnQueue | None = None,
    ) -> ImageResult:
        await self.check()
        t0 = time.perf_counter()
        results = await asyncio.gather(*(self._one(p) for p in request.prompts))
        seconds = time.perf_counter() - t0
        if on_progress is not None:
            await on_progress(Progress(1, 1, seconds))
        note = "the images API takes no seed or reference: the look is kept by the prompt"
        return ImageResult(tuple(results), self.name, self._model, 0, seconds, note=note)

    async def _one(self, prompt: str) -> Any:
        import openai
        from PIL import Image

        if self.redact:  # every image prompt leaves through here
            prompt = redact(prompt)

        kwargs: dict[str, Any] = {
            "model": self._model,
            "prompt": prompt,
            "n": 1,
            "size": f"{SIZE}x{SIZE}",
        }
        if self._model.startswith("dall-e"):
            kwargs["response_format"] = "b64_json"  # GPT image models always answer base64
        where = display_url(self.base_url)
        try:
            response = await self._client.images.generate(**kwargs)
        except openai.APITimeoutError:
            raise GenerationError(
                f"The images API did not answer within {self.timeout:g} s (OPENAI_TIMEOUT)."
            ) from None
        except openai.APIConnectionError:
            raise GenerationError(
                f"Could not reach the images API at {where}; check OPENAI_BASE_URL."
            ) from None
        except openai.APIStatusError as exc:
            if exc.status_code == 401:
                raise GenerationError(
                    "The images API rejected the API key; check OPENAI_API_KEY."
                ) from None
            if exc.status_code == 404:
                raise GenerationError(
                    f"The server at {where} has no images model named "
                    f"{self._model}; check WRITERSROOM_IMAGE_MODEL."
                ) from None
            if exc.status_code == 400:
                raise GenerationError(
                    "The images API refused this prompt (400). Try another style or description."
                ) from None
            raise GenerationError(
                f"The images API failed ({exc.status_code}); try again."
            ) from None
        data = response.data or []
        if not data or not data[0].b64_json:
            raise GenerationError("The images API answered without an image.")
        raw = base64.b64decode(data[0].b64_json)
        return Image.open(io.BytesIO(raw)).convert("RGB")

    async def aclose(self) -> None:
        await self._client.close()
