"""Taking over a dead process's jobs: run the queued ones, report the interrupted ones.

Every job record carries its invocation as JSON (``encode``), written before the job is
acknowledged, and its owner's id. When an adapter is ready to talk to its platform it
calls ``App.resume`` with a way to get a ``Responder`` for a ``Place`` (the terminal
prints; Slack and Discord post in the job's thread); from then on, at start and every
half lease, ``take_over`` claims the platform's jobs whose owner's lease has run out (a
crashed process, or this one before a restart) in one statement, so each is taken by one
survivor, once. Jobs that never started run again as they were asked; jobs that were
running get a short note in their thread with a Retry button (unless the platform shows
they had finished their reply: then they are marked done), which the dispatcher
answers (bot/dispatch.py: this module never imports the dispatcher; it is handed it). A
job whose place no responder here can answer (another shard's guild, another terminal's
channel) is given back for a process that can. So a job of one channel is never reported
in another, and never twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.context import Resources
from bot.jobs import REPORTED, UNREPORTED, Job, JobRunner
from bot.parsing import Parsed, as_options, parse, parse_options
from bot.registry import Registry, Resolved
from core.errors import CommandError
from core.models import JobRecord
from core.types import (
    ACTION,
    FOLLOW_UP,
    Action,
    ActionArgs,
    Args,
    Author,
    Capabilities,
    FollowUpArgs,
    Invocation,
    MessageHandle,
    Place,
    Reply,
    Responder,
)
from storage.api import Store

log = logging.getLogger(__name__)

ResponderFor = Callable[[Place, Place], Responder | None]
"""A Responder for a job that works on the first place and answers in the second (its
thread, if any; the same place but for a request asked in Slack's assistant panel about a
channel), or None if this adapter can't."""


class Runs(Protocol):
    """What ``resume`` needs of the dispatcher (passed in, so this module never imports it)."""

    registry: Registry
    resources: Resources
    jobs: JobRunner

    async def handle(
        self,
        inv: Invocation,
        responder: Responder,
        *,
        resolved: Resolved | None = None,
        job_id: str | None = None,
    ) -> Job | None: ...


@dataclass(frozen=True, slots=True)
class Stored:
    """An invocation read back from its job record, with the leaf it runs (None for a
    follow-up or a button press, which run the dispatcher's hooks)."""

    inv: Invocation
    resolved: Resolved | None


def encode(inv: Invocation) -> str:
    return json.dumps(
        {
            "command": inv.command,
            "subcommand": inv.subcommand,
            "args": as_options(inv.args),
            "raw": inv.raw,
            "author": [inv.author.id, inv.author.name, inv.author.manager],
            "capabilities": [
                inv.capabilities.upload_files,
                inv.capabilities.edit_messages,
                inv.capabilities.make_threads,
                inv.capabilities.max_message_chars,
                inv.capabilities.buttons,  # absent from older records: no buttons
            ],
        }
        | ({"answer_at": _place(inv.answer_at)} if inv.answer_at is not None else {}),
        ensure_ascii=False,
    )


def _place(place: Place) -> list[str | None]:
    return [place.platform, place.workspace, place.channel, place.thread]


def encode_handle(handle: MessageHandle) -> str:
    """A posted message as JSON (its id, thread and the adapter's plain extras)."""
    extra = {k: v for k, v in handle.extra.items() if isinstance(v, str | int | float | bool)}
    return json.dumps({"id": handle.id, "thread": handle.thread, "extra": extra})


def decode_handle(record: JobRecord) -> MessageHandle | None:
    """The message a job posted first, or None (none yet, or an unreadable record)."""
    if not record.reply:
        return None
    try:
        data = json.loads(record.reply)
        place = Place(*record.place[:3], str(data["thread"]))
        return MessageHandle(str(data["id"]), place, str(data["thread"]), dict(data["extra"]))
    except (ValueError, KeyError, TypeError):
        return None


def decode(record: JobRecord, registry: Registry) -> Stored | None:
    """The invocation a job record ran, or None for records without a readable one.

    The stored options are bound again (``bind``, through ``parse_options``) to the
    command's arguments as the registry declares them now, so records written before the
    arguments were typed (options missing, lists for names) read the same way."""
    if not record.payload:
        return None
    try:
        data: dict[str, Any] = json.loads(record.payload)
        options: Mapping[str, Any] = data["args"]
        args: Args
        resolved: Resolved | None = None
        if data["command"] == FOLLOW_UP:
            args = FollowUpArgs(str(options["text"]))
        elif data["command"] == ACTION:
            args = ActionArgs.of(str(options["action"]), str(options["ref"]))
        else:
            parsed = _bound(registry, data["command"], data["subcommand"], options)
            args, resolved = parsed.args, parsed.resolved
        inv = Invocation(
            resolved.group.name if resolved else data["command"],
            resolved.subcommand if resolved else data["subcommand"],
            args,
            data["raw"],
            Place(*record.place),
            Author(*data["author"]),
            Capabilities(*data["capabilities"]),
            Place(*data["answer_at"]) if data.get("answer_at") else None,
        )
        return Stored(inv, resolved)
    except (ValueError, KeyError, TypeError, CommandError):
        log.warning("job %s has an unreadable payload", record.id)
        return None


