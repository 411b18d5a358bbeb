"""The web board: loading a 60-beat board, and how fast a drag reaches another page.

The bot (offline engine, SQLite in a temp dir) serves the board on 127.0.0.1 with
``web_application``; a timing middleware in front of it measures the server's own time.

1. **Page load**: GET a 60-beat board (three acts, a cast of eight, five places, a scene
   drafted for every fourth beat) LOADS times on one keep-alive connection: server time
   p50/p99, round trip p99, and bytes sent (the HTML as it goes with and without gzip,
   and the script and stylesheet, fetched once per page).
2. **Drag to the other page**: two people's pages in headless Chromium (each its own
   browser context), MOVES drags of a card between act one and act two in one page; the
   time from the drop event in the first page to the card standing in its new act in the
   second (both stamped with the pages' shared clock), p50/p99. Without a browser here
   (tests/adapters/web/browser.py says how to install it) the same moves go as the page
   sends them, HTTP POSTs, and the time is to the second page's stream event.
3. **Chat to the page**: a beat added in chat (the terminal adapter) until it is on an
   open board's stream: bounded by the database poll (live.POLL), p50/p99.

Run: python -m bench web   (or python -m bench.bench_web)
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web

from bench.common import event_loop, median, percentile, run_loop, table
from bot.adapters.web import PREFIX, board_app
from bot.adapters.web.live import POLL
from bot.app import App, open_app
from bot.settings import load_settings
from core.models import Character, Location, Scene
from core.types import Author
from tests.adapters.web import browser
from tests.adapters.web.conftest import link_in
from tests.bot.helpers import Session

BEATS = 60
LOADS = 200
MOVES = 50
CHATS = 20
WHO = Author("bench", "Bench")
KEY = ("terminal", "local", "general")
TARGET_P99_MS = 1000.0  # the issue: the other page sees it within a second


async def seed(app: App) -> None:
    story = await app.store.ensure_story(KEY, WHO)
    for i in range(8):
        who = Character(f"Person{i} Surname{i}", one_line=f"the {i}th of the cast, with a secret")
        await app.store.add_character(story.id, who, WHO)
    for i in range(5):
        await app.store.add_location(story.id, Location(f"Place {i}", description="A room."), WHO)
    for n in range(BEATS):
        text = f"Person{n % 8} and Person{(n + 3) % 8} argue in Place {n % 5}, take {n + 1:02d}"
        beat = await app.store.add_beat(story.id, 1 + n * 3 // BEATS, text, WHO)
        if n % 4 == 0:
            scene = Scene(f"Scene {n + 1}", "INT. PLACE - NIGHT\n\nThey argue.", beat_id=beat.id)
            await app.store.add_scene(story.id, scene, WHO)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def server(app: App, spent: list[float]) -> web.Application:
    @web.middleware
    async def timing(request: web.Request, handler: Handler) -> web.StreamResponse:
        start = time.perf_counter()
        try:
            return await handler(request)
        finally:
            if request.path.count("/") == 2:  # the page itself, /board/<token>
                spent.append(time.perf_counter() - start)

    root = web.Application(middlewares=[timing])
    root.add_subapp(PREFIX, board_app(app))
    return root


async def page_load(session: ClientSession, url: str, spent: list[float]) -> list[dict[str, Any]]:
    trips = []
    for _ in range(LOADS):
        start = time.perf_counter()
        async with session.get(url) as resp:
            assert resp.status == 200
            await resp.read()
        trips.append(time.perf_counter() - start)
    sizes = {}
    for encoding in ("identity", "gzip"):
        async with session.get(url, headers={"Accept-Encoding": encoding}) as resp:
            sizes[encoding] = len(await resp.content.read())
    assets = 0
    for name in ("board.js", "board.css"):
        async with session.get(url.rsplit("/", 1)[0] + f"/assets/{name}") as resp:
            assets += len(await resp.read())
    ms = [s * 1000 for s in spent[-LOADS:]]
    return [
        row(
            f"page load, {BEATS} beats: server time p50 / p99 (ms)",
            f"{median(ms):.2f} / {percentile(ms, 99):.2f}",
            "",
            "",
        ),
        row(
            "page load: round trip p99 (ms)",
            f"{percentile([t * 1000 for t in trips], 99):.2f}",
            "",
            "",
        ),
        row(
            "page HTML sent (bytes): plain / gzip",
            f"{sizes['identity']:,} / {sizes['gzip']:,}",
            "",
            "",
        ),
        row("board.js + board.css (bytes, once per page)", f"{assets:,}", "", ""),
    ]


def row(measure: str, value: str, target: str, ok: str) -> dict[str, Any]:
    return {"measure": measure, "value": value, "target": target, "ok": ok}


async def browser_moves(app: App, base: str, beat: int) -> list[float]:
    latencies = []
    async with browser.chromium() as chromium:
        first = await browser.open_page(chromium, base + await link_in(app, user="ann"))
        second = await browser.open_page(chromium, base + await link_in(app, user="bo"))
        await browser.record_drops(first)
        card = f'.card[data-beat="{beat}"]'
        for i in range(MOVES):
            act = 2 if i % 2 == 0 else 1
            await browser.when_seen(second, f'.act[data-act="{act}"] {card}')
            await browser.drag(first, card, f'.act[data-act="{act}"] .card:first-child')
            await second.wait_for_function("() => window.seenAt !== null", timeout=5000)
            seen = await browser.value(second, "window.seenAt")
            dropped = await browser.value(first, "window.dropAt[window.dropAt.length - 1]")
            latencies.append(seen - dropped)
    return latencies


async def next_event(resp: Any) -> dict[str, Any]:
    while True:
        block = (await resp.content.readuntil(b"\n\n")).decode()
        if block.startswith("event: board"):
            data: dict[str, Any] = json.loads(block.split("data: ", 1)[1])
            return data


async def http_moves(session: ClientSession, base: str, token: str, beat: int) -> list[float]:
    headers = {"X-Board-Token": token}
    latencies = []
    async with session.get(base + "api/events", headers=headers) as stream:
        for i in range(MOVES):
            act = 2 if i % 2 == 0 else 1
            start = time.perf_counter()
            body = {"beat": beat, "act": act, "position": 1}
            async with session.post(base + "api/move", json=body, headers=headers) as resp:
                assert resp.status == 200
            await next_event(stream)
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


async def chat_to_page(app: App, session: ClientSession, base: str, token: str) -> list[float]:
    chat = Session(app)
    latencies = []
    async with session.get(base + "api/events", headers={"X-Board-Token": token}) as stream:
        for i in range(CHATS):
            await asyncio.sleep(POLL * (i % 5) / 5)  # land anywhere in the poll's period
            start = time.perf_counter()
            await chat.say(f"/outline add 3 A beat from chat, {i}")
            await next_event(stream)
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


async def run() -> tuple[list[dict[str, Any]], str]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            {"WRITERSROOM_DATA_DIR": str(Path(tmp)), "WRITERSROOM_PUBLIC_URL": "http://x"},
            dotenv=None,
        )
        async with open_app(settings) as app:
            await seed(app)
            spent: list[float] = []
            runner = web.AppRunner(server(app, spent), access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            host, port = runner.addresses[0][:2]
            base = f"http://{host}:{port}/board/"
            try:
                token = await link_in(app)
                async with ClientSession(auto_decompress=False) as session:
                    rows = await page_load(session, base + token, spent)
                story = await app.store.active_story(KEY)
                assert story is not None
                beat = (await app.store.beats(story.id))[0].id
                why = browser.missing()
                async with ClientSession() as session:
                    if why is None:
                        moved = await browser_moves(app, base, beat)
                        how = "in Chromium: drop in one page to the card in its act in the other"
                    else:
                        moved = await http_moves(session, base, token, beat)
                        how = "no browser (" + why.split(";")[0] + "): POST to the stream event"
                    chats = await chat_to_page(app, session, base, token)
            finally:
                await runner.cleanup()
    p99 = percentile(moved, 99)
    rows += [
        row(
            f"drag to the other page, {MOVES} moves: p50 / p99 (ms)",
            f"{median(moved):.1f} / {p99:.1f}",
            f"< {TARGET_P99_MS:.0f}",
            "yes" if p99 < TARGET_P99_MS else "NO",
        ),
        row(
            f"chat change to an open board, {CHATS} beats: p50 / p99 (ms)",
            f"{median(chats):.1f} / {percentile(chats, 99):.1f}",
            f"< {TARGET_P99_MS:.0f} (poll {POLL * 1000:.0f} ms)",
            "yes" if percentile(chats, 99) < TARGET_P99_MS else "NO",
        ),
    ]
    return rows, how


def main() -> None:
    rows, how = run_loop(run())
    print(f"web board (SQLite, {event_loop()} event loop; moves {how})")
    print(table(rows, ["measure", "value", "target", "ok"]))


if __name__ == "__main__":
    main()
