"""Conversations: a reply's thread, the artifact it is about, and its messages."""

from __future__ import annotations

import json
from typing import Any

from core.errors import NotFound
from core.models import Conversation, ConversationMessage, StoryKey, Usage
from storage.sql import Database, ForeignKeyViolation, Row, Tx

ThreadKey = tuple[str, str, str, str]
"""(platform, workspace, channel, thread)."""

_COLUMNS = (
    "id, platform, workspace, channel, thread, story_id, kind, artifact, params, seed, "
    "created_at, updated_at"
)
_SELECT = f"SELECT {_COLUMNS} FROM conversations"
_GONE = "That conversation no longer exists."


def _conversation(row: Row) -> Conversation:
    return Conversation(
        id=row["id"],
        place=(row["platform"], row["workspace"], row["channel"], row["thread"]),
        story_id=row["story_id"],
        kind=row["kind"],
        artifact=row["artifact"],
        params=json.loads(row["params"]),
        seed=row["seed"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _message(row: Row) -> ConversationMessage:
    return ConversationMessage(
        conversation_id=row["conversation_id"],
        role=row["role"],
        author=row["author"],
        text=row["text"],
        at=row["at"],
        id=row["id"],
    )


def _params(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False, sort_keys=True)


class Conversations:
    """Reply threads and their messages (mixed into the store; needs ``_db``)."""

    _db: Database

    async def create_conversation(
        self,
        thread: ThreadKey,
        story_id: int,
        kind: str,
        artifact: str,
        params: dict[str, Any],
        seed: int,
    ) -> Conversation:
        """A thread holds one conversation: creating one where one exists starts it over
        (same id, its messages kept as the thread's history)."""
        at = self._db.clock()
        try:
            rows = await self._db.execute(
                f"""
                INSERT INTO conversations (platform, workspace, channel, thread, story_id, kind,
                                           artifact, params, seed, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform, workspace, channel, thread) DO UPDATE SET
                    story_id = excluded.story_id, kind = excluded.kind,
                    artifact = excluded.artifact, params = excluded.params,
                    seed = excluded.seed, updated_at = excluded.updated_at
                RETURNING {_COLUMNS}
                """,
                (*thread, story_id, kind, artifact, _params(params), seed, at, at),
            )
        except ForeignKeyViolation:
            raise NotFound(f"There is no story #{story_id}.") from None
        return _conversation(rows[0])

    async def conversation_at(self, thread: ThreadKey) -> Conversation | None:
        sql = f"{_SELECT} WHERE platform = ? AND workspace = ? AND channel = ? AND thread = ?"
        rows = await self._db.query(sql, thread)
        return _conversation(rows[0]) if rows else None

    async def conversation(self, conversation_id: int) -> Conversation | None:
        rows = await self._db.query(f"{_SELECT} WHERE id = ?", (conversation_id,))
        return _conversation(rows[0]) if rows else None

    async def latest_conversation(self, key: StoryKey) -> Conversation | None:
        sql = (
            f"{_SELECT} WHERE platform = ? AND workspace = ? AND channel = ? "
            "ORDER BY updated_at DESC, id DESC LIMIT 1"
        )
        rows = await self._db.query(sql, key)
        return _conversation(rows[0]) if rows else None

    async def update_conversation(
        self, conversation_id: int, artifact: str, params: dict[str, Any], seed: int
    ) -> Conversation:
        rows = await self._db.execute(
            f"""
            UPDATE conversations SET artifact = ?, params = ?, seed = ?, updated_at = ?
            WHERE id = ? RETURNING {_COLUMNS}
            """,
            (artifact, _params(params), seed, self._db.clock(), conversation_id),
        )
        if not rows:
            raise NotFound(_GONE)
        return _conversation(rows[0])

    async def finish_draft(
        self,
        conversation_id: int,
        artifact: str,
        params: dict[str, Any],
        seed: int,
        usage: tuple[str, Usage] | None = None,
    ) -> Conversation:
        """A draft is done: the conversation's artifact, the bot's message in the thread,
        and the tokens it used (``(user id, usage)``, charged to the conversation's
        channel), in one transaction."""
        db = self._db
        at = db.clock()

        async def finish(tx: Tx) -> Conversation:
            rows = await tx.fetchall(
                f"UPDATE conversations SET artifact = ?, params = ?, seed = ?, updated_at = ? "
                f"WHERE id = ? RETURNING {_COLUMNS}",
                (artifact, _params(params), seed, at, conversation_id),
            )
            if not rows:
                raise NotFound(_GONE)
            conv = _conversation(rows[0])
            await tx.fetchall(
                "INSERT INTO conversation_messages (conversation_id, role, author, text, at) "
                "VALUES (?, 'bot', 'writersroom', ?, ?)",
                (conversation_id, artifact, at),
            )
            if usage is not None:
                user_id, used = usage
                await tx.fetchall(
                    "INSERT INTO usage (platform, workspace, channel, user_id, engine, "
                    "prompt_tokens, completion_tokens, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        *conv.place[:3],
                        user_id,
                        used.engine,
                        used.prompt_tokens,
                        used.completion_tokens,
                        at,
                    ),
                )
            return conv

        return await db.transact(finish)

    async def add_message(
        self, conversation_id: int, role: str, author: str, text: str
    ) -> ConversationMessage:
        """A message is activity: a trigger makes its conversation the channel's latest."""
        try:
            rows = await self._db.execute(
                """
                INSERT INTO conversation_messages (conversation_id, role, author, text, at)
                VALUES (?, ?, ?, ?, ?) RETURNING id, conversation_id, role, author, text, at
                """,
                (conversation_id, role, author, text, self._db.clock()),
            )
        except ForeignKeyViolation:
            raise NotFound(_GONE) from None
        return _message(rows[0])

    async def messages(self, conversation_id: int, limit: int = 20) -> list[ConversationMessage]:
        """The newest ``limit`` messages, oldest first."""
        sql = """
            SELECT * FROM (
                SELECT id, conversation_id, role, author, text, at FROM conversation_messages
                WHERE conversation_id = ? ORDER BY id DESC LIMIT ?
            ) AS recent ORDER BY id
        """
        return [_message(r) for r in await self._db.query(sql, (conversation_id, max(0, limit)))]
