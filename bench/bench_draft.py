"""/draft of a 12-beat board against a fake model with a fixed latency per call.

Scenes are written one after another by design (each prompt carries a recap of the scene
before), so the draft can take no less than 12 model calls; the bot's own share is the
rest: prompts, the bible read once, each scene saved and posted as it comes. The fake
OpenAI-compatible server runs in its own process, as a real one would, and answers every
request after ``LATENCY`` seconds.

Targets: wall time within 1.2x of the 12 model calls; prompt tokens per scene flat in the
number of beats (a scene's prompt never carries the script so far), measured as the
spread of the middle scenes' prompt tokens (the first has no recap, the last no next
beat) against their median, on boards of 6, 12 and 24 beats.
Run: python -m bench draft
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing as mp
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.common import event_loop, median, run_loop, table
from bot.app import App, open_app
from bot.engines import make_openai_engine
from bot.settings import load_settings
from core.models import Bible, Character, Location, Story, new_character
from core.types import Author
from generation.base import Draft, OnText, TextEngine, WritingTask
from generation.offline.characters import write_sheet
from tests.bot.helpers import Session
from tests.fakes import FakeOpenAIServer, FakeReply

LATENCY = 0.25
BEATS = 12
ROOM = ("terminal", "local", "general")
WHO = Author("terminal:dana", "dana", manager=True)
CAST = (
    ("Isla Brodie", "she/her"),
    ("Callum Brodie", "he/him"),
    ("Morag Finlay", "she/her"),
    ("Ewan Reid", "he/him"),
)
PLACES = ("Lamp Room", "Harbour Wall", "Keeper's Cottage")
SCENE = (
    "INT. LAMP ROOM - NIGHT\n\nThe lamp turns. Rain on the glass.\n\n"
    "ISLA\nYou kept the logbook from me.\n\nCALLUM\nI kept it from everyone.\n\n"
    "ISLA\nThen tell me what it says.\n\nCALLUM\n(turning away)\nNot tonight."
)


class Counted:
    """Wraps an engine and keeps each call's seconds and prompt tokens."""

    def __init__(self, inner: TextEngine) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds: list[float] = []
        self.prompt_tokens: list[int] = []

    async def aclose(self) -> None:
        closer = getattr(self.inner, "aclose", None)
        if closer is not None:
            await closer()

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        start = time.perf_counter()
        try:
            draft = await self.inner.write(task, on_text)
        finally:
            self.seconds.append(time.perf_counter() - start)
        self.prompt_tokens.append(draft.usage.prompt_tokens if draft.usage else 0)
        return draft


def _reply(body: Any) -> FakeReply:
    return FakeReply.say(SCENE)


def serve(conn: Connection) -> None:
    """The fake model server in its own process."""

    async def main() -> None:
        async with FakeOpenAIServer(default=_reply, delay=LATENCY) as server:
            conn.send(server.base_url)
            await asyncio.to_thread(conn.recv)

    run_loop(main())


async def board(app: App, channel: str, beats: int) -> Session:
    """A story of ``beats`` beats, a cast of four with full (offline) sheets, three places.
    Every beat names the same two characters in as many words, so a prompt that grew with
    the draft would show it."""
    key = (ROOM[0], ROOM[1], channel)
    story = await app.store.ensure_story(key, WHO)
    bible = Bible(Story(id=story.id, key=key, setting="a remote lighthouse"))
    for i, (name, pronouns) in enumerate(CAST):
        sheet = write_sheet(bible, name, "", {"pronouns": pronouns}, 100 + i)
        c: Character = new_character(name, **{k: v for k, v in sheet.items() if k != "name"})
        saved = await app.store.add_character(story.id, c, WHO)
        bible = dataclasses.replace(bible, characters=(*bible.characters, saved))
    for n in range(beats):
        act = 1 + n * 3 // beats
        text = f"Isla and Callum argue about the logbook, take {n + 1:02d}"
        await app.store.add_beat(story.id, act, text, WHO)
    for i, place in enumerate(PLACES):
        await app.store.add_location(story.id, Location(place, description="A room."), WHO)
        numbers = [n for n in range(1, beats + 1) if n % 3 == i]
        await app.store.set_location_beats(story.id, place, numbers, WHO)
    return Session(app, channel)


async def draft(app: App, engine: Counted, channel: str, beats: int) -> tuple[float, list[int]]:
    s = await board(app, channel, beats)
    engine.seconds.clear()
    engine.prompt_tokens.clear()
    start = time.perf_counter()
    out = await s.say("/draft")
    wall = time.perf_counter() - start
    assert f"Wrote {beats} scenes from the board" in out, out[-400:]
    return wall, list(engine.prompt_tokens)


async def run() -> list[dict[str, object]]:
    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=serve, args=(child,), daemon=True)
    proc.start()
    try:
        base_url = parent.recv()
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(
                {
                    "WRITERSROOM_DATA_DIR": str(Path(tmp)),
                    "OPENAI_BASE_URL": base_url,
                    "OPENAI_MODEL": "fake-model",
                },
                dotenv=None,
            )
            engine = Counted(make_openai_engine(settings))
            async with open_app(settings, engine=engine) as app:
                await draft(app, engine, "warm-up", 2)  # connections, SQLite pages
                wall, tokens = await draft(app, engine, "twelve", BEATS)
                calls = sum(engine.seconds)
                spreads = {}
                for size in (6, 12, 24):
                    _, per = await draft(app, engine, f"board-{size}", size)
                    middle = per[1:-1]
                    spreads[size] = (median(middle), max(middle) - min(middle))
    finally:
        parent.send("stop")
        proc.join(5)
    ideal = BEATS * LATENCY
    ratio = wall / ideal
    flat = max(spread / med for med, spread in spreads.values())
    drift = max(m for m, _ in spreads.values()) - min(m for m, _ in spreads.values())
    return [
        {
            "measure": f"{BEATS}-beat draft, wall (s)",
            "value": f"{wall:.2f}",
            "target": "",
            "ok": "",
        },
        {
            "measure": f"{BEATS} model calls as timed by the engine (s)",
            "value": f"{calls:.2f}",
            "target": "",
            "ok": "",
        },
        {
            "measure": f"wall / {BEATS} x {LATENCY * 1000:.0f} ms latency",
            "value": f"{ratio:.3f}",
            "target": "<= 1.2",
            "ok": _ok(ratio <= 1.2),
        },
        {
            "measure": "bot overhead per scene (ms)",
            "value": f"{(wall - calls) / BEATS * 1000:.1f}",
            "target": "",
            "ok": "",
        },
        {
            "measure": f"prompt tokens per scene ({BEATS} beats)",
            "value": " ".join(str(t) for t in tokens),
            "target": "",
            "ok": "",
        },
        {
            "measure": "middle scenes' median prompt tokens, 6 / 12 / 24 beats",
            "value": " / ".join(f"{spreads[n][0]:.0f}" for n in (6, 12, 24)),
            "target": "the same",
            "ok": _ok(drift <= 2),
        },
        {
            "measure": "spread of the middle scenes / their median, worst board",
            "value": f"{flat:.3f}",
            "target": "<= 0.05",
            "ok": _ok(flat <= 0.05),
        },
    ]


def _ok(good: bool) -> str:
    return "yes" if good else "NO"


def main() -> None:
    rows = run_loop(run())
    print(
        f"/draft (fake model in its own process, {LATENCY * 1000:.0f} ms a call; "
        f"{event_loop()} event loop)"
    )
    print(table(rows, ["measure", "value", "target", "ok"]))


if __name__ == "__main__":
    main()
