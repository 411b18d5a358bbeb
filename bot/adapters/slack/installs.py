"""Bolt's installation and OAuth state stores, kept in the bot's own database.

``StoreInstallations`` implements slack_sdk's ``AsyncInstallationStore`` and
``StoreStates`` its ``AsyncOAuthStateStore`` on top of the Store's installation role
(storage/installations.py), so installs live in SQLite or PostgreSQL with everything else
and storage never imports Slack: this module turns the SDK's ``Installation`` and ``Bot``
into plain rows and back.

Rows are keyed by workspace (team id); an org-wide Enterprise Grid install, which has no
team, by its enterprise. Every save of a bot and every delete calls ``on_change(team)``,
so the runtime drops the clients it made with that workspace's old token at once.

An OAuth state is ``nonce.signature``: the nonce is remembered for ``STATE_TTL`` seconds
and consumed once; the signature (HMAC-SHA256 of the nonce with the client secret) lets a
forged state be refused without touching the database.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.adapters.slack.translate import PLATFORM
from storage.api import InstallationRow, Store

log = logging.getLogger(__name__)

STATE_TTL = 600.0
"""Seconds an install link's state stays good (Slack's default, 10 minutes)."""


def _key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> tuple[str, str]:
    """(enterprise, workspace) of a row: the team alone, or the enterprise of an org-wide
    install."""
    if is_enterprise_install:
        return enterprise_id or "", ""
    return "", team_id or ""


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """The SDK's dict with its datetimes as ISO text (which it reads back)."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


class StoreInstallations(AsyncInstallationStore):
    """Installations and bot tokens per workspace, in the Store."""

    def __init__(self, store: Store, on_change: Callable[[str], None] | None = None) -> None:
        self.store = store
        self.on_change = on_change

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        enterprise, team = _key(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        row = InstallationRow(
            PLATFORM,
            enterprise,
            team,
            "installation",
            installation.user_id or "",
            _plain(installation.to_dict_for_copying()),
            installation.installed_at,
        )
        await self.store.save_installation(row)
        if installation.bot_token:
            await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        enterprise, team = _key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        row = InstallationRow(
            PLATFORM,
            enterprise,
            team,
            "bot",
            "",
            _plain(bot.to_dict_for_copying()),
            bot.installed_at,
        )
        await self.store.save_installation(row)
        if self.on_change is not None:  # a new token: clients of the old one go
            self.on_change(team)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        enterprise, team = _key(enterprise_id, team_id, is_enterprise_install)
        row = await self.store.find_installation(PLATFORM, enterprise, team, "bot")
        return Bot(**row.data) if row is not None else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        enterprise, team = _key(enterprise_id, team_id, is_enterprise_install)
        row = await self.store.find_installation(
            PLATFORM, enterprise, team, "installation", user_id
        )
        if row is None:
            return None
        found = Installation(**row.data)
        if user_id is not None:  # the person's own record, with the workspace's newest bot
            bot = await self.async_find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
            if bot is not None:
                found.bot_token, found.bot_id = bot.bot_token, bot.bot_id
                found.bot_user_id, found.bot_scopes = bot.bot_user_id, bot.bot_scopes
        return found

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(enterprise_id, team_id, kind="bot")

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._delete(enterprise_id, team_id, kind="installation", user_id=user_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(enterprise_id, team_id)

    async def _delete(self, enterprise_id: str | None, team_id: str | None, **only: Any) -> None:
        # An uninstall event names the team (and its enterprise, on a Grid): the rows of a
        # workspace install and of an org-wide one both go.
        gone = await self.store.delete_installations(PLATFORM, "", team_id or "", **only)
        if enterprise_id and not team_id:
            gone += await self.store.delete_installations(PLATFORM, enterprise_id, "", **only)
        log.info("Slack workspace %s: %d installation rows deleted", team_id or enterprise_id, gone)
        if self.on_change is not None:
            self.on_change(team_id or "")


def sign(nonce: str, secret: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()[:32]


class StoreStates(AsyncOAuthStateStore):
    """Signed, one-time OAuth states that expire after ``ttl`` seconds."""

    def __init__(self, store: Store, secret: str, ttl: float = STATE_TTL) -> None:
        self.store = store
        self.secret = secret
        self.ttl = ttl

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        nonce = secrets.token_urlsafe(24)
        await self.store.issue_oauth_state(nonce, self.ttl)
        return f"{nonce}.{sign(nonce, self.secret)}"

    async def async_consume(self, state: str) -> bool:
        nonce, _, signature = (state or "").partition(".")
        if not nonce or not hmac.compare_digest(signature, sign(nonce, self.secret)):
            log.warning("refused a forged OAuth state")
            return False
        if not await self.store.consume_oauth_state(nonce):
            log.warning("refused an expired or already used OAuth state")
            return False
        return True
