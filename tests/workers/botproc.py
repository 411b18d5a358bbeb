"""A bot process for the worker tests: the real app on PostgreSQL with the image queue on,
driven by JSON lines on stdin, telling what it posts as JSON lines on stdout.

``python -m tests.workers.botproc URL DATA_DIR MODEL``. In: ``{"op": "run", "ref": ...,
"channel": ..., "line": "/portrait Mara"}`` (through the real dispatcher), ``{"op":
"press", "ref": ..., "channel": ..., "action": "cancel", "target": JOB}``, ``{"op":
"quit"}``. Out: ``{"ev": "queued"|"finished", "ref", "job", "state"}`` for each job, and
``{"ev": "post"|"update"|"progress", ...}`` for everything its responder is asked to
show (``ref`` "takeover" for the jobs it took over from a dead bot process); at the end
``{"ev": "modules", "torch": bool}`` (the bot process must never import torch).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from pathlib import Path
from typing import Any

from bot.app import App, open_app
from bot.settings import load_settings
from core.types import (
    ACTION,
    ActionArgs,
    Author,
    ChatMessage,
    Invocation,
    MessageHandle,
    Place,
    Reply,
)

_ids = itertools.count(1)


def emit(**event: Any) -> None:
    print(json.dumps(event), flush=True)


class JsonResponder:
    """Every post, update and progress as a line on stdout."""

    def __init__(self, place: Place, ref: str) -> None:
        self.place = place
        self.ref = ref

    def _show(self, ev: str, handle_id: str, thread: str, reply: Reply) -> None:
        emit(
            ev=ev,
            ref=self.ref,
            channel=self.place.channel,
            id=handle_id,
            thread=thread,
            title=reply.title,
            body=reply.body,
            tone=reply.tone,
            partial=reply.partial,
            images=[i.path for i in reply.images],
            actions=[[a.kind, a.ref] for a in reply.actions],
        )

    async def post(self, reply: Reply) -> MessageHandle:
        n = next(_ids)
        thread = self.place.thread or f"t{n}"
        handle = MessageHandle(f"m{n}", self.place, thread, {"channel": self.place.channel})
        self._show("post", handle.id, thread, reply)
        return handle

    async def update(self, handle: MessageHandle, reply: Reply) -> None:
        self._show("update", handle.id, handle.thread, reply)

    async def progress(self, text: str, fraction: float | None = None) -> None:
        emit(ev="progress", ref=self.ref, channel=self.place.channel, text=text)

    async def thread_history(self, limit: int = 10_000) -> list[ChatMessage]:
        return []


async def serve(app: App) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    tasks: set[asyncio.Task[None]] = set()
    author = Author("writer", "Writer")
    while line := await reader.readline():
        msg = json.loads(line)
        if msg["op"] == "quit":
            break
        place = Place("terminal", "local", msg["channel"], msg.get("thread"))
        responder = JsonResponder(place, msg["ref"])
        if msg["op"] == "run":
            job = await app.dispatcher.handle_text(msg["line"], place, author, responder)
        else:
            inv = Invocation(
                ACTION, None, ActionArgs.of(msg["action"], msg["target"]), "", place, author
            )
            job = await app.dispatcher.handle(inv, responder)
        emit(ev="queued", ref=msg["ref"], job=job.id if job else None)

        async def finish(ref: str = msg["ref"], job: Any = job) -> None:
            if job is not None:
                await job.wait()
            emit(
                ev="finished",
                ref=ref,
                job=job.id if job else None,
                state=job.state if job else None,
            )

        task = asyncio.create_task(finish())
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks)


async def main(url: str, data_dir: Path, model: str) -> int:
    settings = load_settings(
        {
            "WRITERSROOM_DB": url,
            "WRITERSROOM_DATA_DIR": str(data_dir),
            "WRITERSROOM_IMAGE_BACKEND": "diffusers",
            "WRITERSROOM_DIFFUSERS_MODEL": model,
            "WRITERSROOM_IMAGE_QUEUE": "on",
            "WRITERSROOM_WORKER_TIMEOUT": "2",
            "WRITERSROOM_IMAGE_JOBS_PER_USER": "0",
            "WRITERSROOM_JOB_LEASE": "2",
        },
        dotenv=None,
    )
    async with open_app(settings) as app:
        # this process answers the terminal: it takes over dead bot processes' jobs
        taken = await app.resume(
            "terminal", lambda place, answer: JsonResponder(answer, "takeover")
        )
        emit(ev="ready", taken=[job.id for job in taken])
        await serve(app)
    emit(ev="modules", torch="torch" in sys.modules, diffusers="diffusers" in sys.modules)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], Path(sys.argv[2]), sys.argv[3])))
