"""The board's defences at the door: headers on every answer, and what a write must carry.

- **Headers** (``secure_headers``, a middleware of the board's own sub-application, so the
  Slack routes it shares a server with are untouched): a Content-Security-Policy that
  runs only the package's own script and style (no inline script, no nonce, no eval,
  nothing from another origin, no frames, no form submissions), no Referer (the link is a
  credential), no caching, no MIME sniffing.
- **Writes** (``write_body``): JSON only, with the link's token in the ``X-Board-Token``
  header (never a cookie, so a page elsewhere cannot ride on the writer's browser);
  a request a browser marks as cross-site, or from another origin, is refused. A form on
  another site can set neither the header nor the content type without a CORS preflight,
  which nothing here answers.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
TOKEN_HEADER = "X-Board-Token"
VERSION_HEADER = "X-Board-Version"
MAX_BODY = 16 * 1024
"""A write's JSON is a beat's text and a few numbers."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Refused(Exception):
    """A request the door turns away: ``status`` and a short message for the page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@web.middleware
async def secure_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:  # aiohttp's own 404s and 405s get the headers too
        response = exc
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "no-store")
    if isinstance(response, web.HTTPException):
        raise response
    return response


def token_of(request: web.Request) -> str:
    token = request.headers.get(TOKEN_HEADER, "").strip()
    if not token:
        raise Refused(403, "This request carries no board link.")
    return token


def _same_origin(request: web.Request, public_url: str | None) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not sent by browsers on same-origin GETs; writes need the header anyway
    allowed = {f"{request.scheme}://{request.host}"}
    if public_url:
        parts = urlsplit(public_url)
        allowed.add(f"{parts.scheme}://{parts.netloc}")
    return origin in allowed


async def write_body(request: web.Request, public_url: str | None) -> dict[str, Any]:
    """The JSON object a write sends, once the request proved it comes from the page."""
    if not _same_origin(request, public_url):
        raise Refused(403, "Cross-site requests are refused.")
    if request.content_type != "application/json":
        raise Refused(415, "Changes are sent as JSON.")
    if (request.content_length or 0) > MAX_BODY:
        raise Refused(413, "That is too long for one change.")
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise Refused(413, "That is too long for one change.")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # nested too deep for the parser: not a change
        raise Refused(400, "That change is not readable JSON.") from None
    if not isinstance(body, dict):
        raise Refused(400, "A change is a JSON object.")
    return body


def number(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**53:
        raise Refused(400, f"'{name}' must be a positive whole number.")
    return value


def text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise Refused(400, f"'{name}' must be text.")
    return value
