"""Live updates over server-sent events: a change from the page, from chat or from
another process on the database reaches every open board within a second; a revoked or
expired link's stream is told so and ends; shutting down ends every stream."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientResponse

from bot.adapters.web.live import Hub
from bot.adapters.web.render import board_part
from bot.app import App, open_app
from bot.settings import Settings
from core.types import Author
from storage import open_store
from tests.adapters.web.conftest import Board, OpenBoard, link_in, serving
from tests.bot.helpers import Session

pytestmark = pytest.mark.timeout(30)

WITHIN = 1.0
"""What the issue asks: the other page sees a change within a second."""


class Stream:
    def __init__(self, resp: ClientResponse) -> None:
        self.resp = resp

    async def event(self, within: float = WITHIN) -> tuple[str, dict[str, Any]]:
        """The next event (comments skipped), within ``within`` seconds."""
        async with asyncio.timeout(within):
            while True:
                block = (await self.resp.content.readuntil(b"\n\n")).decode()
                fields = dict(
                    line.split(": ", 1) for line in block.strip().splitlines() if ": " in line
                )
                if "event" in fields:
                    return fields["event"], json.loads(fields["data"])

    async def quiet(self, within: float) -> bool:
        """True when no event comes for ``within`` seconds."""
        try:
            await self.event(within)
        except TimeoutError:
            return True
        return False


@contextlib.asynccontextmanager
async def stream(board: Board, token: str, version: int = -1) -> AsyncIterator[Stream]:
    headers = {"X-Board-Token": token, "X-Board-Version": str(version)}
    async with board.session.get(board.url("/board/api/events"), headers=headers) as resp:
        assert resp.status == 200 and resp.content_type == "text/event-stream"
        yield Stream(resp)


async def version_of(board: Board, token: str) -> int:
    _, html, _ = await board.page(token)
    return int(html.split('data-version="')[1].split('"')[0])


async def test_a_stream_starts_with_the_board_when_the_page_is_behind(
    app: App, board: Board, chat: Session
) -> None:
    await chat.say("/outline add 1 Isla finds the logbook")
    token = await link_in(app)
    async with stream(board, token, version=0) as events:
        name, data = await events.event()
    assert name == "board" and "Isla finds the logbook" in data["html"]
    assert data["version"] == await version_of(board, token)


async def test_a_change_in_chat_reaches_an_open_board_within_a_second(
    app: App, board: Board, chat: Session
) -> None:
    token = await link_in(app)
    async with stream(board, token, await version_of(board, token)) as events:
        assert await events.quiet(0.3)  # up to date: nothing to send
        started = time.monotonic()
        await chat.say("/outline add 2 Callum puts out the lamp")
        name, data = await events.event()
    assert name == "board" and "Callum puts out the lamp" in data["html"]
    assert time.monotonic() - started < WITHIN


async def test_a_change_from_the_page_reaches_the_other_open_pages(
    app: App, board: Board, chat: Session
) -> None:
    await chat.say("/outline add 1 Isla finds the logbook")
    mine, theirs = await link_in(app, user="dana"), await link_in(app, user="sam")
    version = await version_of(board, mine)
    async with stream(board, theirs, version) as sams, stream(board, mine, version) as danas:
        beat = (await app.store.beats((await chat_story(app)).id))[0]
        await board.write(mine, "move", {"beat": beat.id, "act": 2, "position": 1})
        for events in (sams, danas):
            name, data = await events.event()
            assert name == "board" and 'data-act="2"' in data["html"].split("Isla finds")[0]


async def chat_story(app: App) -> Any:
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None
    return story


async def test_a_change_made_by_another_process_reaches_the_board(
    app: App, board: Board, chat: Session
) -> None:
    """Another process is another store on the same database: nothing tells this server
    but the database itself."""
    await chat.say("/outline add 1 Isla finds the logbook")
    token = await link_in(app)
    story = await chat_story(app)
    other = await open_store(app.settings.database)
    try:
        async with stream(board, token, await version_of(board, token)) as events:
            await other.add_beat(story.id, 3, "Elsewhere, the wreck surfaces", Author("w", "w"))
            name, data = await events.event()
    finally:
        await other.close()
    assert name == "board" and "the wreck surfaces" in data["html"]


async def test_revoking_ends_open_streams(app: App, board: Board, chat: Session) -> None:
    token = await link_in(app)
    async with stream(board, token, await version_of(board, token)) as events:
        await chat.say("/outline board revoke")
        name, data = await events.event()
        assert name == "refused" and data["refused"] == "revoked"
        assert "/outline board" in data["error"]
        async with asyncio.timeout(WITHIN):
            assert await events.resp.content.read() == b""  # the server closed it
    headers = {"X-Board-Token": token}
    async with board.session.get(board.url("/board/api/events"), headers=headers) as resp:
        assert resp.status == 403


async def test_a_link_that_expires_while_open_ends_its_stream(
    app: App, open_board: OpenBoard, chat: Session
) -> None:
    token = await link_in(app)
    now = [time.time()]
    async with (
        open_board(poll=0.05, clock=lambda: now[0]) as board,
        stream(board, token, await version_of(board, token)) as events,
    ):
        now[0] += app.settings.web_link_hours * 3600
        await chat.say("/outline add 1 After hours")
        name, data = await events.event()
    assert name == "refused" and data["refused"] == "expired"


async def test_shutting_down_ends_every_stream(app: App, open_board: OpenBoard) -> None:
    token = await link_in(app)
    async with open_board(poll=0.05) as board:
        headers = {"X-Board-Token": token}
        resp = await board.session.get(board.url("/board/api/events"), headers=headers)
        await resp.content.readuntil(b"\n\n")
        started = time.monotonic()
        await board.server.close()
        async with asyncio.timeout(5):
            await resp.content.read()
        resp.release()
    assert time.monotonic() - started < 5


async def test_on_postgresql_a_change_from_another_process_reaches_the_board(
    settings: Settings, pg_url: str
) -> None:
    pg = dataclasses.replace(settings, database_url=pg_url)
    async with open_app(pg) as app, serving(app, poll=0.05) as board:
        chat = Session(app)
        await chat.say("/outline add 1 Isla finds the logbook")
        token = await link_in(app)
        story = await chat_story(app)
        other = await open_store(pg_url)
        try:
            async with stream(board, token, await version_of(board, token)) as events:
                await other.add_beat(story.id, 2, "Callum lies", Author("w", "w"))
                name, data = await events.event()
                assert name == "board" and "Callum lies" in data["html"]
                await other.revoke_links(story.key)
                name, data = await events.event()
                assert name == "refused" and data["refused"] == "revoked"
        finally:
            await other.close()


class Flaky:
    """The store, but its first looks at the board marks fail (the database away)."""

    def __init__(self, store: Any, failures: int) -> None:
        self.store = store
        self.failures = failures

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    async def board_marks(self, keys: Any) -> Any:
        if self.failures:
            self.failures -= 1
            raise OSError("the database is away")
        return await self.store.board_marks(keys)


async def test_a_failed_look_at_the_database_is_said_once_and_retried(
    app: App, chat: Session, caplog: pytest.LogCaptureFixture
) -> None:
    await chat.say("/outline add 1 Isla finds the logbook")
    hub = Hub(Flaky(app.store, failures=3), board_part, poll=0.01)
    try:
        async with hub.watch(("terminal", "local", "general")) as viewer:
            update = await viewer.next(5)
    finally:
        await hub.close()
    assert update is not None and "Isla finds the logbook" in update.html
    failed = [r for r in caplog.records if "a round failed" in r.message]
    assert [r.levelname for r in failed] == ["ERROR"]
