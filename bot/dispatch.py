"""From an Invocation to a running job, with both tiers of errors handled here and only here.

Adapters call ``handle_text`` (a typed line), ``handle_parsed`` (a line they parsed
themselves, to ask its spec something first) or ``handle`` (a typed invocation: a
platform's typed options, a button press). Each returns at once, after the job is queued,
so an adapter can acknowledge within the platform's window; ``Job.wait()`` lets the
terminal wait for the answer before reading the next line. A line is parsed once and its
command looked up once: what the parser (or Discord's tree) found travels here as
``resolved``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeGuard

from bot import accepted, recovery, router
from bot.context import Context, Resources
from bot.jobs import Job, JobRunner
from bot.limits import Limits
from bot.parsing import Parsed, parse
from bot.reading import reads_thread
from bot.registry import Handler, Hooks, JobKind, Registry, Resolved
from bot.responders import JobResponder, SaysUnderstood
from bot.routes import ASK, MAX_BUTTON_LINE, Chat, Understood, Unsure
from bot.understand import understand
from core.errors import CommandError, NotFound
from core.models import JobRecord
from core.types import (
    ACTION,
    FOLLOW_UP,
    Action,
    ActionArgs,
    Author,
    Capabilities,
    FollowUpArgs,
    Invocation,
    Place,
    Reply,
    Responder,
)

log = logging.getLogger(__name__)

NEVER_FROM_A_SENTENCE = (
    "/{path} is never run from a sentence or a button; type it yourself to see what it would do."
)
CANCELLABLE = ("text", "image")
"""Job kinds that take a while: their drafts and progress carry a Cancel button where the
platform has them, and their first message is remembered for a takeover."""
CANCEL_WAIT = 5.0
"""Seconds a Cancel pressed on one process waits for the owning process to stop the job."""


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
        router.prime()  # the offline reading's rules, compiled before the first request

    def parse(self, line: str) -> Parsed:
        """A typed command line, read once (raises CommandError for the writer to read)."""
        return parse(self.registry, line, self.resources.settings.max_input_chars)

    async def handle_text(
        self,
        line: str,
        place: Place,
        author: Author,
        responder: Responder,
        capabilities: Capabilities = Capabilities(),
        made: Callable[[str], None] | None = None,
        answer_at: Place | None = None,
    ) -> Job | None:
        """A typed line: a /command, or a plain follow-up when ``place`` is in a thread.
        ``made`` hears what a plain line's reply is made as, before it runs: the command
        a request was read as (when it writes), or the kind of draft a follow-up works on
        (an adapter labels the reply's feedback with it). ``answer_at``: where the
        responder answers, when not ``place`` (``Invocation.answer_at``)."""
        stripped = line.strip()
        if not stripped:
            return None
        if not stripped.startswith("/"):
            asks, conversation = (True, None)
            if place.thread is not None:
                asks, conversation = await reads_thread(
                    self.resources.store, self.registry, stripped, place
                )
            if asks:
                return await self.handle_request(
                    stripped, place, author, responder, capabilities, made, answer_at
                )
            if made is not None:
                made(conversation.kind if conversation is not None else "follow-up")
            args = FollowUpArgs(stripped)
            inv = Invocation(FOLLOW_UP, None, args, line, place, author, capabilities, answer_at)
            return await self.handle(inv, responder)
        try:
            parsed = self.parse(stripped)
        except CommandError as exc:
            await responder.post(await self._refused(stripped, exc, place))
            return None
        return await self.handle_parsed(
            parsed, line, place, author, responder, capabilities, answer_at
        )

    async def _refused(self, line: str, exc: CommandError, place: Place) -> Reply:
        """A typed line that does not parse. When its first word is no command at all
        ("/beat add 2 …", "/chars"), the word may stand for one (the rules' aliases), or
        the line read in plain words may: the reply offers that command line, with a
        button to run it (never runs it unasked; never one that deletes)."""
        word, _, rest = line[1:].partition(" ")
        if not word or self.registry.get(word.lower()) is not None:
            return Reply.error(exc.message)
        offered = router.alias(word, rest)
        if offered is None:
            story = await self.resources.store.active_story(place.story_key)
            names = (
                [c.name for c in await self.resources.store.characters(story.id)] if story else []
            )
            found = router.route(line[1:], self.registry, names)
            if isinstance(found, Understood) and not found.line.startswith(ASK):
                offered = found.line
        if offered is None or len(offered) > MAX_BUTTON_LINE:
            return Reply.error(exc.message)
        try:
            if self.parse(offered).destructive:
                return Reply.error(exc.message)
        except CommandError:
            return Reply.error(exc.message)
        return Reply(
            title=f"No /{word} command",
            body=f"There is no /{word} command. Did you mean `{offered}`?",
            actions=(Action("run", offered, offered),),
            tone="info",
        )

    async def handle_request(
        self,
        text: str,
        place: Place,
        author: Author,
        responder: Responder,
        capabilities: Capabilities = Capabilities(),
        made: Callable[[str], None] | None = None,
        answer_at: Place | None = None,
    ) -> Job | None:
        """A request in plain language (a mention, a DM, a line that is not a command):
        read as the command that fits (by the model's tools when a model is configured,
        else offline), run like a typed line, and answered saying what it was understood
        as; asked back with buttons when unsure; small talk answered in a sentence."""
        story = await self.resources.store.active_story(place.story_key)
        names = [c.name for c in await self.resources.store.characters(story.id)] if story else []
        found = await understand(self, text, names, story.id if story else 0, author, place)
        if isinstance(found, Chat):
            await responder.post(Reply.info(found.reply))
            return None
        if isinstance(found, Unsure):
            listed = ", ".join(f"`{o.line}`" for o in found.options)
            await responder.post(
                Reply(
                    title="Did you mean…",
                    body=f"I'm not sure which you mean: {listed}. Pick one, or say it another "
                    "way; /help lists everything.",
                    actions=tuple(Action("run", o.line, o.line) for o in found.options),
                    tone="info",
                )
            )
            return None
        try:
            parsed = self.parse(found.line)
        except CommandError as exc:
            await responder.post(Reply.error(exc.message))
            return None
        if parsed.destructive:
            await responder.post(
                Reply.info(NEVER_FROM_A_SENTENCE.format(path=parsed.resolved.path))
            )
            return None
        if made is not None and parsed.resolved.leaf.job == "text":
            made(parsed.resolved.path)
        said = SaysUnderstood(responder, found.said, found.line)
        return await self.handle_parsed(
            parsed, found.line, place, author, said, capabilities, answer_at
        )

    async def handle_parsed(
        self,
        parsed: Parsed,
        line: str,
        place: Place,
        author: Author,
        responder: Responder,
        capabilities: Capabilities = Capabilities(),
        answer_at: Place | None = None,
    ) -> Job | None:
        """A command line an adapter has parsed (``self.parse``): run what it names."""
        resolved = parsed.resolved
        inv = Invocation(
            resolved.group.name,
            resolved.subcommand,
            parsed.args,
            line,
            place,
            author,
            capabilities,
            answer_at,
        )
        return await self.handle(inv, responder, resolved=resolved)

    async def handle(
        self,
        inv: Invocation,
        responder: Responder,
        *,
        resolved: Resolved | None = None,
        job_id: str | None = None,
    ) -> Job | None:
        """Queue the invocation as a job and return at once.

        ``resolved``: the leaf the caller already found (the parser, Discord's tree, a
        stored job); without it a command is looked up by name (a button that runs one).
        ``job_id``: run under an existing job record (a queued job after a restart)."""
        handler: Handler[Any]
        kind: JobKind
        if _pressed(inv) and (turn := self.hooks.commands.get(inv.args.action)) is not None:
            inv, resolved = turn(inv), None
        if _pressed(inv) and inv.args.action == "cancel":
            await self._cancel(inv, responder)
            return None
        if _pressed(inv) and inv.args.action == "run":
            return await self._run_line(inv, responder)
        if _pressed(inv) and inv.args.action == "retry":
            try:
                return await self._retry(inv, responder)
            except CommandError as exc:
                await responder.post(Reply.error(exc.message))
                return None
        if _pressed(inv):
            handler, kind = self.hooks.action, "text"
        elif inv.command == FOLLOW_UP:
            handler, kind = self.hooks.follow_up, "text"
        else:
            if resolved is None:
                try:
                    resolved = self.registry.resolve(inv.command, inv.subcommand)
                except CommandError as exc:
                    await responder.post(Reply.error(exc.message))
                    return None
            leaf = resolved.leaf
            if type(inv.args) is not leaf.args_type:
                raise TypeError(f"/{resolved.path} takes {leaf.args_type.__name__}: {inv.args!r}")
            assert leaf.handler is not None
            handler, kind = leaf.handler, leaf.job
            if leaf.destructive and not await self._may_destroy(inv):
                await responder.post(
                    Reply.error(
                        f"Only the story's creator or a channel manager can run /{resolved.path}."
                    )
                )
                return None
        record = JobRecord(
            id=job_id or accepted.job_id(),
            kind=kind,
            command=inv.path,
            place=(inv.place.platform, inv.place.workspace, inv.place.channel, inv.place.thread),
            author_id=inv.author.id,
            state="queued",
            created_at=time.time(),
            payload=recovery.encode(inv),
            owner=self.jobs.owner,
        )
        if job_id is None:
            refusal, record = await self.limits.admit(inv, kind, record)
            if refusal is not None:
                await responder.post(Reply.error(refusal))
                return None
        cancellable = record.kind in CANCELLABLE
        responder = JobResponder(
            responder,
            record.id,
            self.resources.store,
            cancel=cancellable and inv.capabilities.buttons,
            remember=cancellable,
        )
        ctx: Context[Any] = Context(inv, self.resources, responder, self.registry, record.id)

        async def work() -> None:
            await self._execute(handler, ctx, record.id)

        return await self.jobs.submit(record, work)

    async def _run_line(self, press: Invocation[ActionArgs], responder: Responder) -> Job | None:
        """An ask-back button: run the command line it carries as the person who pressed,
        with every check a typed line gets."""
        try:
            parsed = self.parse(press.args.ref)
        except CommandError as exc:
            await responder.post(Reply.error(exc.message))
            return None
        if parsed.destructive:
            await responder.post(
                Reply.info(NEVER_FROM_A_SENTENCE.format(path=parsed.resolved.path))
            )
            return None
        return await self.handle_parsed(
            parsed,
            press.args.ref,
            press.place,
            press.author,
            responder,
            press.capabilities,
            press.answer_at,
        )

    async def _retry(self, press: Invocation[ActionArgs], responder: Responder) -> Job | None:
        """The Retry button: run an interrupted job of this channel again, once.

        The job runs as the person who pressed (permissions are theirs), in the original place.
        """
        store = self.resources.store
        record = await store.job(press.args.ref)
        stored = None
        if record is not None and record.state == "interrupted":
            stored = recovery.decode(record, self.registry)
        if (
            record is None
            or stored is None
            or record.place[:3] != press.place.story_key
            or not await store.take_interrupted(record.id)  # once, whoever pressed first
        ):
            raise NotFound("That job was already retried, or it is not from this channel.")
        again = dataclasses.replace(stored.inv, author=press.author)
        return await self.handle(again, responder, resolved=stored.resolved)

    async def _may_destroy(self, inv: Invocation) -> bool:
        if inv.author.manager:
            return True
        story = await self.resources.store.active_story(inv.place.story_key)
        return story is None or story.created_by == inv.author.id

    async def _cancel(self, inv: Invocation[ActionArgs], responder: Responder) -> None:
        """The Cancel button, pressed on whichever process: a job of this process stops
        now; another process's job is asked to stop (its owner is woken, or polls within
        a second) and we wait a little to say it has."""
        job_id, key = inv.args.ref, inv.place.story_key
        local = {j.id: j for j in self.jobs.running()}.get(job_id)
        if local is not None and local.record.place[:3] == key:
            await self.jobs.cancel(job_id)
            await responder.post(Reply.info("Cancelled."))
            return
        store = self.resources.store
        record = await store.job(job_id) if local is None else None
        if record is None or record.place[:3] != key or await store.request_cancel(job_id) is None:
            await responder.post(Reply.info("That job has already finished."))
            return
        deadline = time.monotonic() + CANCEL_WAIT
        while time.monotonic() < deadline:
            found = await store.job(job_id)
            if found is None or found.state not in ("queued", "running"):
                await responder.post(Reply.info("Cancelled."))
                return
            await asyncio.sleep(0.05)
        await responder.post(
            Reply.info("Asked the process running it to stop; it stops at its next step.")
        )

    async def _execute(self, handler: Handler[Any], ctx: Context, job_id: str) -> None:
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


def _pressed(inv: Invocation) -> TypeGuard[Invocation[ActionArgs]]:
    """Whether the invocation is a button press."""
    return inv.command == ACTION and isinstance(inv.args, ActionArgs)
