"""Discord over the network, for bot processes the tests start: a gateway and REST APIs.

``FakeGateway`` serves a websocket gateway (HELLO, IDENTIFY, READY, GUILD_CREATE,
heartbeats) and delivers each guild's events to the connection of the shard that owns
it (``shard_of``), as Discord does. It records every IDENTIFY (shard, time), so a test
can check their spacing. ``rest(fake)`` serves one ``FakeDiscord``'s REST API over HTTP
(bot routes and interaction webhooks), for one bot process pointed at it with
DISCORD_API_URL; each process gets its own, so a test sees which process answered. Its
GET /gateway/bot names the shared gateway and the bucket size, ``max_concurrency``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import discord
from aiohttp import WSMsgType, web
from discord.http import Route

from bot.adapters.discord.shards import shard_of
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import guild_payload
from tests.adapters.discord.payloads import APP_ID, BOT

API = "/api/v10"


@dataclass
class _Shard:
    ws: web.WebSocketResponse
    shard: int
    seq: int = 0

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.seq, "d": data}))


@dataclass
class FakeGateway:
    shard_count: int
    guilds: dict[int, list[dict[str, Any]]]
    """Guild id -> its channels (GUILD_CREATE'd to the shard that owns the guild)."""
    max_concurrency: int = 2
    identified: list[tuple[int, float]] = field(default_factory=list)
    shards: dict[int, _Shard] = field(default_factory=dict)
    url: str = ""
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        shard: _Shard | None = None
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            if frame["op"] == 1:  # heartbeat
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:  # identify
                shard_id, count = frame["d"]["shard"]
                assert count == self.shard_count, frame["d"]["shard"]
                self.identified.append((shard_id, time.monotonic()))
                shard = _Shard(ws, shard_id)
                self.shards[shard_id] = shard
                await self._ready_shard(shard)
        if shard is not None and self.shards.get(shard.shard) is shard:
            del self.shards[shard.shard]
        return ws

    async def _ready_shard(self, shard: _Shard) -> None:
        mine = [g for g in self.guilds if shard_of(g, self.shard_count) == shard.shard]
        await shard.dispatch(
            "READY",
            {
                "v": 10,
                "user": BOT,
                "guilds": [{"id": str(g), "unavailable": True} for g in mine],
                "session_id": f"session-{shard.shard}",
                "resume_gateway_url": self.url,
                "shard": [shard.shard, self.shard_count],
                "application": {"id": str(APP_ID), "flags": 0},
            },
        )
        for gid in mine:
            await shard.dispatch("GUILD_CREATE", guild_payload(gid, self.guilds[gid]))
        self._ready.set()

    async def deliver(self, guild_id: int, event: str, data: dict[str, Any]) -> int:
        """Send ``event`` to the shard that owns ``guild_id``; returns that shard."""
        shard = shard_of(guild_id, self.shard_count)
        await self.shards[shard].dispatch(event, data)
        return shard

    async def wait_identified(self, shards: int, within: float = 60.0) -> None:
        async with asyncio.timeout(within):
            while len({s for s, _ in self.identified}) < shards:
                self._ready.clear()
                await self._ready.wait()


def _json(value: Any, status: int = 200) -> web.Response:
    """JSON as Discord sends it: discord.py reads a body as JSON only when the content type
    is exactly ``application/json`` (no charset)."""
    return web.Response(
        body=json.dumps(value).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _rest_app(fake: FakeDiscord, gateway: FakeGateway) -> web.Application:
    async def route(request: web.Request) -> web.Response:
        path = request.path.removeprefix(API)
        if path == "/users/@me":
            return _json(BOT)
        if path == "/oauth2/applications/@me":
            return _json(_application())
        if path == "/gateway/bot":
            return _json(
                {
                    "url": gateway.url,
                    "shards": gateway.shard_count,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 1000,
                        "reset_after": 0,
                        "max_concurrency": gateway.max_concurrency,
                    },
                }
            )
        payload, files = await _body(request)
        fake.activate()
        try:
            answer = await fake._handle(
                Route(request.method, path), payload, files, dict(request.query)
            )
        except discord.HTTPException as exc:
            return _json({"code": exc.code, "message": exc.text}, status=exc.status)
        if answer is None:
            return web.Response(status=204)
        return _json(answer)

    app = web.Application()
    app.router.add_route("*", API + "/{tail:.*}", route)
    return app


async def _body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    if not request.can_read_body:
        return None, []
    if request.content_type.startswith("multipart/"):
        payload: Any = {}
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":  # type: ignore[union-attr]
                payload = json.loads(await part.text())  # type: ignore[union-attr]
            else:
                files.append((part.filename or "file", await part.read()))  # type: ignore[union-attr]
        return payload, files
    text = await request.text()
    return (json.loads(text) if text else None), []


def _application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "writersroom",
        "icon": None,
        "description": "",
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": {k: BOT[k] for k in ("id", "username", "discriminator", "avatar")},
        "verify_key": "0" * 64,
        "flags": 0,
        "summary": "",
    }


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, int(port)


@contextlib.asynccontextmanager
async def serving(gateway: FakeGateway, fakes: list[FakeDiscord]) -> AsyncIterator[list[str]]:
    """Run the gateway and one REST API per fake; yields the APIs' base URLs."""
    ws_app = web.Application()
    ws_app.router.add_get("/", gateway.handle)
    runners = []
    runner, port = await _serve(ws_app)
    runners.append(runner)
    gateway.url = f"ws://127.0.0.1:{port}/"
    urls = []
    for fake in fakes:
        runner, port = await _serve(_rest_app(fake, gateway))
        runners.append(runner)
        urls.append(f"http://127.0.0.1:{port}{API}")
    try:
        yield urls
    finally:
        for shard in list(gateway.shards.values()):
            with contextlib.suppress(Exception):
                await shard.ws.close()
        for runner in runners:
            await runner.cleanup()