def _bound(
    registry: Registry, command: str, subcommand: str | None, options: Mapping[str, Any]
) -> Parsed:
    try:
        return parse_options(registry, command, subcommand, options)
    except CommandError:
        spec = registry.get(command)
        if subcommand is not None or spec is None or spec.default is None:
            raise
    # A command that has since become a group (/portrait's words became subcommands):
    # its old options, in order, read as the line they were parsed from.
    values = [str(v) for v in options.values() if v not in (None, "")]
    words = [f'"{v}"' if " " in v and '"' not in v else v for v in values[:-1]]
    return parse(registry, " ".join([f"/{command}", *words, *values[-1:]]))


def _what(record: JobRecord) -> str:
    return "a reply" if record.command.startswith("__") else f"/{record.command}"


async def take_over(
    dispatcher: Runs,
    owner: str,
    platform: str,
    responders: Sequence[ResponderFor],
    now: float,
) -> list[Job]:
    """Claim ``platform``'s orphaned jobs for ``owner``, run the queued ones and report the
    interrupted ones; returns the jobs started."""
    store = dispatcher.resources.store
    claimed = await store.claim_orphans(owner, [platform], now, UNREPORTED)
    started: list[Job] = []
    elsewhere: list[str] = []
    for record in claimed:
        place = Place(*record.place)
        stored = decode(record, dispatcher.registry)
        answer = stored.inv.answer_at if stored is not None and stored.inv.answer_at else place
        found = (f(place, answer) for f in responders)
        responder = next((r for r in found if r is not None), None)
        if responder is None:
            elsewhere.append(record.id)
            continue
        if stored is not None and (
            record.state == "queued" or await _on_a_worker(dispatcher, record)
        ):
            job = await dispatcher.handle(
                stored.inv, responder, resolved=stored.resolved, job_id=record.id
            )
            if job is not None:
                started.append(job)
            continue
        await _report(store, record, stored is not None, responder)
    await store.release_jobs(elsewhere, owner)
    if claimed:
        log.info(
            "took over %d job(s) on %s: %d resumed, %d given back",
            len(claimed),
            platform,
            len(started),
            len(elsewhere),
        )
    return started


async def _on_a_worker(dispatcher: Runs, record: JobRecord) -> bool:
    """An image job its process had put in the image queue: the worker goes on with it,
    so the job runs again here, finds its place in the queue and follows it on
    (commands/portrait_queue.py) instead of being reported as interrupted."""
    queue = dispatcher.resources.queue
    return record.kind == "image" and queue is not None and await queue.get(record.id) is not None


async def _report(store: Store, record: JobRecord, retry: bool, responder: Responder) -> None:
    """Tell the job's thread it was interrupted, once: it is marked reported before the
    note goes (a crash in between loses the note rather than sending it twice). The note
    replaces the message the job had posted (its draft, stuck at "Writing…"), or is
    posted in the job's thread when it had posted none.

    First the platform is asked what the job had shown (``Responder.shown``): a job whose
    reply had reached its final state died after its work was done and said, before its
    row said so, and is marked done with nothing posted (a note would answer it twice)."""
    handle = decode_handle(record)
    try:
        shown = await responder.shown(record.id, record.created_at, handle)
    except Exception:  # the platform could not be asked: go by the database
        log.warning("could not read back job %s's messages", record.id, exc_info=True)
        shown = None
    if shown is not None and shown.final:
        await store.set_job_state(record.id, "done")
        log.info("job %s had shown its final reply before its process stopped", record.id)
        return
    await store.set_job_state(record.id, "interrupted", REPORTED)
    actions = (Action("retry", "Retry", record.id),) if retry else ()
    body = (
        f"A restart interrupted {_what(record)} before it finished; nothing of it "
        "was half-saved." + (" Press **Retry** to run it again." if actions else "")
    )
    note = Reply(body=body, tone="info", actions=actions)
    handle = shown.handle if shown is not None else handle
    try:
        if handle is not None:
            try:
                await responder.update(handle, note)
                return
            except Exception:  # deleted meanwhile, say: say it in the thread instead
                log.info("could not edit job %s's message; posting the note", record.id)
        await responder.post(note)
    except Exception:
        log.exception("could not report interrupted job %s", record.id)
