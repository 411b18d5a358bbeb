"""Fakes of the services the bot talks to, shared by tests and benchmarks."""

from tests.fakes.openai_replies import FAKE_MODEL, FakeReply, default_reply, example_from_schema
from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, fake_openai

__all__ = [
    "FAKE_MODEL",
    "FakeOpenAIServer",
    "FakeReply",
    "RecordedRequest",
    "default_reply",
    "example_from_schema",
    "fake_openai",
]
