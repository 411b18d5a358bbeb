"""Stories: one active per channel, new ones archive the old, and the whole bible."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import aiosqlite

from core.errors import NotFound
from core.models import Bible, Story, StoryKey
from core.text import clean_name
from core.types import Author
from storage.db import Database, fetchone
from storage.rows import (
    BEATS,
    CHARACTERS,
    LOCATIONS,
    NOTES,
    SCENES,
    STORIES,
    get,
    insert,
    update,
)
from storage.sqlite_revisions import record

_ACTIVE = (
    f"{STORIES.select()} WHERE platform = ? AND workspace = ? AND channel = ? AND status = 'active'"
)


async def _active(conn: aiosqlite.Connection, key: StoryKey) -> Story | None:
    row = await fetchone(conn, _ACTIVE, key)
    return None if row is None else STORIES.from_row(row)


async def require_story(conn: aiosqlite.Connection, story_id: int) -> Story:
    story = await get(conn, STORIES, story_id)
    if story is None:
        raise NotFound(f"There is no story #{story_id}.")
    return story


async def _create(
    conn: aiosqlite.Connection, key: StoryKey, actor: Author, title: str, at: float
) -> Story:
    story = await insert(
        conn,
        STORIES,
        Story(
            id=0, key=key, title=clean_name(title) or "Untitled", created_by=actor.id, created_at=at
        ),
    )
    await record(
        conn,
        story_id=story.id,
        entity="story",
        entity_id=story.id,
        action="create",
        actor=actor,
        at=at,
        summary=f"started story {story.title}",
        after=story,
    )
    return story


async def active_story(db: Database, key: StoryKey) -> Story | None:
    rows = await db.query(_ACTIVE, key)
    return STORIES.from_row(rows[0]) if rows else None


async def ensure_story(db: Database, key: StoryKey, actor: Author) -> Story:
    found = await active_story(db, key)
    if found is not None:
        return found
    async with db.write() as conn:
        # Looked again under the write lock: a concurrent caller may have created it.
        found = await _active(conn, key)
        if found is not None:
            return found
        return await _create(conn, key, actor, "Untitled", db.clock())


async def new_story(
    db: Database, key: StoryKey, actor: Author, title: str
) -> tuple[Story, Story | None]:
    async with db.write() as conn:
        at = db.clock()
        old = await _active(conn, key)
        archived = None
        if old is not None:
            archived = dataclasses.replace(old, status="archived")
            await update(conn, STORIES, archived)
            await record(
                conn,
                story_id=old.id,
                entity="story",
                entity_id=old.id,
                action="update",
                actor=actor,
                at=at,
                summary=f"archived story {old.title}",
                before=old,
                after=archived,
            )
        return await _create(conn, key, actor, title, at), archived


async def update_story(
    db: Database, story_id: int, change: Callable[[Story], Story], actor: Author, summary: str
) -> Story:
    async with db.write() as conn:
        old = await require_story(conn, story_id)
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
        await update(conn, STORIES, new)
        await record(
            conn,
            story_id=story_id,
            entity="story",
            entity_id=story_id,
            action="update",
            actor=actor,
            at=db.clock(),
            summary=summary,
            before=old,
            after=new,
        )
        return new


async def stories(db: Database, key: StoryKey) -> list[Story]:
    sql = (
        f"{STORIES.select()} WHERE platform = ? AND workspace = ? AND channel = ? "
        "ORDER BY status = 'active' DESC, created_at DESC, id DESC"
    )
    return [STORIES.from_row(r) for r in await db.query(sql, key)]


async def stories_in_workspace(db: Database, platform: str, workspace: str) -> list[Story]:
    sql = (
        f"{STORIES.select()} WHERE platform = ? AND workspace = ? "
        "ORDER BY channel, status = 'active' DESC, created_at DESC, id DESC"
    )
    return [STORIES.from_row(r) for r in await db.query(sql, (platform, workspace))]


async def bible(db: Database, story_id: int) -> Bible:
    """Every part of the story from one snapshot, so a concurrent edit is all in or all out."""
    parts = (CHARACTERS, LOCATIONS, BEATS, SCENES, NOTES)
    found = await db.read_many(
        [
            (f"{STORIES.select()} WHERE id = ?", (story_id,)),
            *((f"{t.select()} WHERE story_id = ? ORDER BY {t.order}", (story_id,)) for t in parts),
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
