"""HTTP mode's front door: answer Slack at once, then let Bolt do the rest.

Slack wants a 200 within 3 seconds. Bolt's own dispatch (its middleware chain, argument
injection and listener matching) costs about 0.3 ms of the event loop a request, which
is nothing alone but adds up on the ack path under a burst: the 300th of 300 simultaneous
slash commands waited for the 299 before it. So the door

1. verifies the request signature (the same HMAC and 5-minute window as Bolt, which
   is told not to check it again; forged, stale and unsigned requests get 401 and go
   no further),
2. answers 200 with an empty body at once for the requests whose ack carries nothing:
   slash commands the app has, event callbacks it subscribes to, button presses, the
   message shortcut and the summarize modal's submission,
3. and hands those to Bolt as a task the runtime owns, started once the
   acknowledgments have all gone out (``AcksFirst``): under a burst the work of the
   first requests would otherwise run between the acks of the last ones.

Before that 200 the request is written to the database (``Acceptor``, bot/accepted.py) and it
is handled in a context that carries it (bot/accepted.py); its row is deleted once the
work it started has ended. If the process dies in between, a survivor's door runs it
again (``replay``: the body as Slack sent it), unless its first job was saved (that
job's takeover answers for it). So a command Slack had its 200 for is never lost with
the process that took it.

Everything else (url_verification, ssl_check, commands or events the app does not know,
a form's submission, whose ack may carry the errors to show in the form) goes through
Bolt before answering, so Slack gets Bolt's own answer (a challenge, a 404, the errors).

With OAuth, the install page and the redirect (browser GETs, unsigned by nature) go to
Bolt's OAuth flow, which checks their state itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Collection, Coroutine, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, unquote_plus

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.accepted import Accepted, Acceptor
from bot.adapters.slack.runtime import SlackRuntime
from bot.adapters.slack.shortcuts import SUMMARIZE_VIEW
from bot.adapters.slack.translate import PLATFORM, command_line, command_place
from bot.jobs import new_job_id
from bot.recovery import decode
from storage.accepted import AcceptedRequest

log = logging.getLogger(__name__)

QUICK_INTERACTIONS = frozenset({"block_actions", "message_action"})
QUICK_VIEWS = frozenset({SUMMARIZE_VIEW})
"""Modals whose submission only closes them (a form's may answer with errors)."""
ACK_QUIET = 0.01
"""Seconds without a new request after which the acknowledged requests' work starts."""
ACK_FIRST_MAX = 0.25
"""The longest the work of an acknowledged request waits for the acks behind it (a
steady stream of requests never lets the door fall quiet)."""
ACCEPT_WAIT = 1.0
"""The longest an acknowledgment waits for its request's row (Slack's budget is 3 s; a
database that is down would hold it for its pool's timeout). Past it the request is
acknowledged and handled all the same; its row, if it comes, goes once it is handled."""


class AcksFirst:
    """A gate that opens once every request that came in has had its ack and the door has
    been quiet for ACK_QUIET since (no request came in or was answered meanwhile), or once
    it has been shut for ACK_FIRST_MAX. A burst of 300 slash commands is then acknowledged
    first, each in a fraction of a millisecond, and handled after: Slack's 3-second budget
    is for the ack, and the replies come seconds later either way. A request alone waits
    ACK_QUIET (a few milliseconds) after its ack.

    Quiet alone was not enough: the last requests of a burst arrive well before their
    acks go (their rows are written in a batch after them), and work let in on a pause
    between arrivals ran Bolt for the first requests between the acks of the last ones,
    doubling their wait (`python -m bench slack`: ack p99 120-130 ms in such rounds, about
    60 ms in the others)."""

    def __init__(
        self, spawn: Callable[[Coroutine[Any, Any, None]], object] = asyncio.create_task
    ) -> None:
        self._spawn = spawn
        """Starts the gate's watcher: the runtime's spawn, so shutdown waits for it and the
        work it starts."""
        self._watching = False
        self._shut = False
        self._held: list[Callable[[], None]] = []
        self._last = 0.0
        self._shut_at = 0.0
        self._acking = 0

    @contextlib.contextmanager
    def acking(self) -> Iterator[None]:
        """Around a request's way from its arrival to its ack."""
        loop = asyncio.get_running_loop()
        self._last = loop.time()
        self._acking += 1
        if not self._shut:
            self._shut = True
            self._shut_at = self._last
        if not self._watching:
            self._watching = True
            self._spawn(self._watch(loop))
        try:
            yield
        finally:
            self._acking -= 1
            self._last = loop.time()

    def then(self, start: Callable[[], None]) -> None:
        """Call ``start`` (which starts a request's work) once the gate opens, in the order
        the requests came; at once if it is open. Held as a call rather than a task waiting
        on the gate, so a burst's acks do not also pay for starting its tasks."""
        if self._shut:
            self._held.append(start)
        else:
            start()

    def _open(self) -> None:
        self._shut = False
        held, self._held = self._held, []
        for start in held:
            start()

    async def _watch(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            while self._shut:
                now = loop.time()
                cap = self._shut_at + ACK_FIRST_MAX
                quiet = self._last + ACK_QUIET if self._acking == 0 else now + ACK_QUIET
                if now >= cap or (self._acking == 0 and now >= quiet):
                    self._open()
                else:  # uvloop's timers have 1 ms granularity: no shorter sleeps
                    await asyncio.sleep(max(min(quiet, cap) - now, 0.001))
        finally:
            self._watching = False
            if self._shut:  # never left shut (a cancelled watcher at shutdown)
                self._open()


class Door:
    def __init__(
        self, bolt: AsyncApp, rt: SlackRuntime, signing_secret: str, *, events: Collection[str]
    ) -> None:
        self.bolt = bolt
        self.rt = rt
        self.verifier = SignatureVerifier(signing_secret)
        self.events = frozenset(events)
        self.acks_first = AcksFirst(lambda watch: rt.spawn(watch, "acks-first", lane=False))
        self.acceptor = Acceptor(rt.app.store, ACCEPT_WAIT)
        rt.replay = self.replay

    def web_app(self, path: str, oauth: AsyncOAuthFlow | None = None) -> web.Application:
        app = web.Application()
        app.router.add_post(path, self.handle)
        if oauth is not None:
            flow = oauth

            async def install(request: web.Request) -> web.Response:
                return await to_aiohttp_response(await flow.handle_installation(_bolt(request)))

            async def redirect(request: web.Request) -> web.Response:
                return await to_aiohttp_response(await flow.handle_callback(_bolt(request)))

            app.router.add_get(flow.install_path, install)
            app.router.add_get(flow.redirect_uri_path, redirect)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.text()
        if not self.verifier.is_valid_request(body, request.headers):
            return web.Response(status=401)
        if not self.quick(body, request.content_type):
            answer = await self.bolt.async_dispatch(_bolt(request, body))
            return await to_aiohttp_response(answer)
        with self.acks_first.acking():
            accepted = await self._accept(body, request.content_type)
            query, headers = request.query_string, request.headers
            self.acks_first.then(
                lambda: self.rt.spawn(
                    self._dispatch(body, query, headers), "dispatch", accepted, lane=False
                )
            )
            return web.Response(status=200)

    async def _accept(self, body: str, content_type: str) -> Accepted | None:
        """Keep the request until it is handled; None if the database would not (then it
        is handled all the same, as it would be without a row). A write slower than
        ACCEPT_WAIT is not waited for: the key is the request's all the same, so a row
        written late is deleted with it, and its first job still takes the key."""
        app = self.rt.app
        key = new_job_id()
        request = AcceptedRequest(key, PLATFORM, app.lease.id, body, content_type, time.time())
        try:
            await self.acceptor.accept(request)
        except TimeoutError:
            log.warning("keeping a request took over %.1f s: acknowledged first", ACCEPT_WAIT)
        except Exception as exc:
            log.warning("could not keep a request before its ack (%s)", type(exc).__name__)
            return None
        return Accepted(key)

    async def replay(self, request: AcceptedRequest) -> None:
        """Run a request a dead process had accepted, as if Slack had just sent it."""
        if await self._typed_again(request):
            log.info("request %s was typed again after its process stopped", request.key)
            await self.rt.app.store.finish_request(request.key)
            return
        headers: dict[str, str | Sequence[str]] = {"content-type": request.content_type}
        log.info("running request %s again: its process stopped before handling it", request.key)
        work = self._dispatch(request.body, "", headers)
        self.rt.spawn(work, "replay", Accepted(request.key), lane=False)

    def quick(self, body: str, content_type: str) -> bool:
        """Whether the request's ack is an empty 200 that can go before Bolt runs."""
        if content_type == "application/json":
            try:
                data = json.loads(body)
            except ValueError:
                return False
            event = data.get("event") if isinstance(data, dict) else None
            return (
                data.get("type") == "event_callback"
                and isinstance(event, dict)
                and event.get("type") in self.events
            )
        if form_field(body, "ssl_check") is not None:
            return False
        if (command := form_field(body, "command")) is not None:
            return self.rt.app.registry.get(command.lstrip("/")) is not None
        if (raw := form_field(body, "payload")) is not None:
            try:
                payload = json.loads(raw)
            except ValueError:
                return False
            if not isinstance(payload, dict):
                return False
            if payload.get("type") == "view_submission":
                return (payload.get("view") or {}).get("callback_id") in QUICK_VIEWS
            return payload.get("type") in QUICK_INTERACTIONS
        return False

    async def _dispatch(
        self,
        body: str,
        query: str,
        headers: Mapping[str, str | Sequence[str]],
    ) -> None:
        """Bolt's handling of an acknowledged request."""
        request = AsyncBoltRequest(body=body, query=query, headers=headers)  # type: ignore[arg-type]
        response = await self.bolt.async_dispatch(request)
        if response.status != 200:
            log.warning("Bolt answered %d to a request the door had acknowledged", response.status)

    async def _typed_again(self, request: AcceptedRequest) -> bool:
        """Whether the writer typed this slash command again since (the process died
        before its 200 reached Slack, which told the writer it failed): the same line,
        by the same person, in the same channel, run after it was received."""
        if request.content_type == "application/json":
            return False
        form = {k: v[0] for k, v in parse_qs(request.body).items()}
        if "command" not in form:
            return False
        line, place = command_line(form), command_place(form)
        later = await self.rt.app.store.jobs_since(
            place.story_key, str(form.get("user_id") or ""), request.received_at
        )
        return any(
            (stored := decode(job, self.rt.app.registry)) is not None and stored.inv.raw == line
            for job in later
        )


def form_field(body: str, name: str) -> str | None:
    """The first non-empty value of ``name`` in a form body, as ``parse_qs`` reads it,
    without decoding the other fields (a slash command's body has a dozen, and this
    runs on the acknowledgment's path)."""
    prefix = name + "="
    for part in body.split("&"):
        if part.startswith(prefix) and len(part) > len(prefix):
            return unquote_plus(part[len(prefix) :])
    return None


def _bolt(request: web.Request, body: str = "") -> AsyncBoltRequest:
    """The request as Bolt reads it (a browser's GET: its query and cookies)."""
    return AsyncBoltRequest(
        body=body,
        query=request.query_string,
        headers=request.headers,  # type: ignore[arg-type]
    )
