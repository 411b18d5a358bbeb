"""The Slack adapter served for real on 127.0.0.1, driven by signed requests.

``open_slack()`` opens the bot's App (offline engine unless one is given, SQLite in a
temp dir), builds the Bolt app with ``build_slack_app`` and serves it with aiohttp; its
Web API calls go to ``FakeSlack``. ``Slack.command/event/interaction`` send properly
signed payloads shaped like Slack's and return the HTTP status and how long the ack took.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web

from bot.adapters.slack import build_slack_app, make_runtime
from bot.adapters.slack.app import http_app
from bot.adapters.slack.runtime import SlackRuntime
from bot.app import App, open_app
from bot.registry import CommandSpec, Registry
from bot.settings import Settings
from generation.base import TextEngine
from tests.adapters.slack.fake_slack import (
    BOT_USER,
    CLIENT_ID,
    CLIENT_SECRET,
    TEAM,
    TOKEN,
    FakeSlack,
)

SECRET = "test-signing-secret-8f742231b10e"
OpenSlack = Callable[..., contextlib.AbstractAsyncContextManager["Slack"]]


def signature(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Sent:
    status: int
    text: str
    elapsed: float


class Slack:
    def __init__(
        self,
        app: App,
        fake: FakeSlack,
        session: aiohttp.ClientSession,
        url: str,
        runtime: SlackRuntime,
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.fake = fake
        self.session = session
        self.url = url
        self._n = itertools.count(1)

    async def send(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str = SECRET,
        signed: bool = True,
    ) -> Sent:
        raw = body.encode()
        ts = int(time.time()) if timestamp is None else timestamp
        sent_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            sent_headers["X-Slack-Request-Timestamp"] = str(ts)
            sent_headers["X-Slack-Signature"] = signature(raw, ts, secret)
        t0 = time.perf_counter()
        async with self.session.post(self.url, data=raw, headers=sent_headers) as resp:
            text = await resp.text()
        return Sent(resp.status, text, time.perf_counter() - t0)

    def command_body(
        self,
        name: str,
        text: str = "",
        *,
        user: str = "U1",
        user_name: str = "dana",
        channel: str = "C1",
        team: str = TEAM,
    ) -> str:
        n = next(self._n)
        return urlencode(
            {
                "token": "legacy",
                "team_id": team,
                "team_domain": "writers",
                "channel_id": channel,
                "channel_name": "writers",
                "user_id": user,
                "user_name": user_name,
                "command": f"/{name}",
                "text": text,
                "api_app_id": "A0WR",
                "response_url": f"{self.fake.url}/response/{n}",
                "trigger_id": f"{n}.{n}.trig",
            }
        )

    async def command(self, name: str, text: str = "", **kw: Any) -> Sent:
        return await self.send(
            self.command_body(name, text, **kw), "application/x-www-form-urlencoded"
        )

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
        team: str = TEAM,
    ) -> Sent:
        body = {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A0WR",
            "type": "event_callback",
            "event": {"event_ts": event.get("ts", "1.0"), **event},
            "event_id": event_id or f"Ev{next(self._n):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}],
        }
        headers = {}
        if retry is not None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.send(json.dumps(body), "application/json", headers=headers)

    async def message(
        self,
        text: str,
        *,
        thread: str | None = None,
        user: str = "U1",
        channel: str = "C1",
        parent: str | None = BOT_USER,
        **extra: Any,
    ) -> Sent:
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": self.fake.next_ts(),
            "team": TEAM,
            "channel_type": "channel",
            **extra,
        }
        if thread:
            event["thread_ts"] = thread
            if parent:
                event["parent_user_id"] = parent
        return await self.event(event)

    async def mention(
        self, text: str, *, thread: str | None = None, user: str = "U2", channel: str = "C1"
    ) -> Sent:
        """An app_mention of the bot: "<@bot> ``text``", in ``thread`` when given."""
        event: dict[str, Any] = {
            "type": "app_mention",
            "channel": channel,
            "user": user,
            "team": TEAM,
            "text": f"<@{BOT_USER}> {text}",
            "ts": self.fake.next_ts(),
        }
        if thread:
            event["thread_ts"] = thread
        return await self.event(event)

    async def interaction(self, payload: dict[str, Any]) -> Sent:
        return await self.send(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    async def click(
        self,
        button: dict[str, Any],
        message_ts: str,
        *,
        thread: str | None = None,
        channel: str = "C1",
        user: str = "U1",
    ) -> Sent:
        message: dict[str, Any] = {
            "type": "message",
            "ts": message_ts,
            "user": BOT_USER,
            "bot_id": "BBOT",
            "text": "…",
        }
        if thread:
            message["thread_ts"] = thread
        return await self.interaction(
            {
                "type": "block_actions",
                "team": {"id": TEAM, "domain": "writers"},
                "user": {"id": user, "username": "dana", "name": "dana", "team_id": TEAM},
                "api_app_id": "A0WR",
                "trigger_id": f"{next(self._n)}.trig",
                "container": {
                    "type": "message",
                    "message_ts": message_ts,
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "channel": {"id": channel, "name": "writers"},
                "message": message,
                "actions": [
                    {
                        "type": "button",
                        "action_id": button["action_id"],
                        "block_id": "writersroom_actions",
                        "value": button.get("value", ""),
                        "text": button["text"],
                        "action_ts": str(time.time()),
                    }
                ],
            }
        )

    async def idle(self, within: float = 10.0) -> None:
        """Wait until no job runs and no listener is still dispatching."""
        deadline = time.monotonic() + within
        quiet = 0
        while quiet < 3:
            if time.monotonic() > deadline:
                raise AssertionError("the app did not settle")
            busy = self.app.jobs.running() or self.runtime.busy
            quiet = quiet + 1 if not busy else 0
            await asyncio.sleep(0.02)


def buttons(blocks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reply's own buttons (its actions), not the feedback ones under it."""
    return [
        e
        for b in blocks
        if b["type"] == "actions" and b.get("block_id") != "writersroom_feedback"
        for e in b["elements"]
    ]


