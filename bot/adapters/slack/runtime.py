"""What the Slack listeners and responders share: the app, one Web API client, caches,
and the listeners' background tasks.

Made once per Bolt app (``make_runtime``, then ``build_slack_app``); nothing here is a
module global, so tests open as many independent Slack adapters as they like.

Listeners acknowledge and return; the work after the ack (user lookups, dispatching) runs
as a task the runtime owns (``spawn``), so Bolt answers Slack the moment ``ack()`` is
called instead of polling for it, and shutdown waits for those tasks (``drain``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.dedupe import Seen
from bot.adapters.slack.throttle import EditThrottle
from bot.adapters.slack.users import UserDirectory
from bot.app import App

log = logging.getLogger(__name__)

_IDENTITY_RETRY = 60.0
IDENTITY_TIMEOUT = 1.5
"""auth.test runs before the first ack: never let it eat Slack's 3 seconds."""


@dataclass(frozen=True, slots=True)
class Identity:
    """The bot user as auth.test tells it (ids to ignore its own messages, the
    workspace URL to build message links)."""

    user_id: str | None = None
    bot_id: str | None = None
    url: str | None = None


class SlackRuntime:
    def __init__(
        self, app: App, client: AsyncWebClient, *, edit_interval: float, edits_per_minute: int
    ) -> None:
        self.app = app
        self.client = client
        self.users = UserDirectory(client)
        self.seen = Seen(app.store)
        self.edits = EditThrottle(app.store, interval=edit_interval, per_minute=edits_per_minute)
        self._identity: Identity | None = None
        self._retry_at = 0.0
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Run a listener's work after its ack, owned here; failures are logged."""
        task = asyncio.create_task(self._guard(work, name), name=f"slack-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guard(work: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await work
        except Exception:
            log.exception("Slack %s failed after its ack", name)

    @property
    def busy(self) -> bool:
        """Whether a listener is still working after its ack."""
        return bool(self._tasks)

    async def drain(self, grace: float = 10.0) -> None:
        """Wait for the listeners' work (which queues jobs), then cancel what is left."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def identity(self) -> Identity:
        """auth.test once (lazily, on the first request), not at start-up."""
        if self._identity is not None:
            return self._identity
        async with self._lock:
            if self._identity is not None:
                return self._identity
            if time.monotonic() < self._retry_at:
                return Identity()
            try:
                resp = await asyncio.wait_for(self.client.auth_test(), IDENTITY_TIMEOUT)
            except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.warning("auth.test failed (%s); retrying in %.0f s", exc, _IDENTITY_RETRY)
                self._retry_at = time.monotonic() + _IDENTITY_RETRY
                return Identity()
            self._identity = Identity(resp.get("user_id"), resp.get("bot_id"), resp.get("url"))
            return self._identity
