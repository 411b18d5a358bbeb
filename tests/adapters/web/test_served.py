"""Where the board is served: on Slack's HTTP-mode server next to /slack/events (the
link /outline board gives there, ephemerally, opens on that same port), and by
``python -m bot web`` (``serve_web``) for Socket Mode, Discord and the terminal."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
import socket
import time
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.adapters.slack import run_slack
from bot.adapters.web import serve_web
from bot.app import open_app
from bot.cli import build_parser
from bot.settings import Settings
from tests.adapters.slack.conftest import signature, slack_settings
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.bot.helpers import Session

pytestmark = pytest.mark.timeout(30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def running(task: asyncio.Task[None]) -> AsyncIterator[None]:
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    for _ in range(250):  # until it listens
        try:
            async with session.get(url) as resp:
                return resp.status, await resp.text()
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.02)
    raise AssertionError(f"nothing listens at {url}")


async def test_slacks_http_server_serves_the_board_its_ephemeral_link_opens(
    settings: Settings,
) -> None:
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    async with FakeSlack() as fake:
        fake.add_user("U1", "Dana")
        web_settings = dataclasses.replace(slack_settings(settings, fake), public_url=public)
        async with (
            open_app(web_settings) as app,
            aiohttp.ClientSession() as session,
            running(asyncio.create_task(run_slack(app, http=True, port=port, host="127.0.0.1"))),
        ):
            await Session(app).say("/outline add 1 not this channel's")  # the terminal's
            assert (await get(session, f"{public}/board/nonsense"))[0] == 403
            form = {
                "team_id": TEAM,
                "channel_id": "C1",
                "user_id": "U1",
                "user_name": "dana",
                "command": "/outline",
                "text": "board",
                "response_url": f"{fake.url}/response/1",
                "trigger_id": "1.1.trig",
            }
            body = urlencode(form).encode()
            ts = int(time.time())
            headers = {
                "X-Slack-Request-Timestamp": str(ts),
                "X-Slack-Signature": signature(body, ts),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            async with session.post(f"{public}/slack/events", data=body, headers=headers) as r:
                assert r.status == 200
            [ephemeral] = await fake.wait_for(lambda: fake.calls_to("chat.postEphemeral"))
            assert ephemeral.args["user"] == "U1" and not fake.posts()
            said = str(ephemeral.args)
            found = re.search(re.escape(public) + r"/board/[a-z0-9.]+", said)
            assert found is not None, said

            status, html = await get(session, found.group(0))

    assert status == 200 and "Board · Untitled" in html and "not this channel" not in html
    assert "recorded as <strong>dana</strong>" in html


async def test_python_m_bot_web_serves_the_board_alone(settings: Settings) -> None:
    assert build_parser().parse_args(["web", "--port", "9999"]).port == 9999
    port = free_port()
    web_settings = dataclasses.replace(settings, public_url=f"http://127.0.0.1:{port}")
    async with (
        open_app(web_settings) as app,
        aiohttp.ClientSession() as session,
        running(asyncio.create_task(serve_web(app, host="127.0.0.1", port=port))),
    ):
        said = await Session(app).say("/outline board")
        found = re.search(r"http://127\.0\.0\.1:\d+/board/[a-z0-9.]+", said)
        assert found is not None, said
        status, html = await get(session, found.group(0))
        assert status == 200 and 'id="page"' in html
        root = await get(session, f"http://127.0.0.1:{port}/")
        assert root[0] == 200 and "/outline board" in root[1]
