"""``run_slack`` starts in both modes, against the fake Slack, and checks its settings."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.adapters.slack import run_slack
from bot.app import open_app
from bot.settings import Settings
from core.errors import ConfigError
from tests.adapters.slack.conftest import signature, slack_settings, texts
from tests.adapters.slack.fake_slack import TEAM, FakeSlack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def command(fake: FakeSlack, text: str = "") -> dict[str, str]:
    return {
        "token": "legacy",
        "team_id": TEAM,
        "channel_id": "C1",
        "user_id": "U1",
        "user_name": "dana",
        "command": "/help",
        "text": text,
        "response_url": f"{fake.url}/response/1",
        "trigger_id": f"{time.time()}.trig",
    }


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_http_mode_serves_signed_requests_at_slack_events(
    settings: Settings, fake: FakeSlack
) -> None:
    port = free_port()
    async with open_app(slack_settings(settings, fake)) as app:
        task = asyncio.create_task(run_slack(app, http=True, port=port, host="127.0.0.1"))
        body = urlencode(command(fake)).encode()
        url = f"http://127.0.0.1:{port}/slack/events"
        async with aiohttp.ClientSession() as session:
            for _ in range(200):  # until it listens
                try:
                    ts = int(time.time())
                    headers = {
                        "X-Slack-Request-Timestamp": str(ts),
                        "X-Slack-Signature": signature(body, ts),
                        "Content-Type": "application/x-www-form-urlencoded",
                    }
                    async with session.post(url, data=body, headers=headers) as resp:
                        assert resp.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.02)
        [post] = await fake.wait_for(fake.posts)
        assert post["channel"] == "C1" and "/help" in " ".join(texts(post["blocks"]))
        await stop(task)


async def test_socket_mode_connects_acks_envelopes_and_replies(
    settings: Settings, fake: FakeSlack
) -> None:
    socket_settings = dataclasses.replace(
        slack_settings(settings, fake), slack_app_token="xapp-1-test", slack_signing_secret=None
    )
    async with open_app(socket_settings) as app:
        task = asyncio.create_task(run_slack(app, http=False, port=0))
        await fake.wait_for(lambda: fake.socket_connections)
        sent_at = time.monotonic()
        envelope = fake.socket_send("slash_commands", command(fake, "dialogue"))
        [ack] = await fake.wait_for(lambda: fake.socket_acks)
        assert ack["envelope_id"] == envelope and time.monotonic() - sent_at < 3.0
        [post] = await fake.wait_for(fake.posts)
        assert post["channel"] == "C1" and post.get("thread_ts") is None
        assert [c["app_token"] for c in fake.calls_to("apps.connections.open")] == ["xapp-1-test"]
        await stop(task)


@pytest.mark.parametrize(
    ("http", "missing"), [(False, "SLACK_APP_TOKEN"), (True, "SLACK_SIGNING_SECRET")]
)
async def test_a_missing_setting_fails_at_start_by_name(
    settings: Settings, fake: FakeSlack, http: bool, missing: str
) -> None:
    bare = dataclasses.replace(
        slack_settings(settings, fake), slack_signing_secret=None, slack_app_token=None
    )
    async with open_app(bare) as app:
        with pytest.raises(ConfigError, match=missing):
            await run_slack(app, http=http, port=free_port())


async def test_http_mode_with_oauth_serves_the_install_page_and_events(
    settings: Settings, fake: FakeSlack
) -> None:
    port = free_port()
    async with open_app(slack_settings(settings, fake, oauth=True)) as app:
        task = asyncio.create_task(run_slack(app, http=True, port=port, host="127.0.0.1"))
        async with aiohttp.ClientSession() as session:
            for _ in range(200):  # until it listens
                try:
                    async with session.get(f"http://127.0.0.1:{port}/slack/install") as resp:
                        page = await resp.text()
                        assert resp.status == 200 and "oauth/v2/authorize" in page
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.02)
            redirect = f"http://127.0.0.1:{port}/slack/oauth_redirect?code=x&state=forged"
            async with session.get(redirect) as resp:
                assert resp.status == 400 and "Nothing was installed" in await resp.text()
        await stop(task)


async def test_oauth_without_a_signing_secret_fails_at_start_by_name(
    settings: Settings, fake: FakeSlack
) -> None:
    bare = dataclasses.replace(
        slack_settings(settings, fake, oauth=True), slack_signing_secret=None
    )
    async with open_app(bare) as app:
        with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
            await run_slack(app, http=True, port=free_port())
