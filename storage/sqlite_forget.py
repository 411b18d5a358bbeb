"""Forgetting: a channel's whole story data on request, old conversations by retention;
and the workspace token total the daily budget reads (usage, by time).

``forget_channel`` deletes every row that belongs to a channel in one transaction:
its stories (active and archived), and with them, by ``ON DELETE CASCADE``, characters,
locations, beats, scenes, notes, revisions, conversations and their messages, and image
rows; then the channel's conversations, jobs and usage rows by key. ``secure_delete`` is on,
so SQLite overwrites the freed content with zeros; a ``wal_checkpoint(TRUNCATE)`` after the
commit copies those zeroed pages into the database file and empties the write-ahead log,
which otherwise still holds older copies of the pages. The image *files* are the caller's
to remove (the store keeps paths relative to the data directory, which it does not know).
"""

from __future__ import annotations

import asyncio
import logging

from core.models import StoryKey
from storage.api import Forgotten
from storage.db import Database, fetchall

log = logging.getLogger(__name__)

_BY_KEY = "platform = ? AND workspace = ? AND channel = ?"
CHECKPOINT_TRIES = 20


async def forget_channel(db: Database, key: StoryKey, keep_job: str | None = None) -> Forgotten:
    """Delete everything of the channel ``key``; ``keep_job`` (the job doing the forgetting)
    keeps its row, which names no text, so the job runner can close it."""
    async with db.write() as conn:
        stories = [
            int(r[0]) for r in await fetchall(conn, f"SELECT id FROM stories WHERE {_BY_KEY}", key)
        ]
        marks = ", ".join("?" for _ in stories) or "NULL"
        image_paths = tuple(
            str(r[0])
            for r in await fetchall(
                conn, f"SELECT path FROM images WHERE story_id IN ({marks})", stories
            )
        )
        references = tuple(
            str(r[0])
            for r in await fetchall(
                conn,
                f"SELECT reference_image FROM characters WHERE story_id IN ({marks}) "
                "AND reference_image IS NOT NULL",
                stories,
            )
        )
        counts = {}
        for table in ("characters", "revisions", "images"):
            row = await fetchall(
                conn, f"SELECT count(*) FROM {table} WHERE story_id IN ({marks})", stories
            )
            counts[table] = int(row[0][0])
        messages = await fetchall(
            conn,
            "SELECT count(*) FROM conversation_messages WHERE conversation_id IN "
            f"(SELECT id FROM conversations WHERE {_BY_KEY})",
            key,
        )
        conversations = await fetchall(
            conn, f"DELETE FROM conversations WHERE {_BY_KEY} RETURNING id", key
        )
        # Conversations of these stories kept under another key (none today) go with them.
        await fetchall(conn, f"DELETE FROM conversations WHERE story_id IN ({marks})", stories)
        await fetchall(conn, f"DELETE FROM stories WHERE id IN ({marks})", stories)
        jobs = await fetchall(
            conn, f"DELETE FROM jobs WHERE {_BY_KEY} AND id IS NOT ? RETURNING id", (*key, keep_job)
        )
        usage = await fetchall(conn, f"DELETE FROM usage WHERE {_BY_KEY} RETURNING id", key)
    await checkpoint(db)
    return Forgotten(
        stories=len(stories),
        characters=counts["characters"],
        revisions=counts["revisions"],
        conversations=len(conversations),
        messages=int(messages[0][0]),
        images=counts["images"],
        jobs=len(jobs),
        usage=len(usage),
        image_paths=tuple(dict.fromkeys(image_paths + references)),
        story_ids=tuple(stories),
    )


async def prune_conversations(db: Database, before: float) -> int:
    """Delete conversations (and, by cascade, their messages) last active before ``before``."""
    rows = await db.execute(
        "DELETE FROM conversations WHERE updated_at < ? RETURNING id", (before,)
    )
    if rows:
        await checkpoint(db)
    return len(rows)


async def checkpoint(db: Database) -> bool:
    """Copy the write-ahead log into the file and truncate it to zero bytes.

    A reader in the middle of a snapshot keeps the log busy; we wait a little for it.
    Returns whether the log was emptied."""
    for attempt in range(CHECKPOINT_TRIES):
        rows = await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if rows and int(rows[0][0]) == 0:
            return True
        await asyncio.sleep(0.05 * (attempt + 1))
    log.warning("WAL checkpoint stayed busy after %d tries", CHECKPOINT_TRIES)
    return False


async def workspace_tokens_since(db: Database, platform: str, workspace: str, since: float) -> int:
    """Tokens (prompt + completion) a workspace used since ``since``: the daily budget."""
    sql = (
        "SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) FROM usage "
        "WHERE platform = ? AND workspace = ? AND at >= ?"
    )
    rows = await db.query(sql, (platform, workspace, since))
    return int(rows[0][0])
