"""Stories: one active per channel, new ones archive the old, and the whole bible."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

from core.errors import NotFound
from core.models import Bible, Story, StoryKey
from core.shared_calls import Shared
from core.text import clean_name
from core.types import Author
from storage.revisions import Changes, locked_story
from storage.rows import BEATS, CHARACTERS, LOCATIONS, NOTES, SCENES, STORIES, insert
from storage.sql import Database, Tx

_ACTIVE = (
    f"{STORIES.select()} WHERE platform = ? AND workspace = ? AND channel = ? AND status = 'active'"
)


async def _active(db: Database, tx: Tx, key: StoryKey) -> Story | None:
    """The channel's active story, read under the channel's lock: whoever holds it is the
    only one who may create or archive the channel's stories until it commits."""
    await db.lock(tx, "channel:" + "\x1f".join(key))
    row = await tx.fetchone(_ACTIVE, key)
    return None if row is None else STORIES.from_row(row)


async def _create(tx: Tx, key: StoryKey, actor: Author, title: str, at: float) -> Story:
    story = await insert(
        tx,
        STORIES,
        Story(
            id=0, key=key, title=clean_name(title) or "Untitled", created_by=actor.id, created_at=at
        ),
    )
    await Changes(tx, story.id, actor, at).record(
        "story", story.id, "create", f"started story {story.title}", after=story
    )
    return story


class Stories:
    """The stories of channels (mixed into the store; needs ``_db``)."""

    _db: Database

    async def active_story(self, key: StoryKey) -> Story | None:
        rows = await self._db.query(_ACTIVE, key)
        return STORIES.from_row(rows[0]) if rows else None

    @functools.cached_property
    def _creating(self) -> Shared[StoryKey, Story]:
        return Shared()

    async def ensure_story(self, key: StoryKey, actor: Author) -> Story:
        found = await self.active_story(key)
        if found is not None:
            return found
        # The channel's first requests, all at once: one of them creates the story.
        return await self._creating.run(key, lambda: self._create_first(key, actor))

    async def _create_first(self, key: StoryKey, actor: Author) -> Story:
        db = self._db
        at = db.clock()

        async def create(tx: Tx) -> Story:
            # Looked again in the transaction: another process may have created it.
            found = await _active(db, tx, key)
            if found is not None:
                return found
            return await _create(tx, key, actor, "Untitled", at)

        return await db.transact(create)

    async def new_story(
        self, key: StoryKey, actor: Author, title: str = "Untitled"
    ) -> tuple[Story, Story | None]:
        db = self._db
        async with db.write() as tx:
            at = db.clock()
            old = await _active(db, tx, key)
            archived = None
            if old is not None:
                archived = dataclasses.replace(old, status="archived")
                await Changes(tx, old.id, actor, at).update(
                    STORIES, old, archived, f"archived story {old.title}"
                )
            return await _create(tx, key, actor, title, at), archived

    async def update_story(
        self, story_id: int, change: Callable[[Story], Story], actor: Author, summary: str
    ) -> Story:
        """Read, apply ``change``, write and record a revision, in one transaction; a
        change that changes nothing writes nothing."""
        db = self._db
        async with db.write() as tx:
            old = await locked_story(db, tx, story_id)
            # The change edits the bible's fields; a story's identity and status stay its own.
            new = dataclasses.replace(
                change(old),
                id=old.id,
                key=old.key,
                status=old.status,
                created_by=old.created_by,
                created_at=old.created_at,
            )
            if new == old:
                return old
            return await Changes(tx, story_id, actor, db.clock()).update(STORIES, old, new, summary)

    async def stories(self, key: StoryKey) -> list[Story]:
        sql = (
            f"{STORIES.select()} WHERE platform = ? AND workspace = ? AND channel = ? "
            "ORDER BY status = 'active' DESC, created_at DESC, id DESC"
        )
        return [STORIES.from_row(r) for r in await self._db.query(sql, key)]

    async def stories_in_workspace(self, platform: str, workspace: str) -> list[Story]:
        sql = (
            f"{STORIES.select()} WHERE platform = ? AND workspace = ? "
            "ORDER BY channel, status = 'active' DESC, created_at DESC, id DESC"
        )
        return [STORIES.from_row(r) for r in await self._db.query(sql, (platform, workspace))]

    async def bible(self, story_id: int) -> Bible:
        """Every part of the story from one snapshot, so a concurrent edit is all in or out."""
        parts = (CHARACTERS, LOCATIONS, BEATS, SCENES, NOTES)
        found = await self._db.read_many(
            [
                (f"{STORIES.select()} WHERE id = ?", (story_id,)),
                *(
                    (f"{t.select()} WHERE story_id = ? ORDER BY {t.order}", (story_id,))
                    for t in parts
                ),
            ]
        )
        if not found[0]:
            raise NotFound(f"There is no story #{story_id}.")
        rows = found[1:]
        return Bible(
            story=STORIES.from_row(found[0][0]),
            characters=tuple(CHARACTERS.from_row(r) for r in rows[0]),
            locations=tuple(LOCATIONS.from_row(r) for r in rows[1]),
            beats=tuple(BEATS.from_row(r) for r in rows[2]),
            scenes=tuple(SCENES.from_row(r) for r in rows[3]),
            notes=tuple(NOTES.from_row(r) for r in rows[4]),
        )
