"""Reading a failed model call: Retry-After, and whether the connection was ever made."""

from __future__ import annotations

import errno
import math

import httpx2
import openai

from core.errors import GenerationError
from generation.model_http import retry_after_seconds


def retry_after(headers: httpx2.Headers) -> int | None:
    """Whole seconds to tell the writer to wait (at least 1), as the server asked."""
    seconds = retry_after_seconds(headers)
    return None if seconds is None else max(1, math.ceil(seconds))


def chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def refused(exc: BaseException) -> bool:
    for err in chain(exc):
        if isinstance(err, ConnectionRefusedError):
            return True
        if isinstance(err, OSError) and err.errno == errno.ECONNREFUSED:
            return True
        if "refused" in str(err).lower():
            return True
    return False


def connect_failed(exc: BaseException) -> bool:
    """No connection was made: a ConnectError, or an OS error (DNS, unreachable) under it."""
    return any(
        isinstance(err, httpx2.ConnectError)
        or (type(err).__name__ == "ClientConnectorError" and not isinstance(err, TimeoutError))
        for err in chain(exc)
    )


def explain_transport(exc: BaseException, where: str, timeout: float) -> GenerationError | None:
    """A connection that failed, timed out or broke, said so the writer knows what to check;
    None when the failure was not in the transport."""
    # Connection failures first: the aiohttp transport reports some of them as
    # connect timeouts, with the real OS error kept in the exception's chain.
    if isinstance(exc, openai.APIConnectionError | httpx2.TransportError):
        if refused(exc):
            return GenerationError(
                f"The model server at {where} refused the connection; check OPENAI_BASE_URL."
            )
        if connect_failed(exc):
            return GenerationError(
                f"Could not reach the model server at {where}; check OPENAI_BASE_URL "
                "and that the server is running."
            )
    if isinstance(exc, openai.APITimeoutError | httpx2.TimeoutException):
        return GenerationError(f"The model did not answer within {timeout:g} s (OPENAI_TIMEOUT).")
    if isinstance(exc, openai.APIConnectionError | httpx2.TransportError):
        return GenerationError(
            f"The connection to the model server at {where} broke off; try again."
        )
    return None


def explain_status(
    exc: openai.APIStatusError, where: str, model: str, server_says: str
) -> GenerationError:
    """What a refusal by the server (an HTTP status) means for the writer, and what to set."""
    status = exc.status_code
    body = exc.body if isinstance(exc.body, dict) else {}
    code = str(body.get("code") or body.get("type") or "")
    if status == 401:
        return GenerationError("The model server rejected the API key; check OPENAI_API_KEY.")
    if status == 403:
        return GenerationError(
            f"The model server refused access to {model} (403); check that "
            "OPENAI_API_KEY may use it."
        )
    if status == 404:
        if code == "model_not_found" or "model" in server_says.lower():
            return GenerationError(
                f"The model server has no model named {model}; check OPENAI_MODEL."
            )
        return GenerationError(
            f"The model server at {where} has no chat completions endpoint (404); check "
            "OPENAI_BASE_URL (it usually ends in /v1)."
        )
    if status == 429:
        if code == "insufficient_quota":
            return GenerationError(
                "The model account has run out of quota; check the plan and billing for "
                "OPENAI_API_KEY."
            )
        wait = retry_after(exc.response.headers)
        when = f"in {wait} s" if wait is not None else "in a minute"
        return GenerationError(f"The model is rate-limiting us; try again {when}.")
    if status >= 500:
        return GenerationError(
            f"The model server at {where} had an internal error ({status}); try again shortly."
        )
    if status == 400 and (code == "context_length_exceeded" or "context" in server_says):
        return GenerationError(
            f"The request is too long for {model}; shorten the input or start a new thread."
        )
    detail = f": {server_says}" if server_says else "."
    return GenerationError(f"The model server refused the request ({status}){detail}")
