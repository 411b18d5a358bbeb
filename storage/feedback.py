"""Feedback on generated replies: good or not good, with the command, engine and model
that made the reply, so a room can see which model serves it best.

One vote per person per message: a second press changes the vote, never adds one. Votes
belong to the channel's active story and are deleted with it (/story forget).
``feedback_counts`` gives the totals by command, engine and model in one call (App Home
shows them; /story stats can too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.errors import NotFound
from core.models import StoryKey
from storage.sql import Database, marks


@dataclass(frozen=True, slots=True)
class Vote:
    """One person's verdict on one generated message."""

    key: StoryKey
    message: str
    """The message voted on (its platform id)."""
    user_id: str
    command: str
    engine: str
    model: str
    good: bool


@dataclass(frozen=True, slots=True)
class FeedbackCount:
    command: str
    engine: str
    model: str
    good: int
    bad: int

    @property
    def votes(self) -> int:
        return self.good + self.bad

    @property
    def share(self) -> float:
        """The share of good votes (0 when there are none)."""
        return self.good / self.votes if self.votes else 0.0


class FeedbackLog:
    """Votes on generated replies (mixed into the store; needs ``_db``)."""

    _db: Database

    async def record_feedback(self, vote: Vote) -> bool:
        """Record (or change) a vote; True when it is the person's first on that message.
        Raises NotFound when the channel has no active story."""
        db = self._db
        async with db.write() as tx:
            story = await tx.fetchone(
                "SELECT id FROM stories WHERE platform = ? AND workspace = ? AND channel = ? "
                "AND status = 'active'",
                vote.key,
            )
            if story is None:
                raise NotFound("This channel has no story, so there is nothing to vote on.")
            before = await tx.fetchone(
                "SELECT id FROM feedback WHERE platform = ? AND workspace = ? AND channel = ? "
                "AND message = ? AND user_id = ?",
                (*vote.key, vote.message, vote.user_id),
            )
            await tx.fetchall(
                """
                INSERT INTO feedback (story_id, platform, workspace, channel, message, user_id,
                                      command, engine, model, good, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform, workspace, channel, message, user_id) DO UPDATE SET
                    good = excluded.good, at = excluded.at
                """,
                (
                    story[0],
                    *vote.key,
                    vote.message,
                    vote.user_id,
                    vote.command,
                    vote.engine,
                    vote.model,
                    int(vote.good),
                    db.clock(),
                ),
            )
        return before is None

    async def feedback_counts(
        self, platform: str, workspace: str, channels: Sequence[str] | None = None
    ) -> list[FeedbackCount]:
        """Good and not-good votes by command, engine and model, in a workspace (only in
        ``channels`` when given), the most voted first."""
        sql = (
            "SELECT command, engine, model, sum(good), count(*) FROM feedback "
            "WHERE platform = ? AND workspace = ?"
        )
        params: list[str] = [platform, workspace]
        if channels is not None:
            sql += f" AND channel IN ({marks(channels)})"
            params.extend(channels)
        sql += " GROUP BY command, engine, model ORDER BY count(*) DESC, command, engine, model"
        return [
            FeedbackCount(r[0], r[1], r[2], int(r[3]), int(r[4]) - int(r[3]))
            for r in await self._db.query(sql, params)
        ]
