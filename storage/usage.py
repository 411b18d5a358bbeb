"""Token usage: a row per model call, by channel and person; the daily budget reads it."""

from __future__ import annotations

from core.models import StoryKey, Usage
from storage.sql import Database


class UsageLog:
    """Model token usage (mixed into the store; needs ``_db``)."""

    _db: Database

    async def record_usage(self, key: StoryKey, user_id: str, usage: Usage) -> None:
        await self._db.execute(
            """
            INSERT INTO usage (platform, workspace, channel, user_id, engine, prompt_tokens,
                               completion_tokens, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                *key,
                user_id,
                usage.engine,
                usage.prompt_tokens,
                usage.completion_tokens,
                self._db.clock(),
            ),
        )

    async def usage_totals(self, key: StoryKey) -> dict[str, int]:
        """{"prompt_tokens": n, "completion_tokens": n, "requests": n} for a channel."""
        sql = """
            SELECT coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0),
                   count(*)
            FROM usage WHERE platform = ? AND workspace = ? AND channel = ?
        """
        [row] = await self._db.query(sql, key)  # an aggregate always returns one row
        return {
            "prompt_tokens": int(row[0]),
            "completion_tokens": int(row[1]),
            "requests": int(row[2]),
        }

    async def workspace_tokens_since(self, platform: str, workspace: str, since: float) -> int:
        """Prompt plus completion tokens recorded in a workspace since ``since``."""
        sql = (
            "SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) FROM usage "
            "WHERE platform = ? AND workspace = ? AND at >= ?"
        )
        rows = await self._db.query(sql, (platform, workspace, since))
        return int(rows[0][0])