def feedback_buttons(blocks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Good / Not good buttons under a generated reply."""
    return [
        e
        for b in blocks
        if b["type"] == "actions" and b.get("block_id") == "writersroom_feedback"
        for e in b["elements"]
    ]


def texts(blocks: Sequence[dict[str, Any]]) -> list[str]:
    """Every text a person sees in the blocks, in order."""
    out: list[str] = []
    for b in blocks:
        if "text" in b and isinstance(b["text"], dict):
            out.append(b["text"]["text"])
        out.extend(f["text"] for f in b.get("fields", []))
        out.extend(e["text"] for e in b.get("elements", []) if isinstance(e.get("text"), str))
    return out


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        slack.add_user("U1", "Dana")
        slack.add_user("U2", "Sam", admin=True)
        yield slack


def slack_settings(settings: Settings, fake: FakeSlack, *, oauth: bool = False) -> Settings:
    """Settings for one workspace (SLACK_BOT_TOKEN), or, ``oauth``, for installs in many
    (the app's client id and secret, no bot token)."""
    if oauth:
        return dataclasses.replace(
            settings,
            slack_bot_token=None,
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            slack_client_id=CLIENT_ID,
            slack_client_secret=CLIENT_SECRET,
        )
    return dataclasses.replace(
        settings, slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url
    )


@contextlib.asynccontextmanager
async def serve(
    settings: Settings,
    fake: FakeSlack,
    *,
    engine: TextEngine | None = None,
    specs: Sequence[CommandSpec] = (),
    edit_interval: float = 0.2,
    oauth: bool = False,
) -> AsyncIterator[Slack]:
    seeds = itertools.count(1)
    async with open_app(
        slack_settings(settings, fake, oauth=oauth), engine=engine, seeds=lambda: next(seeds)
    ) as app:
        if specs:
            names = {s.name for s in specs}
            kept = [s for s in app.dispatcher.registry if s.name not in names]
            app.dispatcher.registry = Registry([*kept, *specs])
        async with aiohttp.ClientSession() as session:
            rt = make_runtime(app, session=session, edit_interval=edit_interval, oauth=oauth)
            bolt = build_slack_app(app, runtime=rt)
            runner = web.AppRunner(http_app(bolt, rt), access_log=None)
            await runner.setup()
            try:
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                host, port = runner.addresses[0][:2]
                yield Slack(app, fake, session, f"http://{host}:{port}/slack/events", rt)
            finally:
                await runner.cleanup()
                await rt.drain(grace=5)
                await app.jobs.shutdown(grace=5)
                await rt.edits.close()


@pytest.fixture
def open_slack(settings: Settings, fake: FakeSlack) -> OpenSlack:
    def opener(**kw: Any) -> contextlib.AbstractAsyncContextManager[Slack]:
        return serve(settings, fake, **kw)

    return opener


@pytest.fixture
async def slack(open_slack: OpenSlack) -> AsyncIterator[Slack]:
    async with open_slack() as opened:
        yield opened
