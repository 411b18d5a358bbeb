"""Installations: a chat app installed in many workspaces, and the OAuth states of installs.

A platform's install flow (Slack's OAuth v2) hands the bot a token per workspace. Each is
kept here as the platform gave it (``data``: plain JSON, read and written by the adapter,
which knows its fields), by ``kind``: the workspace's ``"bot"`` (its bot token) and each
``"installation"`` (who installed, with what). Nothing here knows Slack: the adapter maps
its SDK's objects to these rows (bot/adapters/slack/installs.py).

OAuth states are one-time: ``consume_oauth_state`` deletes the row it checks in the same
statement, so two callbacks with one state (a replay, a double click) find it once, on
every engine. Expired states are refused and swept when new ones are issued.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from storage.sql import Database, Row

InstallKind = Literal["bot", "installation"]
_COLUMNS = "platform, enterprise, workspace, kind, user_id, data, installed_at"


@dataclass(frozen=True, slots=True)
class InstallationRow:
    """One workspace's bot, or one person's installation, as the platform gave it.

    ``enterprise`` and ``workspace`` are "" where the platform has none (a Slack
    workspace outside an Enterprise Grid; an org-wide install); ``user_id`` is "" for the
    bot."""

    platform: str
    enterprise: str
    workspace: str
    kind: InstallKind
    user_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    installed_at: float = 0.0


def _row(row: Row) -> InstallationRow:
    kind: InstallKind = "bot" if row["kind"] == "bot" else "installation"
    return InstallationRow(
        row["platform"],
        row["enterprise"],
        row["workspace"],
        kind,
        row["user_id"],
        json.loads(row["data"]),
        float(row["installed_at"]),
    )


class Installations:
    """Installations and OAuth states (mixed into the store; needs ``_db``)."""

    _db: Database

    async def save_installation(self, row: InstallationRow) -> None:
        """Insert or replace the row of (platform, enterprise, workspace, kind, user)."""
        await self._db.execute(
            f"INSERT INTO installations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, enterprise, workspace, kind, user_id) DO UPDATE SET "
            "data = excluded.data, installed_at = excluded.installed_at",
            (
                row.platform,
                row.enterprise,
                row.workspace,
                row.kind,
                row.user_id,
                json.dumps(row.data, sort_keys=True),
                row.installed_at or self._db.clock(),
            ),
        )

    async def find_installation(
        self,
        platform: str,
        enterprise: str,
        workspace: str,
        kind: InstallKind,
        user_id: str | None = None,
    ) -> InstallationRow | None:
        """The row of that kind (and person, when ``user_id`` is given; otherwise the
        newest), or None."""
        sql = (
            f"SELECT {_COLUMNS} FROM installations WHERE platform = ? AND enterprise = ? "
            "AND workspace = ? AND kind = ?"
        )
        params: list[Any] = [platform, enterprise, workspace, kind]
        if user_id is not None:
            sql += " AND user_id = ?"
            params.append(user_id)
        rows = await self._db.query(sql + " ORDER BY installed_at DESC LIMIT 1", params)
        return _row(rows[0]) if rows else None

    async def delete_installations(
        self,
        platform: str,
        enterprise: str,
        workspace: str,
        *,
        kind: InstallKind | None = None,
        user_id: str | None = None,
    ) -> int:
        """Delete a workspace's rows (only that kind, that person, when given); returns
        how many went."""
        sql = "DELETE FROM installations WHERE platform = ? AND enterprise = ? AND workspace = ?"
        params: list[Any] = [platform, enterprise, workspace]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        if user_id is not None:
            sql += " AND user_id = ?"
            params.append(user_id)
        rows = await self._db.execute(sql + " RETURNING kind", params)
        if rows:
            await self._db.scrub(("installations",))
        return len(rows)

    async def issue_oauth_state(self, state: str, ttl: float) -> None:
        """Remember a state handed to an installer's browser for ``ttl`` seconds."""
        now = self._db.clock()
        await self._db.execute("DELETE FROM oauth_states WHERE expires_at < ?", (now,))
        await self._db.execute(
            "INSERT INTO oauth_states (state, expires_at) VALUES (?, ?)", (state, now + ttl)
        )

    async def consume_oauth_state(self, state: str) -> bool:
        """True once for a state issued and not yet expired; it is gone afterwards."""
        rows = await self._db.execute(
            "DELETE FROM oauth_states WHERE state = ? RETURNING expires_at", (state,)
        )
        return bool(rows) and float(rows[0][0]) >= self._db.clock()
