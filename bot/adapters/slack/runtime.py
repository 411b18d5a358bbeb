"""What the Slack listeners and responders share: the app, the Web API clients, caches,
and the listeners' background tasks.

``client_for(team)`` is the client for a workspace: the one bot token's, or, installed by
OAuth in many workspaces, that workspace's own (tokens.py). ``identity(team)`` is who the
bot is there (auth.test, once per workspace). ``forget_team`` drops all of a workspace's
tokens and ids from memory when it uninstalls.

Made once per Bolt app (``make_runtime``, then ``build_slack_app``); nothing here is a
module global, so tests open as many independent Slack adapters as they like.

Listeners acknowledge and return; the work after the ack (user lookups, dispatching) runs
as a task the runtime owns (``spawn``), so Bolt answers Slack the moment ``ack()`` is
called instead of polling for it, and shutdown waits for those tasks (``drain``).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.accepted import CURRENT, Accepted
from bot.adapters.seen import Seen
from bot.adapters.slack.installs import StoreInstallations
from bot.adapters.slack.throttle import EditThrottle
from bot.adapters.slack.tokens import SingleToken, TokenSource
from bot.adapters.slack.translate import PLATFORM
from bot.adapters.slack.users import UserDirectory
from bot.app import App, Replay
from core.shared_calls import Shared

log = logging.getLogger(__name__)

_IDENTITY_RETRY = 60.0
IDENTITY_TIMEOUT = 1.5
"""auth.test runs before the first ack: never let it eat Slack's 3 seconds."""


def sdk_logger(name: str) -> logging.Logger:
    """A logger for a slack_sdk client, held at WARNING. slack_sdk logs each retry at
    INFO with its URL (a response_url's last segment is a token) whenever its logger's own
    level is DEBUG or unset (``logger.level <= DEBUG``, and unset is 0), and its debug
    lines carry request and response bodies (message text)."""
    logger = logging.getLogger(name)
    logger.setLevel(logging.WARNING)
    return logger


@dataclass(frozen=True, slots=True)
class Identity:
    """The bot user as auth.test tells it (ids to ignore its own messages, the
    workspace URL to build message links)."""

    user_id: str | None = None
    bot_id: str | None = None
    url: str | None = None


