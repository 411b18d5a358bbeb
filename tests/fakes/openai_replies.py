"""What the fake OpenAI-compatible server answers: scripted replies (``FakeReply``) and the
default answer, plain text or JSON shaped by the request's schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FAKE_MODEL = "fake-model"


@dataclass(frozen=True)
class FakeReply:
    """One scripted answer. Build it with the class methods; fields combine freely."""

    text: str = ""
    status: int = 200
    error: Mapping[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering."""
    hang: float = 0.0
    """Seconds to hold the request without a byte of answer (beyond the client's timeout)."""
    raw: str | None = None
    """A body sent as it is, instead of a well-formed completion."""
    usage: bool = True
    """Whether a stream ends with a usage chunk (when the client asks for one)."""
    chunk_chars: int = 8
    chunk_delay: float = 0.0
    stall_after: int | None = None
    """Stream this many content chunks, then hang for ``hang`` seconds (default 60)."""
    finish_reason: str = "stop"
    tool: tuple[str, str] | None = None
    """A function call (name, raw JSON arguments) streamed in pieces, as a model does."""

    @classmethod
    def say(cls, text: str, **options: Any) -> FakeReply:
        return cls(text=text, **options)

    @classmethod
    def call(cls, name: str, arguments: Any, **options: Any) -> FakeReply:
        """A tool call; ``arguments`` a dict (sent as JSON) or a raw string (junk, say)."""
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
        return cls(tool=(name, raw), finish_reason="tool_calls", **options)

    @classmethod
    def say_json(cls, value: Any, **options: Any) -> FakeReply:
        return cls(text=json.dumps(value), **options)

    @classmethod
    def fail(
        cls,
        status: int,
        message: str,
        *,
        code: str | None = None,
        kind: str = "invalid_request_error",
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FakeReply:
        """An error in OpenAI's shape: {"error": {"message", "type", "param", "code"}}."""
        body = {"message": message, "type": kind, "param": param, "code": code}
        return cls(status=status, error=body, headers=dict(headers or {}))

    @classmethod
    def unauthorized(cls, key_hint: str = "sk-fake***1234") -> FakeReply:
        return cls.fail(401, f"Incorrect API key provided: {key_hint}.", code="invalid_api_key")

    @classmethod
    def model_not_found(cls, model: str) -> FakeReply:
        return cls.fail(
            404,
            f"The model `{model}` does not exist or you do not have access to it.",
            code="model_not_found",
        )

    @classmethod
    def rate_limited(cls, retry_after: float = 1.0) -> FakeReply:
        return cls.fail(
            429,
            "Rate limit reached.",
            kind="rate_limit_exceeded",
            code="rate_limit_exceeded",
            headers={"retry-after": f"{retry_after:g}"},
        )

    @classmethod
    def server_error(cls, status: int = 500) -> FakeReply:
        return cls.fail(
            status, "The server had an error while processing your request.", kind="server_error"
        )

    @classmethod
    def hanging(cls, seconds: float = 60.0) -> FakeReply:
        return cls(text="(too late)", hang=seconds)

    @classmethod
    def malformed(cls) -> FakeReply:
        return cls(raw='{"id": "chatcmpl-broken", "choices": [{"delta": {"content": "Hal')

    @classmethod
    def rejecting_response_format(cls) -> FakeReply:
        return cls.fail(
            400, "response_format is not supported by this model.", param="response_format"
        )


def example_from_schema(schema: Mapping[str, Any], key: str = "value", index: int = 0) -> Any:
    """A value that fits a JSON schema, for default answers to structured requests."""
    kind = schema.get("type")
    if kind == "object":
        props: Mapping[str, Any] = schema.get("properties", {})
        return {k: example_from_schema(v, k) for k, v in props.items()}
    if kind == "array":
        return [example_from_schema(schema.get("items", {}), key, i) for i in range(3)]
    if kind == "integer":
        return index + 1
    if kind == "number":
        return float(index + 1)
    if kind == "boolean":
        return True
    return f"Fake {key.replace('_', ' ')} {index + 1}."


def default_reply(body: Mapping[str, Any]) -> FakeReply:
    """Plain text, or JSON following the request's json_schema when it has one."""
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return FakeReply.say_json(example_from_schema(fmt.get("json_schema", {}).get("schema", {})))
    return FakeReply.say("This is a reply from the fake model.")
