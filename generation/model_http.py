"""The HTTP under every chat completion: one aiohttp session per server, retries, and
failures raised as the openai SDK's exception types.

A chat completion is one POST whose answer is read as server-sent events
(generation/sse.py), so the request goes out on aiohttp directly instead of through
``AsyncOpenAI.post``: the SDK builds each request through httpx2 (URL parsing, header
merging, an options model, an httpx2 request around the aiohttp one), about 0.8 ms of the
event loop's CPU per request, and a hundred mentions in a burst share one loop
(`python -m bench mentions`: the last model request of a burst left 15-20% sooner).
What the SDK's client did here is kept, the same way: retries on 408/409/429/5xx and
broken connections honouring ``x-should-retry``, ``retry-after-ms`` and ``retry-after``
(up to a minute; exponential backoff with jitter otherwise), connections kept a minute,
HTTPS_PROXY and NO_PROXY from the environment, and every failure raised as the openai
exception the SDK raises for it (``APIStatusError`` by status, ``APIConnectionError``,
``APITimeoutError``), so generation/model_errors.py explains chat and image failures
alike.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import urllib.request
from collections.abc import AsyncIterator, Mapping
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import httpx2
import openai

from generation.base import REQUEST_SENT

KEEPALIVE = 60.0
"""Seconds an idle connection is kept: a room's requests come seconds apart, and each new
connection to a model API is a TLS handshake (a few milliseconds of the event loop's CPU,
and a round trip) before the request can leave."""
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A server asking for a longer wait is not retried: the writer is told when to try."""

_STATUS_ERRORS: dict[int, type[openai.APIStatusError]] = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    403: openai.PermissionDeniedError,
    404: openai.NotFoundError,
    409: openai.ConflictError,
    422: openai.UnprocessableEntityError,
    429: openai.RateLimitError,
}


def endpoint(base_url: str, path: str) -> str:
    """``path`` under the base URL, without the user and password a URL may carry (the
    API key goes in its own header, and aiohttp refuses both at once)."""
    parts = urlsplit(base_url)
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(
        (parts.scheme, netloc, parts.path.rstrip("/") + "/" + path.lstrip("/"), parts.query, "")
    )


async def _request_sent(
    session: aiohttp.ClientSession, trace: SimpleNamespace, params: object
) -> None:
    """aiohttp's signal that a request's body is written: tell whoever waits for it."""
    hook = trace.trace_request_ctx.get("sent") if trace.trace_request_ctx else None
    if hook is not None:
        hook()


def _tracing() -> aiohttp.TraceConfig:
    config = aiohttp.TraceConfig()
    config.on_request_chunk_sent.append(_request_sent)
    config.freeze()
    return config


