"""The web board served for real on 127.0.0.1 (aiohttp's test server), with links made
the way people get them: ``/outline board`` typed in a channel (the terminal adapter).

``Board`` holds a server and sends what the page sends: the page at /board/<token>,
writes as JSON with the token in X-Board-Token, and the live stream.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import ClientResponse, ClientSession
from aiohttp.test_utils import TestServer

from bot.adapters.web import web_application
from bot.app import App
from bot.settings import Settings
from tests.bot.helpers import Session

PUBLIC_URL = "https://board.example"
_LINK = re.compile(r"https?://[^/\s]+/board/([a-z0-9.]+)")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, public_url=PUBLIC_URL)


async def link_in(app: App, channel: str = "general", user: str = "dana") -> str:
    """The token of the link ``/outline board`` gives ``user`` in ``channel``."""
    said = await Session(app, channel=channel, user=user).say("/outline board")
    found = _LINK.search(said)
    assert found is not None, said
    return found.group(1)


class Board:
    """A board server and a client for it."""

    def __init__(self, server: TestServer, session: ClientSession) -> None:
        self.server = server
        self.session = session

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def page(self, token: str) -> tuple[int, str, ClientResponse]:
        async with self.session.get(self.url(f"/board/{token}")) as resp:
            return resp.status, await resp.text(), resp

    async def write(
        self,
        token: str | None,
        action: str,
        body: dict[str, Any],
        *,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            sent["X-Board-Token"] = token
        async with self.session.post(
            self.url(f"/board/api/{action}"), data=json.dumps(body), headers=sent
        ) as resp:
            answer = await resp.json() if resp.content_type == "application/json" else {}
            return resp.status, answer


@contextlib.asynccontextmanager
async def serving(app: App, **options: Any) -> AsyncIterator[Board]:
    server = TestServer(web_application(app, **options), host="127.0.0.1")
    await server.start_server()
    try:
        async with ClientSession() as session:
            yield Board(server, session)
    finally:
        await server.close()


OpenBoard = Callable[..., contextlib.AbstractAsyncContextManager[Board]]


@pytest.fixture
def open_board(app: App) -> OpenBoard:
    """``async with open_board(clock=..., poll=...) as board``: a server with options."""

    def opener(**options: Any) -> contextlib.AbstractAsyncContextManager[Board]:
        return serving(app, **options)

    return opener


@pytest.fixture
async def board(open_board: OpenBoard) -> AsyncIterator[Board]:
    async with open_board(poll=0.05) as opened:
        yield opened


@pytest.fixture
def chat(app: App) -> Session:
    """Dana, typing in #general."""
    return Session(app)
