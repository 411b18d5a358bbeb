"""The web board: the room's beat board as cards to drag, live, from a private link.

An adapter like the others: HTTP in, commands/board_page.py, HTML out. It is served by
the bot's own aiohttp server, at /board under WRITERSROOM_PUBLIC_URL:

- in Slack's HTTP mode, on the same server as /slack/events (``mount``);
- otherwise (Slack in Socket Mode, Discord only, the terminal) by ``python -m bot web
  --port N`` (``serve_web``), a process on the same database as the bot.

Modules: routes.py (the routes and the site they share), guard.py (headers, what a write
must carry), render.py (server-rendered HTML), live.py (updates from the database to
every open page), assets/ (board.js and board.css, plain files shipped in the package:
no framework, no build step). Links are made by /outline board (commands/board_link.py);
the threat model is in docs/SECURITY.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot.adapters.web.guard import secure_headers
from bot.adapters.web.live import POLL, Hub
from bot.adapters.web.render import board_part
from bot.adapters.web.routes import (
    ASSETS,
    SITE,
    BoardSite,
    asset,
    change,
    events,
    load_assets,
    show,
)
from bot.app import App
from bot.runtime import settle_heap
from commands.board_link import signing_key

__all__ = ["board_app", "mount", "serve_web", "web_application"]

log = logging.getLogger(__name__)

PREFIX = "/board"
SHUTDOWN_TIMEOUT = 5.0
"""Seconds a stopping server waits for requests in flight (open streams end at once)."""


def board_app(
    app: App, *, poll: float = POLL, clock: Callable[[], float] | None = None
) -> web.Application:
    """The board's sub-application (its own middleware, so nothing else on the server is
    touched). ``poll``: seconds between looks at the database; ``clock``: links' clock."""
    sub = web.Application(middlewares=[secure_headers])
    site = BoardSite(app, Hub(app.store, board_part, poll=poll))
    if clock is not None:
        site.clock = clock
    sub[SITE] = site
    sub[ASSETS] = load_assets()

    async def lifespan(_: web.Application) -> AsyncIterator[None]:
        site.key = await signing_key(app.settings, app.store)
        yield
        await site.hub.close()

    async def stop_streams(_: web.Application) -> None:
        await site.hub.close()

    sub.cleanup_ctx.append(lifespan)
    sub.on_shutdown.append(stop_streams)
    sub.router.add_get("/assets/{name}", asset)
    sub.router.add_get("/api/events", events)
    sub.router.add_post("/api/{action:move|edit|add|remove}", change)
    sub.router.add_get("/{token}", show)
    return sub


def mount(web_app: web.Application, app: App) -> None:
    """Serve the board at /board on ``web_app`` (Slack's HTTP mode calls this)."""
    web_app.add_subapp(PREFIX, board_app(app))


async def _index(request: web.Request) -> web.Response:
    return web.Response(
        text="writersroom's web board. Ask for a link in your channel: /outline board\n",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


def web_application(
    app: App, *, poll: float = POLL, clock: Callable[[], float] | None = None
) -> web.Application:
    """A server of its own for the board (``python -m bot web``): the board at /board."""
    root = web.Application()
    root.add_subapp(PREFIX, board_app(app, poll=poll, clock=clock))
    root.router.add_get("/", _index)
    return root


async def serve_web(app: App, *, host: str, port: int) -> None:
    """Serve the board until cancelled."""
    if not app.settings.public_url:
        log.warning("WRITERSROOM_PUBLIC_URL is not set: /outline board cannot make links")
    runner = web.AppRunner(web_application(app), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        settle_heap()
        await site.start()
        log.info("web board listening on %s:%d%s", host, port, PREFIX)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
