"""After a restart: run the jobs that were queued, report the ones that were interrupted.

Every job record carries its invocation as JSON (``encode``), written before the job is
acknowledged. When an adapter is ready to talk to its platform it calls ``resume`` with a
way to get a ``Responder`` for a ``Place`` (the terminal prints; Slack and Discord post in
the job's thread). Jobs that never started run again as they were asked; jobs that were
running get a short note in their thread with a Retry button, which the dispatcher routes
to ``retry``. An adapter only ever gets places it can answer, so a job of one channel is
never reported in another.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.jobs import REPORTED, Job
from core.errors import NotFound
from core.models import JobRecord
from core.types import Action, Author, Capabilities, Invocation, Place, Reply, Responder

if TYPE_CHECKING:
    from bot.dispatch import Dispatcher

log = logging.getLogger(__name__)

ResponderFor = Callable[[Place], Responder | None]
"""A Responder that posts in ``place`` (its thread, if any), or None if this adapter can't."""


def encode(inv: Invocation) -> str:
    return json.dumps(
        {
            "command": inv.command,
            "subcommand": inv.subcommand,
            "args": dict(inv.args),
            "raw": inv.raw,
            "author": [inv.author.id, inv.author.name, inv.author.manager],
            "capabilities": [
                inv.capabilities.upload_files,
                inv.capabilities.edit_messages,
                inv.capabilities.make_threads,
                inv.capabilities.max_message_chars,
            ],
        },
        ensure_ascii=False,
    )


def decode(record: JobRecord) -> Invocation | None:
    """The invocation a job record ran, or None for records without one (older rows)."""
    if not record.payload:
        return None
    try:
        data: dict[str, Any] = json.loads(record.payload)
        author = Author(*data["author"])
        caps = Capabilities(*data["capabilities"])
        return Invocation(
            data["command"],
            data["subcommand"],
            data["args"],
            data["raw"],
            Place(*record.place),
            author,
            caps,
        )
    except (ValueError, KeyError, TypeError):
        log.warning("job %s has an unreadable payload", record.id)
        return None


def _what(record: JobRecord) -> str:
    return "a reply" if record.command.startswith("__") else f"/{record.command}"


async def resume(dispatcher: Dispatcher, platform: str, responder_for: ResponderFor) -> list[Job]:
    """Run this platform's queued jobs and report its interrupted ones; returns the jobs
    started. Call once the adapter can post, before it takes new events."""
    started: list[Job] = []
    for record in await dispatcher.jobs.pending():
        if record.place[0] != platform:
            continue
        place = Place(*record.place)
        responder = responder_for(place)
        if responder is None:
            continue
        inv = decode(record)
        if record.state == "queued" and inv is not None:
            job = await dispatcher.handle(inv, responder, job_id=record.id)
            if job is not None:
                started.append(job)
            continue
        await dispatcher.resources.store.set_job_state(record.id, "interrupted", REPORTED)
        actions = (Action("retry", "Retry", record.id),) if inv is not None else ()
        body = (
            f"A restart interrupted {_what(record)} before it finished; nothing of it "
            "was half-saved." + (" Press **Retry** to run it again." if actions else "")
        )
        try:
            await responder.post(Reply(body=body, tone="info", actions=actions))
        except Exception:
            log.exception("could not report interrupted job %s", record.id)
    if started:
        log.info("resumed %d queued job(s) on %s", len(started), platform)
    return started


async def retry(dispatcher: Dispatcher, press: Invocation, responder: Responder) -> Job | None:
    """The Retry button: run an interrupted job of this channel again, once.

    The job runs as the person who pressed (permissions are theirs), in the original place.
    """
    job_id = str(press.args.get("ref", ""))
    found = [r for r in await dispatcher.jobs.interrupted() if r.id == job_id]
    record = found[0] if found else None
    inv = decode(record) if record is not None else None
    if record is None or inv is None or record.place[:3] != press.place.story_key:
        raise NotFound("That job was already retried, or it is not from this channel.")
    await dispatcher.resources.store.set_job_state(record.id, "cancelled", "retried")
    again = Invocation(
        inv.command, inv.subcommand, inv.args, inv.raw, inv.place, press.author, inv.capabilities
    )
    return await dispatcher.handle(again, responder)
