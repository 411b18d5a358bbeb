"""What the Slack listeners and responders share: the app, one Web API client, caches.

Made once per Bolt app by ``build_slack_app``; nothing here is a module global, so tests
open as many independent Slack adapters as they like.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.dedupe import Seen
from bot.adapters.slack.throttle import EditThrottle
from bot.adapters.slack.users import UserDirectory
from bot.app import App

log = logging.getLogger(__name__)

_IDENTITY_RETRY = 60.0


@dataclass(frozen=True, slots=True)
class Identity:
    """The bot user as auth.test tells it (ids to ignore its own messages, the
    workspace URL to build message links)."""

    user_id: str | None = None
    bot_id: str | None = None
    url: str | None = None


class SlackRuntime:
    def __init__(self, app: App, client: AsyncWebClient, *, edit_interval: float,
                 edits_per_minute: int) -> None:
        self.app = app
        self.client = client
        self.users = UserDirectory(client)
        self.seen = Seen()
        self.edits = EditThrottle(interval=edit_interval, per_minute=edits_per_minute)
        self._identity: Identity | None = None
        self._retry_at = 0.0
        self._lock = asyncio.Lock()

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
                resp = await self.client.auth_test()
            except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.warning("auth.test failed (%s); retrying in %.0f s", exc, _IDENTITY_RETRY)
                self._retry_at = time.monotonic() + _IDENTITY_RETRY
                return Identity()
            self._identity = Identity(resp.get("user_id"), resp.get("bot_id"), resp.get("url"))
            return self._identity
