"""What libraries log at INFO and above for the bot holds neither secrets nor story text,
each fixed where the library is called (no redacting filter here: caplog's handler is a
plain one), while the line about the failure itself is still logged."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack import delivery
from core.errors import CommandError, ConfigError
from generation.images.base import ImageRequest
from generation.images.openai_backend import OpenAIImageBackend
from generation.openai_engine import OpenAIEngine
from generation.summarize.mapreduce import summarize_with_model
from generation.summarize.model import ThreadMessage
from tests.fakes import FakeOpenAIServer, FakeReply

pytestmark = pytest.mark.timeout(60)

MARK = "SECRET-MARKER-123"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def test_a_response_url_hint_that_fails_logs_no_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    url = f"http://127.0.0.1:{closed_port()}/commands/T0001/123456/{MARK}"
    await delivery.hint(url, "hint text", None)
    assert "could not send a hint to response_url" in caplog.text
    assert MARK not in caplog.text


async def test_a_summary_chunk_the_server_refuses_is_logged_without_its_words(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def echoing(body: Mapping[str, Any]) -> FakeReply:
        # A validation error that quotes the input, as pydantic-based servers do.
        last = str(body["messages"][-1]["content"])
        at = max(0, last.find(MARK))
        return FakeReply.fail(400, f"Invalid content, input_value='{last[at - 20 : at + 40]}'")

    caplog.set_level(logging.INFO)
    messages = [
        ThreadMessage("dana", "U1", f"{i}.0", f"Mara hides the {MARK} under floor {i}")
        for i in range(3)
    ]
    async with FakeOpenAIServer(default=echoing) as server:
        engine = OpenAIEngine(
            model="fake-model", base_url=server.base_url, api_key="sk-x", max_retries=0
        )
        try:
            with pytest.raises(CommandError):
                await summarize_with_model(messages, engine)
        finally:
            await engine.aclose()
    assert "summary chunk 0 failed (attempt 1): GenerationError" in caplog.text
    assert MARK not in caplog.text


async def test_an_images_api_url_with_a_password_never_reaches_the_request_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="httpx2")  # its request log, whoever quieted it
    async with FakeOpenAIServer() as server:
        base = server.base_url.replace("http://", f"http://proxyuser:{MARK}@")
        backend = OpenAIImageBackend(api_key="sk-test-key", base_url=base, model="gpt-image-1")
        try:
            result = await backend.generate(ImageRequest(prompts=("a red fox",), seed=1))
        finally:
            await backend.aclose()
        [request] = server.requests
    assert len(result.images) == 1
    assert f"HTTP Request: POST {server.base_url}/images/generations" in caplog.text
    assert MARK not in caplog.text
    # The key goes in its own header, as for chat; the URL's user and password go nowhere.
    assert request.headers["Authorization"] == "Bearer sk-test-key"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("diffusers", reason="needs the images extra")
    from generation.images.random_pipeline import save_random_pipeline

    folder: Path = save_random_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd")
    return folder


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def diffusers_log() -> Iterator[Kept]:
    """Every record diffusers' own loggers let through (they have a handler of their own
    and may not propagate to caplog's)."""
    kept = Kept()
    logger = logging.getLogger("diffusers")
    logger.addHandler(kept)
    yield kept
    logger.removeHandler(kept)


async def test_a_long_portrait_prompt_is_not_logged_by_diffusers(
    tiny_model: Path, diffusers_log: Kept, caplog: pytest.LogCaptureFixture
) -> None:
    from generation.images.diffusers_backend import DiffusersBackend

    caplog.set_level(logging.INFO)
    # Past CLIP's 77 tokens: diffusers warns with the words it cut off, as the tokenizer
    # decodes them (lower case, spaces around punctuation), so the marker is one word.
    word = "quartzvelvethangar"
    prompt = "portrait of Mara, " + "red hair, scar over the left eye, " * 4 + f"the {word}"
    backend = DiffusersBackend(tiny_model, steps=1)
    try:
        result = await backend.generate(ImageRequest(prompts=(prompt,), seed=1, steps=1))
    finally:
        await backend.aclose()
    assert len(result.images) == 1
    assert "loaded tiny-sd (sd) on" in caplog.text
    assert not any(word in line for line in diffusers_log.lines)
    assert word not in caplog.text


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("postgresql://bot:{m}@db:5432/wr", "postgresql://bot:***@db:5432/wr"),
        ("postgresql://wr@db/wr?password={m}&sslmode=require", "?password=***&sslmode=require"),
        ("postgresql://wr:p@ss/{m}@[::1]:5432/wr?sslpassword={m}", "wr:***@[::1]:5432/wr?ssl"),
        ("host=db password='{m} x' dbname=wr", "host=db password=*** dbname=wr"),
    ],
)
def test_shown_hides_every_password_of_a_database_url(url: str, kept: str) -> None:
    from storage.postgres_db import shown

    out = shown(url.format(m=MARK))
    assert MARK not in out and kept in out


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://wr@127.0.0.1:{{port}}/db?password={MARK}",
        f"postgresql://wr:pw%zz{MARK}@127.0.0.1:{{port}}/db",  # libpq quotes what it can't read
        f"postgresql://wr@127.0.0.1:{{port}}/db?password=pw%zz{MARK}",
        f"postgresql://wr:{MARK}@[::1:{{port}}/db",  # libpq quotes the whole URL
    ],
)
async def test_a_database_that_cannot_be_opened_is_reported_without_its_password(
    url: str,
) -> None:
    pytest.importorskip("psycopg", reason="needs the postgres extra")
    from storage.postgres_db import PostgresDatabase

    with pytest.raises(ConfigError, match="WRITERSROOM_DB: cannot open") as failed:
        await PostgresDatabase.open(url.format(port=closed_port()), connect_timeout=1)
    assert MARK not in str(failed.value) and "***" in str(failed.value)
