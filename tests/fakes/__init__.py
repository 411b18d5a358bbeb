"""Fakes of the services the bot talks to, shared by tests and benchmarks."""

from tests.fakes.openai_server import (
    FAKE_MODEL,
    FakeOpenAIServer,
    FakeReply,
    RecordedRequest,
    default_reply,
    example_from_schema,
    fake_openai,
)

__all__ = [
    "FAKE_MODEL",
    "FakeOpenAIServer",
    "FakeReply",
    "RecordedRequest",
    "default_reply",
    "example_from_schema",
    "fake_openai",
]
