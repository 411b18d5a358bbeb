"""Revisions: appending them, reading history, and undo.

Every change to the bible appends one row with full before/after snapshots. Rows are
never updated (a trigger refuses it); whether a revision has been undone is read from the
later row whose ``undoes`` points at it. Undo is a stack: it reverts the newest revision
that is not an undo and not yet undone, so repeated undos walk further back.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

import aiosqlite

from core.errors import Conflict
from core.models import STORY_FIELDS, Entity, Revision, RevisionAction
from core.types import Author
from storage.db import Database, fetchall
from storage.rows import (
    REVISION_SELECT,
    TABLES,
    delete,
    from_snapshot,
    get,
    insert,
    revision,
    snapshot_json,
    update,
)


async def record(
    conn: aiosqlite.Connection,
    *,
    story_id: int,
    entity: Entity,
    entity_id: int,
    action: RevisionAction,
    actor: Author,
    at: float,
    summary: str,
    before: Any = None,
    after: Any = None,
    undoes: int | None = None,
) -> int:
    """Append one revision inside the caller's transaction; returns its id."""
    rows = await fetchall(
        conn,
        """
        INSERT INTO revisions (story_id, entity, entity_id, action, actor_id, actor_name, at,
                               summary, before, after, undoes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
        """,
        (
            story_id,
            entity,
            entity_id,
            action,
            actor.id,
            actor.name,
            at,
            summary,
            snapshot_json(before),
            snapshot_json(after),
            undoes,
        ),
    )
    return int(rows[0][0])


async def history(
    db: Database, story_id: int, limit: int, entity: str | None, entity_id: int | None
) -> list[Revision]:
    where, params = ["r.story_id = ?"], [story_id]
    if entity is not None:
        where.append("r.entity = ?")
        params.append(entity)  # type: ignore[arg-type]
    if entity_id is not None:
        where.append("r.entity_id = ?")
        params.append(entity_id)
    sql = f"{REVISION_SELECT} WHERE {' AND '.join(where)} ORDER BY r.id DESC LIMIT ?"
    return [revision(row) for row in await db.query(sql, [*params, max(0, limit)])]


def can_undo(rev: Revision) -> bool:
    """Whether undo may revert this revision at all.

    A story's creation and its archiving are not undone: undoing them would leave the
    channel with no active story, or with two. Undo passes over them.
    """
    if rev.action == "undo":
        return False
    if rev.entity != "story":
        return True
    if rev.action == "create":
        return False
    before, after = rev.before or {}, rev.after or {}
    return before.get("status") == after.get("status")


_PENDING = f"""
    {REVISION_SELECT}
    WHERE r.story_id = ? AND r.action != 'undo'
      AND NOT EXISTS (SELECT 1 FROM revisions u WHERE u.undoes = r.id)
    ORDER BY r.id DESC LIMIT ? OFFSET ?
"""


async def _newest_undoable(conn: aiosqlite.Connection, story_id: int) -> Revision | None:
    offset, page = 0, 16
    while True:
        rows = await fetchall(conn, _PENDING, (story_id, page, offset))
        for row in rows:
            rev = revision(row)
            if can_undo(rev):
                return rev
        if len(rows) < page:
            return None
        offset += page


async def undo(db: Database, story_id: int, actor: Author) -> Revision | None:
    async with db.write() as conn:
        rev = await _newest_undoable(conn, story_id)
        if rev is None:
            return None
        table = TABLES[rev.entity]
        current = await get(conn, table, rev.entity_id)
        restored: Any = None
        try:
            if rev.action == "create":
                if current is not None:
                    await delete(conn, table, rev.entity_id)
            elif rev.action == "delete":
                if current is not None:
                    raise Conflict(f"Can't undo #{rev.id}: it is already back.")
                restored = from_snapshot(table.model, rev.before or {})
                if rev.entity != "story":
                    restored = dataclasses.replace(restored, story_id=story_id)
                restored = await insert(conn, table, restored, keep_id=True)
            else:
                if current is None:
                    raise Conflict(f"Can't undo #{rev.id}: what it changed no longer exists.")
                restored = from_snapshot(table.model, rev.before or {})
                if rev.entity == "story":
                    # Only the bible's fields come back; the story's identity stays.
                    restored = dataclasses.replace(
                        current, **{f: getattr(restored, f) for f in STORY_FIELDS}
                    )
                else:
                    restored = dataclasses.replace(restored, id=rev.entity_id, story_id=story_id)
                await update(conn, table, restored)
        except sqlite3.IntegrityError:
            raise Conflict(
                f"Can't undo #{rev.id} ({rev.summary}): it clashes with the bible as it is now."
            ) from None
        undo_id = await record(
            conn,
            story_id=story_id,
            entity=rev.entity,
            entity_id=rev.entity_id,
            action="undo",
            actor=actor,
            at=db.clock(),
            summary=f"undid #{rev.id}: {rev.summary}",
            before=current,
            after=restored,
            undoes=rev.id,
        )
        return dataclasses.replace(rev, undone_by=undo_id)
