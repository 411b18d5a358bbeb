"""WRITERSROOM_REDACT_PII: no e-mail address or phone number reaches an external model."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

import pytest

from bot.app import App
from generation.images.base import ImageRequest
from generation.images.openai_backend import OpenAIImageBackend
from generation.redact import EMAIL, PHONE, redact
from tests.bot.helpers import Session
from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = pytest.mark.timeout(30)

AppFactory = Callable[..., AbstractAsyncContextManager[App]]
MAIL = "mara.keel+drafts@studio-nine.example.com"
PHONES = ("+1 (555) 013-4477", "020 7946 0958", "555.867.5309")


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


def sent(server: FakeOpenAIServer) -> str:
    return json.dumps([r.body for r in server.requests], ensure_ascii=False)


async def room(app: App) -> Session:
    s = Session(app)
    await s.say(f"/story set logline Mara ({MAIL}, {PHONES[0]}) chases a ghost ship.")
    await s.say(f"/character new Mara role:pilot backstory:reach her on {PHONES[1]} or {MAIL}")
    await s.say("/synopsis")
    await s.say(f"make her call {PHONES[2]} in the end")
    await s.say(f"/summarize story {MAIL}")
    return s


@pytest.mark.parametrize("enabled", [True, False])
async def test_no_email_or_phone_in_any_request_body_when_redaction_is_on(
    make_app: AppFactory, server: FakeOpenAIServer, enabled: bool
) -> None:
    async with make_app(
        openai_base_url=server.base_url,
        openai_api_key="sk-test-key-123456",
        openai_model="fake-model",
        openai_timeout=5.0,
        redact_pii=enabled,
    ) as app:
        await room(app)
        story = await app.store.active_story(("terminal", "local", "general"))
    bodies = sent(server)
    assert len(server.bodies) >= 3  # the synopsis, its revision, the character sheet
    if enabled:
        assert MAIL not in bodies and not any(p in bodies for p in PHONES)
        assert EMAIL in bodies and PHONE in bodies
        assert "ghost ship" in bodies  # the story itself still goes
    else:  # the control: without the setting, they would have left
        assert MAIL in bodies and PHONES[0] in bodies
    # The bible keeps what the writers typed either way.
    assert story is not None and MAIL in story.logline


async def test_image_prompts_are_redacted_too(server: FakeOpenAIServer) -> None:
    backend = OpenAIImageBackend(
        api_key="sk-test", base_url=server.base_url, max_retries=0, redact=True
    )
    try:
        await backend.generate(
            ImageRequest(prompts=(f"portrait of Mara, email {MAIL}, phone {PHONES[2]}",), seed=1)
        )
    finally:
        await backend.aclose()
    bodies = [r.body for r in server.requests if r.path.endswith("/images/generations")]
    assert bodies and MAIL not in json.dumps(bodies) and PHONES[2] not in json.dumps(bodies)
    assert "portrait of Mara" in bodies[0]["prompt"]


@pytest.mark.parametrize(
    "text",
    [
        "Call +44 20 7946 0958 now",
        "tel. (555) 123-4567",
        "ring 555-123-4567",
        "write to a.b@c.io",
        "or to someone (at) example.org",
    ],
)
def test_redact_finds_emails_and_phone_numbers(text: str) -> None:
    out = redact(text)
    assert (EMAIL in out) or (PHONE in out)
    assert not any(ch.isdigit() for ch in out) and "@" not in out


@pytest.mark.parametrize(
    "text",
    [
        "In 1999 she had 3 ships and 1,000,000 credits.",
        "Scene 12, act 2, page 101-105.",
        "On 2024-05-01 at 12:30.",
        "The war of 1914-1918.",
        "Ship ID 12345678.",
    ],
)
def test_redact_leaves_story_numbers_alone(text: str) -> None:
    assert redact(text) == text
