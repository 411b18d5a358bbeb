"""Forgetting: a channel's whole story data on request, old conversations by retention.

``forget_channel`` deletes every row that belongs to a channel in one transaction: its
stories (active and archived), and with them, by ``ON DELETE CASCADE``, characters,
locations, beats, scenes, notes, revisions, conversations and their messages, and image
rows; then the channel's conversations, jobs and usage rows by key. After the commit the
database's ``scrub`` makes the deleted text unreadable in its files (SQLite: zeroed pages
and an emptied write-ahead log; PostgreSQL: the touched tables rewritten). The image
*files* are the caller's to remove (the store keeps paths relative to the data
directory, which it does not know).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models import StoryKey
from storage.sql import Database, marks

_BY_KEY = "platform = ? AND workspace = ? AND channel = ?"
TOUCHED = (
    "stories",
    "characters",
    "locations",
    "beats",
    "scenes",
    "notes",
    "revisions",
    "conversations",
    "conversation_messages",
    "image_jobs",
    "images",
    "jobs",
    "usage",
)
"""Every table a forgotten channel's text (or trace) can be in."""


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What ``forget_channel`` deleted, counted, and the image files left to remove
    (paths relative to the data directory)."""

    stories: int = 0
    characters: int = 0
    revisions: int = 0
    conversations: int = 0
    messages: int = 0
    images: int = 0
    jobs: int = 0
    usage: int = 0
    image_paths: tuple[str, ...] = ()
    story_ids: tuple[int, ...] = ()


class Forgetting:
    """Deleting for good (mixed into the store; needs ``_db``)."""

    _db: Database

    async def forget_channel(self, key: StoryKey, keep_job: str | None = None) -> Forgotten:
        """Delete everything of the channel ``key``; ``keep_job`` (the job doing the
        forgetting) keeps its row, which names no text, so the job runner can close it."""
        db = self._db
        async with db.write() as tx:
            found = await tx.fetchall(
                f"SELECT id FROM stories WHERE {_BY_KEY} ORDER BY id{db.for_update}", key
            )
            stories = [int(r[0]) for r in found]
            ids = marks(stories)
            image_paths = tuple(
                str(r[0])
                for r in await tx.fetchall(
                    f"SELECT path FROM images WHERE story_id IN ({ids})", stories
                )
            )
            references = tuple(
                str(r[0])
                for r in await tx.fetchall(
                    f"SELECT reference_image FROM characters WHERE story_id IN ({ids}) "
                    "AND reference_image IS NOT NULL",
                    stories,
                )
            )
            counts = {}
            for table in ("characters", "revisions", "images"):
                row = await tx.fetchall(
                    f"SELECT count(*) FROM {table} WHERE story_id IN ({ids})", stories
                )
                counts[table] = int(row[0][0])
            messages = await tx.fetchall(
                "SELECT count(*) FROM conversation_messages WHERE conversation_id IN "
                f"(SELECT id FROM conversations WHERE {_BY_KEY})",
                key,
            )
            conversations = await tx.fetchall(
                f"DELETE FROM conversations WHERE {_BY_KEY} RETURNING id", key
            )
            # Conversations of these stories kept under another key (none today) go too.
            await tx.fetchall(f"DELETE FROM conversations WHERE story_id IN ({ids})", stories)
            await tx.fetchall(f"DELETE FROM stories WHERE id IN ({ids})", stories)
            jobs = await tx.fetchall(
                f"DELETE FROM jobs WHERE {_BY_KEY} AND id != ? RETURNING id",
                (*key, keep_job or ""),
            )
            usage = await tx.fetchall(f"DELETE FROM usage WHERE {_BY_KEY} RETURNING id", key)
        await db.scrub(TOUCHED)
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

    async def prune_conversations(self, before: float) -> int:
        """Delete conversations (and, by cascade, their messages) last active before
        ``before`` (a timestamp); returns how many."""
        rows = await self._db.execute(
            "DELETE FROM conversations WHERE updated_at < ? RETURNING id", (before,)
        )
        if rows:
            await self._db.scrub(("conversations", "conversation_messages"))
        return len(rows)
