"""Reading a failed model call: Retry-After, and whether the connection was ever made."""

from __future__ import annotations

import errno
import math

import httpx2


def retry_after(headers: httpx2.Headers) -> int | None:
    for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            seconds = float(headers.get(header, "")) / divisor
        except ValueError:
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return max(1, math.ceil(seconds))
    return None


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
