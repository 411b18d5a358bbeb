"""Which token a Web API call uses: one for the workspace (SLACK_BOT_TOKEN), or each
workspace's own from its installation (OAuth).

``SingleToken`` hands out the one client. ``InstalledTokens`` finds the workspace's bot
in the installation store, makes a client with its token and keeps it a short while
(``ttl``), so a busy workspace costs no lookup per call; a workspace that uninstalls is
forgotten at once in this process (``forget``) and within ``ttl`` in the others, and
Slack refuses its old token anyway. A workspace without an installation raises
``WorkspaceGone``, as does a call Slack refuses because the token was revoked, so a job
running when its workspace uninstalls ends with one clear line instead of a traceback.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from core.errors import CommandError

REVOKED = frozenset(
    {"token_revoked", "invalid_auth", "account_inactive", "not_authed", "team_not_found"}
)
"""Web API errors that mean the workspace's token no longer works."""


class WorkspaceGone(CommandError):
    """The app is not (or no longer) installed in the workspace."""

    def __init__(self, team: str) -> None:
        self.team = team
        super().__init__(
            f"writersroom is not installed in this Slack workspace ({team or 'unknown'}) any "
            "more, so it cannot answer there. Install it again from /slack/install."
        )


def revoked(exc: SlackApiError) -> bool:
    return str(exc.response.get("error") or "") in REVOKED


class TokenSource(Protocol):
    async def client(self, team: str) -> AsyncWebClient:
        """The client to call the Web API with for ``team``; raises WorkspaceGone."""
        ...

    def forget(self, team: str) -> None:
        """Drop what is kept for ``team`` (its token changed or went)."""
        ...


class SingleToken:
    """One workspace, one bot token."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def client(self, team: str) -> AsyncWebClient:
        return self._client

    def forget(self, team: str) -> None:
        return None


class InstalledTokens:
    """Each workspace's bot token, from its installation."""

    def __init__(
        self,
        installations: AsyncInstallationStore,
        make_client: Callable[[str], AsyncWebClient],
        *,
        ttl: float = 60.0,
        max_teams: int = 5_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.installations = installations
        self.make_client = make_client
        self.ttl = ttl
        self._max = max_teams
        self._clock = clock
        self._clients: OrderedDict[str, tuple[float, AsyncWebClient]] = OrderedDict()

    async def client(self, team: str) -> AsyncWebClient:
        kept = self._clients.get(team)
        if kept is not None and kept[0] > self._clock():
            self._clients.move_to_end(team)
            return kept[1]
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=team)
        if bot is None or not bot.bot_token:
            self.forget(team)
            raise WorkspaceGone(team)
        made = self.make_client(bot.bot_token)
        self._clients[team] = (self._clock() + self.ttl, made)
        while len(self._clients) > self._max:
            self._clients.popitem(last=False)
        return made

    def forget(self, team: str) -> None:
        self._clients.pop(team, None)

    def kept(self) -> list[str]:
        """The workspaces whose clients are kept now (for tests and diagnostics)."""
        return list(self._clients)