class ModelHTTP:
    """POSTs to one model server, with its key, timeout and retries."""

    def __init__(self, *, api_key: str, timeout: float, max_retries: int) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self._headers = {
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json",
            "Accept": "text/event-stream, application/json",
        }
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    def _proxy_for(self, url: str) -> str | None:
        """HTTPS_PROXY / HTTP_PROXY for ``url`` unless NO_PROXY names its host, read once
        per URL (as the SDK's client reads them)."""
        if url not in self._proxies:
            parts = urlsplit(url)
            proxies = urllib.request.getproxies()
            bypass = urllib.request.proxy_bypass(parts.hostname or "") if proxies else True
            self._proxies[url] = None if bypass else proxies.get(parts.scheme)
        return self._proxies[url]

    @property
    def authorization(self) -> str:
        """The header that carries the key (never logged or shown)."""
        return self._headers["Authorization"]

    def _client(self) -> aiohttp.ClientSession:
        """The session, opened on first use (it belongs to the running loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=1000, keepalive_timeout=KEEPALIVE),
                timeout=aiohttp.ClientTimeout(
                    total=None, sock_connect=self.timeout, sock_read=self.timeout
                ),
                # Not trust_env: it reads ~/.netrc on an executor thread for every
                # request (two thread hops each); the proxy is read once (_proxy_for).
                trace_configs=[_tracing()],
            )
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(self, url: str, body: Mapping[str, Any]) -> aiohttp.ClientResponse:
        """The server's response to ``body``, once its status says it is answering (the
        caller reads and releases it); retried as the SDK retries. Raises the openai
        exception for a refusal or a failed connection. ``REQUEST_SENT``, when set, is
        called as soon as the request has left (each try)."""
        payload = json.dumps(body, ensure_ascii=False).encode()
        sent = REQUEST_SENT.get()
        trace = {"sent": sent} if sent is not None else None
        session, proxy = self._client(), self._proxy_for(url)
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                response = await session.post(
                    url, data=payload, headers=self._headers, proxy=proxy, trace_request_ctx=trace
                )
                if response.status < 400:
                    return response
                error = await status_error(url, response)
            except (aiohttp.ClientError, TimeoutError) as exc:
                if last:
                    raise transport_error(url, exc) from exc
                await asyncio.sleep(backoff(attempt, None))
                continue
            if last or not should_retry(response.status, error.response.headers):
                raise error
            await asyncio.sleep(backoff(attempt, error.response.headers))
        raise AssertionError("unreachable: the last try returns or raises")


async def chunks(url: str, response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    """The response body as it arrives; a stream that breaks or stalls past the timeout
    raises the openai exception for it, as a failed request does."""
    try:
        async for chunk in response.content.iter_any():
            yield chunk
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise transport_error(url, exc) from exc


def should_retry(status: int, headers: httpx2.Headers) -> bool:
    """The SDK's rule: the server's ``x-should-retry`` first, then 408, 409, 429 and 5xx,
    never when the server asks for more than a minute."""
    wait = retry_after_seconds(headers)
    if wait is not None and wait > MAX_RETRY_AFTER:
        return False
    told = headers.get("x-should-retry")
    if told in ("true", "false"):
        return told == "true"
    return status in (408, 409, 429) or status >= 500


def retry_after_seconds(headers: httpx2.Headers) -> float | None:
    """``retry-after-ms``, else ``retry-after``, in seconds; None when neither is there as
    a finite, non-negative number."""
    for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            seconds = float(headers.get(header, "")) / divisor
        except ValueError:
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


def backoff(attempt: int, headers: httpx2.Headers | None) -> float:
    """Seconds before try ``attempt + 1``: what the server asked (up to a minute), else
    0.5 s doubling to at most 8 s, less up to a quarter at random."""
    wait = retry_after_seconds(headers) if headers is not None else None
    if wait is not None and 0 < wait <= MAX_RETRY_AFTER:
        return wait
    return min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY) * (1 - 0.25 * random.random())


async def status_error(url: str, response: aiohttp.ClientResponse) -> openai.APIStatusError:
    """The refusal as the SDK raises it: its class by status, the server's ``error``
    object as its body. Reads and releases the response."""
    try:
        raw = await response.read()
    finally:
        response.release()
    try:
        data: object = json.loads(raw)
    except ValueError:
        data = raw.decode("utf-8", "replace") or None
    body = data.get("error", data) if isinstance(data, dict) else data
    refusal = httpx2.Response(
        response.status,
        headers=list(response.headers.items()),
        content=raw,
        request=httpx2.Request("POST", url),
    )
    kind = _STATUS_ERRORS.get(response.status)
    if kind is None:
        kind = openai.InternalServerError if response.status >= 500 else openai.APIStatusError
    return kind(f"Error code: {response.status}", response=refusal, body=body)


def transport_error(url: str, exc: BaseException) -> openai.APIConnectionError:
    """A connection that failed, broke or timed out, as the SDK raises it (the cause,
    kept in the chain by ``raise ... from``, says which)."""
    request = httpx2.Request("POST", url)
    if isinstance(exc, TimeoutError):
        return openai.APITimeoutError(request=request)
    return openai.APIConnectionError(request=request)