class SlackRuntime:
    def __init__(
        self,
        app: App,
        client: AsyncWebClient,
        *,
        edit_interval: float,
        edits_per_minute: int,
        tokens: TokenSource | None = None,
    ) -> None:
        self.app = app
        self.client = client
        """The client without a workspace's token (single-token mode: with the one)."""
        self.tokens = tokens or SingleToken(client)
        self.single = tokens is None
        self.users = UserDirectory(self.client_for)
        self.seen = Seen(app.store, PLATFORM)
        self.replay: Replay | None = None
        """Runs again a request a dead process had accepted (the HTTP door's, door.py)."""
        self.edits = EditThrottle(app.store, interval=edit_interval, per_minute=edits_per_minute)
        self.installations: StoreInstallations | None = None
        """Where workspaces' installations are (OAuth mode), else None."""
        self.no_streaming: set[str] = set()
        """Workspaces (and "team/channel"s) where Slack refused native streaming."""
        self.first_stream: dict[str, asyncio.Future[None]] = {}
        """Per workspace, its first chat.startStream, done once Slack has answered it:
        the replies that start meanwhile wait for that answer instead of each asking."""
        self._identities: dict[str, Identity] = {}
        self._retry_at: dict[str, float] = {}
        self._asking: Shared[str, Identity] = Shared()
        self._tasks: set[asyncio.Task[None]] = set()
        self._handled: list[str] = []
        """Accepted requests handled whose rows are still to go (``_release``)."""
        self._finishing: asyncio.Task[None] | None = None

    async def client_for(self, team: str) -> AsyncWebClient:
        """The Web API client for the workspace ``team`` (raises WorkspaceGone when the
        app is not installed there)."""
        return await self.tokens.client(team)

    def forget_team(self, team: str) -> None:
        """The workspace uninstalled or its token changed: drop what is kept for it."""
        self.tokens.forget(team)
        self.first_stream.pop(team, None)
        self._identities.pop(team, None)
        self._retry_at.pop(team, None)

    def spawn(
        self,
        work: Coroutine[Any, Any, None],
        name: str,
        accepted: Accepted | None = None,
        *,
        lane: bool = True,
        sorry: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Run a listener's work after its ack, owned here; failures are logged.

        ``accepted``: a request written to the database before its ack (bot/accepted.py).
        The work runs in a context that carries it, as does every task spawned from
        there; when the last of them ends, the request's row is deleted. ``lane``: the
        work goes through the start lane (bot/lane.py), oldest first; the door's hand-off
        to Bolt and the start-up's resumption, which only lead to such work, do not, nor
        the message shortcut, whose modal must open within its trigger's 3 seconds.
        ``sorry``: what tells the person when the work fails (sorry.py)."""
        context = None
        if accepted is not None:
            context = contextvars.copy_context()
            context.run(CURRENT.set, accepted)
        held = accepted or CURRENT.get()
        if lane:
            work = self.app.jobs.lane.through(work)
        guarded = self._guard(work, name, sorry)
        task = asyncio.create_task(guarded, name=f"slack-{name}", context=context)
        self._own(task)
        if held is not None:
            held.pending += 1
            task.add_done_callback(lambda _: self._release(held))

    def _release(self, held: Accepted) -> None:
        held.pending -= 1
        if held.pending == 0:  # handled: the row goes, outside the request's context
            self._handled.append(held.key)
            if self._finishing is None or self._finishing.done():
                context = contextvars.copy_context()
                context.run(CURRENT.set, None)
                finish = self._guard(self._finish_handled(), "finish-requests")
                task = asyncio.create_task(finish, name="slack-finish-requests", context=context)
                self._finishing = task
                self._own(task)

    async def _finish_handled(self) -> None:
        """Delete the handled requests' rows once the start lane is idle (or after its
        WAIT_MAX), a burst's in one statement: one each was a write on the event loop
        between the preparations of the requests still waiting for their model. Rows
        handled meanwhile go in the next round; a flush cancelled while it waits leaves
        its keys to the next one."""
        while self._handled:
            await self.app.jobs.lane.after_the_queue()
            keys, self._handled = self._handled, []
            await self.app.store.finish_requests(keys)

    def _own(self, task: asyncio.Task[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guard(
        work: Coroutine[Any, Any, None],
        name: str,
        sorry: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        try:
            await work
        except Exception:
            log.exception("Slack %s failed after its ack", name)
            if sorry is not None:
                try:
                    await sorry()
                except Exception as exc:  # the apology is a courtesy
                    log.info("could not apologize for a failed %s (%s)", name, type(exc).__name__)

    @property
    def busy(self) -> bool:
        """Whether a listener is still working after its ack."""
        return bool(self._tasks)

    async def drain(self, grace: float = 10.0) -> None:
        """Wait for the listeners' work (which queues jobs), then cancel what is left."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while self._tasks and loop.time() < deadline:  # and the tasks those start
            await asyncio.wait(set(self._tasks), timeout=deadline - loop.time())
        pending = set(self._tasks)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def identity(self, team: str = "") -> Identity:
        """auth.test once per workspace (lazily, on its first request), not at start-up.
        The requests that come while it is asked all wait for that one answer (and all
        wake with it, not one a turn of the loop as behind a lock)."""
        key = "" if self.single else team
        found = self._identities.get(key)
        if found is not None:
            return found
        return await self._asking.run(key, lambda: self._ask_identity(key, team))

    async def _ask_identity(self, key: str, team: str) -> Identity:
        found = self._identities.get(key)
        if found is not None:
            return found
        if time.monotonic() < self._retry_at.get(key, 0.0):
            return Identity()
        try:
            client = await self.client_for(team)
            resp = await asyncio.wait_for(client.auth_test(), IDENTITY_TIMEOUT)
        except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("auth.test failed (%s); retrying in %.0f s", exc, _IDENTITY_RETRY)
            self._retry_at[key] = time.monotonic() + _IDENTITY_RETRY
            return Identity()
        found = Identity(resp.get("user_id"), resp.get("bot_id"), resp.get("url"))
        self._identities[key] = found
        return found
