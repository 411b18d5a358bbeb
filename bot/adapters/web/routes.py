"""The board's routes, under /board on the bot's HTTP server.

- ``GET /board/<token>``: the page for the link (403 and a short page saying how to get a
  new link when the token is tampered with, expired or revoked);
- ``GET /board/assets/board.js|board.css``: the front end, shipped in the package;
- ``POST /board/api/move|edit|add|remove``: one change, JSON, token in ``X-Board-Token``;
  the answer carries the board as it now is (on a refusal too, so the page can put back
  a card it moved ahead of the answer);
- ``GET /board/api/events``: server-sent events, a ``board`` event with the board's HTML
  whenever it changes (live.py), ``refused`` once the link stops working.

Every request checks the token in full (signature, expiry, the channel's generation):
a write, and each update an open stream sends. The story side is commands/board_page.py.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import web

from bot.adapters.web import guard
from bot.adapters.web.guard import Refused
from bot.adapters.web.live import Hub
from bot.adapters.web.render import REASONS, RELINK, board_part, page_html, refused_html
from bot.app import App
from commands import board_page
from commands.board_link import open_link
from commands.render import short
from core.errors import CommandError, Conflict, NotFound
from core.links import BoardLink, LinkRefused, Refusal

log = logging.getLogger(__name__)

ASSET_TYPES = {"board.js": "text/javascript", "board.css": "text/css", "board.svg": "image/svg+xml"}
HEARTBEAT = 15.0
"""Seconds between two keep-alive comments on an idle stream (and looks at the expiry)."""
OOPS = "Something went wrong on the bot's side; the change may not have been made."


@dataclass
class BoardSite:
    """What the routes share: the bot's app, the live hub, the signing key (read once at
    startup) and the clock links expire by."""

    app: App
    hub: Hub
    key: bytes = b""
    clock: Callable[[], float] = time.time

    async def check(self, token: str) -> BoardLink:
        return await open_link(token, self.key, self.app.store, self.clock())

    async def answer(self, link: BoardLink, body: dict[str, Any], status: int) -> web.Response:
        """``body`` with the board as it now is."""
        view = await board_page.page(self.app.store, link.key)
        response = web.json_response(
            {**body, "version": view.version, "html": board_part(view)}, status=status
        )
        response.enable_compression()  # a 60-beat board: 33 KB, 2.4 KB gzipped
        return response


SITE = web.AppKey("board_site", BoardSite)
ASSETS = web.AppKey("board_assets", dict)

Action = Callable[[BoardSite, BoardLink, dict[str, Any]], Awaitable[str]]


async def _move(site: BoardSite, link: BoardLink, body: dict[str, Any]) -> str:
    act = guard.number(body, "act")
    after = await board_page.move_card(
        site.app.store,
        link.key,
        link.person,
        guard.number(body, "beat"),
        act,
        guard.number(body, "position"),
    )
    moved = next((b for b in after if b.id == body["beat"]), None)
    return f"Moved to act {act}." if moved is not None else "Nothing moved."


async def _edit(site: BoardSite, link: BoardLink, body: dict[str, Any]) -> str:
    beat = guard.number(body, "beat")
    await board_page.edit_card(
        site.app.store, link.key, link.person, beat, guard.text(body, "text")
    )
    return "Saved."


async def _add(site: BoardSite, link: BoardLink, body: dict[str, Any]) -> str:
    act = guard.number(body, "act")
    await board_page.add_card(site.app.store, link.key, link.person, act, guard.text(body, "text"))
    return f"Added a beat to act {act}."


async def _remove(site: BoardSite, link: BoardLink, body: dict[str, Any]) -> str:
    gone = await board_page.remove_card(
        site.app.store, link.key, link.person, guard.number(body, "beat")
    )
    return f"Removed “{short(gone.text, 40)}”. /story undo in the channel brings it back."


ACTIONS: dict[str, Action] = {"move": _move, "edit": _edit, "add": _add, "remove": _remove}


def _refusal(exc: LinkRefused) -> web.Response:
    message = f"{REASONS[exc.reason]} {RELINK}"
    return web.json_response({"error": message, "refused": exc.reason}, status=403)


async def show(request: web.Request) -> web.Response:
    site = request.app[SITE]
    try:
        link = await site.check(request.match_info["token"])
    except LinkRefused as exc:
        log.info("board: refused a %s link", exc.reason)
        return web.Response(status=403, text=refused_html(exc.reason), content_type="text/html")
    view = await board_page.page(site.app.store, link.key)
    response = web.Response(text=page_html(view, link), content_type="text/html")
    response.enable_compression()
    return response


async def asset(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    found = request.app[ASSETS].get(name)
    if found is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=found,
        content_type=ASSET_TYPES[name],
        charset="utf-8",
        headers={"Cache-Control": "no-cache"},
    )


async def change(request: web.Request) -> web.Response:
    site = request.app[SITE]
    action = request.match_info["action"]
    link: BoardLink | None = None
    try:
        body = await guard.write_body(request, site.app.settings.public_url)
        link = await site.check(guard.token_of(request))
        note = await ACTIONS[action](site, link, body)
    except Refused as exc:
        return web.json_response({"error": exc.message}, status=exc.status)
    except LinkRefused as exc:
        return _refusal(exc)
    except CommandError as exc:
        assert link is not None
        status = 404 if isinstance(exc, NotFound) else 409 if isinstance(exc, Conflict) else 400
        return await site.answer(link, {"error": exc.message}, status)
    except Exception:
        log.exception("board: %s failed", action)
        return web.json_response({"error": OOPS}, status=500)
    log.info("board: %s by %s in %s", action, link.person.id, "/".join(link.key))
    site.hub.poke()
    return await site.answer(link, {"note": note}, 200)


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def _refused_event(reason: Refusal) -> bytes:
    return _event("refused", {"error": f"{REASONS[reason]} {RELINK}", "refused": reason})


async def events(request: web.Request) -> web.StreamResponse:
    site = request.app[SITE]
    try:
        link = await site.check(guard.token_of(request))
    except Refused as exc:
        return web.json_response({"error": exc.message}, status=exc.status)
    except LinkRefused as exc:
        return _refusal(exc)
    try:
        sent = int(request.headers.get(guard.VERSION_HEADER, "-1"))
    except ValueError:
        sent = -1
    # Its headers go out now, before the middleware could add them: the strict ones here
    stream = web.StreamResponse(
        headers={
            **guard.HEADERS,
            "Cache-Control": "no-store",  # it carries the whole board's text
            "Content-Type": "text/event-stream",
            "X-Accel-Buffering": "no",
        }
    )
    await stream.prepare(request)
    try:
        async with site.hub.watch(link.key) as viewer:
            await stream.write(b": open\n\n")
            while not viewer.closed:
                update = await viewer.next(HEARTBEAT)
                if viewer.closed:
                    break
                if site.clock() >= link.expires:
                    await stream.write(_refused_event("expired"))
                    break
                if update is None:
                    await stream.write(b": ping\n\n")
                elif update.generation != link.generation:
                    await stream.write(_refused_event("revoked"))
                    break
                elif update.version != sent:
                    await stream.write(
                        _event("board", {"version": update.version, "html": update.html})
                    )
                    sent = update.version
    except ConnectionResetError:
        pass  # the page was closed
    return stream


def load_assets() -> dict[str, bytes]:
    folder = resources.files("bot.adapters.web") / "assets"
    return {name: (folder / name).read_bytes() for name in ASSET_TYPES}
