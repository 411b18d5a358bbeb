"""From an Invocation to a running job, with both tiers of errors handled here and only here.

Adapters call ``handle`` (typed invocations) or ``handle_text`` (a typed line). Both return
at once, after the job is queued, so an adapter can acknowledge within the platform's
window; ``Job.wait()`` lets the terminal wait for the answer before reading the next line.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot import recovery
from bot.context import Context, Resources
from bot.jobs import Job, JobRunner, new_job_id
from bot.limits import Limits
from bot.parsing import parse
from bot.registry import Handler, Registry
from core.errors import CommandError
from core.models import JobRecord
from core.types import (
    ACTION,
    FOLLOW_UP,
    Author,
    Capabilities,
    Invocation,
    Place,
    Reply,
    Responder,
)

log = logging.getLogger(__name__)

ButtonCommand = Callable[[Invocation], Invocation]
"""Turns a button press into the typed command it stands for."""


@dataclass(frozen=True, slots=True)
class Hooks:
    """Handlers that are not typed commands: thread follow-ups and button presses.

    ``commands``: button kinds that run a registry command (a confirmation button, say),
    so the press gets every check the typed command gets (who may run it, limits)."""

    follow_up: Handler
    action: Handler
    commands: Mapping[str, ButtonCommand] = field(default_factory=dict)


class Dispatcher:
    def __init__(
        self, registry: Registry, resources: Resources, jobs: JobRunner, hooks: Hooks
    ) -> None:
        self.registry = registry
        self.resources = resources
        self.jobs = jobs
        self.hooks = hooks
        self.limits = Limits(resources.settings, resources.store)
        """Rate, daily budget and image-queue limits (bot/limits.py); tests swap the clock."""

    async def handle_text(
        self,
        line: str,
        place: Place,
        author: Author,
        responder: Responder,
        capabilities: Capabilities = Capabilities(),
    ) -> Job | None:
        """A typed line: a /command, or a plain follow-up when ``place`` is in a thread."""
        stripped = line.strip()
        if not stripped:
            return None
        if not stripped.startswith("/"):
            if place.thread is None:
                await responder.post(
                    Reply.info(
                        "Start with a command, for example /synopsis or /character new Mara. "
                        "Type /help for the list."
                    )
                )
                return None
            inv = Invocation(FOLLOW_UP, None, {"text": stripped}, line, place, author, capabilities)
            return await self.handle(inv, responder)
        try:
            parsed = parse(self.registry, stripped, self.resources.settings.max_input_chars)
        except CommandError as exc:
            await responder.post(Reply.error(exc.message))
            return None
        inv = Invocation(
            parsed.resolved.group.name,
            parsed.resolved.subcommand,
            parsed.args,
            line,
            place,
            author,
            capabilities,
        )
        return await self.handle(inv, responder)

    async def handle(
        self, inv: Invocation, responder: Responder, *, job_id: str | None = None
    ) -> Job | None:
        """Queue the invocation as a job and return at once.

        ``job_id``: run under an existing job record (a queued job after a restart)."""
        if inv.command == ACTION and (cmd := self.hooks.commands.get(str(inv.args.get("action")))):
            inv = cmd(inv)
        if inv.command == FOLLOW_UP:
            handler, kind = self.hooks.follow_up, "text"
        elif inv.command == ACTION and inv.args.get("action") == "cancel":
            await self._cancel(inv, responder)
            return None
        elif inv.command == ACTION and inv.args.get("action") == "retry":
            try:
                return await recovery.retry(self, inv, responder)
            except CommandError as exc:
                await responder.post(Reply.error(exc.message))
                return None
        elif inv.command == ACTION:
            handler, kind = self.hooks.action, "text"
        else:
            try:
                resolved = self.registry.resolve(inv.command, inv.subcommand)
            except CommandError as exc:
                await responder.post(Reply.error(exc.message))
                return None
            assert resolved.leaf.handler is not None
            handler, kind = resolved.leaf.handler, resolved.leaf.job
            if resolved.leaf.destructive and not await self._may_destroy(inv):
                await responder.post(
                    Reply.error(
                        f"Only the story's creator or a channel manager can run /{resolved.path}."
                    )
                )
                return None
        if job_id is None and (refusal := await self.limits.check(inv, kind)) is not None:
            await responder.post(Reply.error(refusal))
            return None
        ctx = Context(inv, self.resources, responder, self.registry)
        record = JobRecord(
            id=job_id or new_job_id(),
            kind=kind,
            command=inv.path,
            place=(inv.place.platform, inv.place.workspace, inv.place.channel, inv.place.thread),
            author_id=inv.author.id,
            state="queued",
            created_at=time.time(),
            payload=recovery.encode(inv),
        )

        async def work() -> None:
            await self._execute(handler, ctx, record.id)

        job: Job | None = None
        try:
            job = await self.jobs.submit(record, work)
        finally:
            self.limits.started(inv, job)  # the image place held by check(), or freed
        return job

    async def _may_destroy(self, inv: Invocation) -> bool:
        if inv.author.manager:
            return True
        story = await self.resources.store.active_story(inv.place.story_key)
        return story is None or story.created_by == inv.author.id

    async def _cancel(self, inv: Invocation, responder: Responder) -> None:
        job_id = str(inv.args.get("ref", ""))
        running = {j.id: j for j in self.jobs.running()}
        job = running.get(job_id)
        if job is None or job.record.place[:3] != inv.place.story_key:
            await responder.post(Reply.info("That job has already finished."))
            return
        await self.jobs.cancel(job_id)
        await responder.post(Reply.info("Cancelled."))

    async def _execute(self, handler: Handler, ctx: Context, job_id: str) -> None:
        t0 = time.perf_counter()
        try:
            await handler(ctx)
        except CommandError as exc:
            log.info("job %s %s: user error %s", job_id, ctx.inv.path, type(exc).__name__)
            await self._safe_post(ctx, Reply.error(exc.message))
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            log.exception("job %s %s failed, error id %s", job_id, ctx.inv.path, error_id)
            await self._safe_post(
                ctx,
                Reply.error(
                    "Sorry, something went wrong on my side and that did not finish "
                    f"(error id {error_id}). Changes are saved whole or not at all; "
                    "/story history shows what was saved."
                ),
            )
        else:
            log.info(
                "job %s %s ok in %.0f ms", job_id, ctx.inv.path, (time.perf_counter() - t0) * 1000
            )

    async def _safe_post(self, ctx: Context, reply: Reply) -> None:
        try:
            await ctx.responder.post(reply)
        except Exception:
            log.exception("could not deliver an error reply for %s", ctx.inv.path)
