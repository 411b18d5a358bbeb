"""A tiny test-only entry point that the crash tests run in a subprocess.

``python -m tests.trust.crashbot writes DATA_DIR``: opens the app and changes the story in a
loop (story fields, characters, notes), printing ``committed <revision id>`` after each
change's transaction has returned, until it is killed.

``python -m tests.trust.crashbot shell DATA_DIR DELAY GRACE``: the terminal shell on stdin,
with an engine that takes DELAY seconds per draft (prints ``engine started`` on stderr when a
draft begins), a shutdown grace of GRACE seconds, and SIGTERM handled as ``python -m bot
shell`` handles it (bot.cli.until_signalled).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.app import open_app
from bot.cli import until_signalled
from bot.settings import load_settings
from core.models import Character, edit_story
from core.types import Author
from generation.base import Draft, OnText, WritingTask
from generation.offline import OfflineEngine


class SlowEngine:
    """The offline engine, after a delay; says on stderr when a draft starts."""

    name = "slow test engine"

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.inner = OfflineEngine()

    async def write(self, task: WritingTask, on_text: OnText | None = None) -> Draft:
        print("engine started", file=sys.stderr, flush=True)
        await asyncio.sleep(self.delay)
        return await self.inner.write(task, on_text)


async def writes(data_dir: Path) -> int:
    settings = load_settings({"WRITERSROOM_DATA_DIR": str(data_dir)}, dotenv=None)
    actor = Author("writer", "Writer")
    async with open_app(settings) as app:
        store = app.store
        story = await store.ensure_story(("terminal", "local", "crash"), actor)
        i = 0
        while True:
            i += 1
            if i % 3 == 0:
                await store.add_character(story.id, Character(name=f"Person {i}"), actor)
            elif i % 3 == 1:
                text = f"logline number {i} " + "x" * (i % 500)
                await store.update_story(
                    story.id, lambda s, t=text: edit_story(s, "logline", t), actor, f"logline {i}"
                )
            else:
                await store.add_note(story.id, f"note {i}", actor)
            (latest,) = await store.history(story.id, limit=1)
            print(f"committed {latest.id}", flush=True)


async def shell(data_dir: Path, delay: float, grace: float) -> int:
    from bot.adapters.terminal import Terminal

    settings = load_settings({"WRITERSROOM_DATA_DIR": str(data_dir)}, dotenv=None)
    async with open_app(settings, engine=SlowEngine(delay), shutdown_grace=grace) as app:
        return await Terminal(app, channel="general", user="dana", interactive=False).run()


def main(argv: list[str]) -> int:
    if argv[0] == "writes":
        return asyncio.run(writes(Path(argv[1])))
    data_dir, delay, grace = Path(argv[1]), float(argv[2]), float(argv[3])
    return asyncio.run(until_signalled(shell(data_dir, delay, grace)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
