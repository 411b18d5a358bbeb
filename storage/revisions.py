"""Revisions: the one place a bible change is written with its revision, history, and undo.

Every change to the bible appends one row with full before/after snapshots. Rows are
never updated (a trigger refuses it); whether a revision has been undone is read from the
later row whose ``undoes`` points at it. Undo is a stack: it reverts the newest revision
that is not an undo and not yet undone, so repeated undos walk further back.

``Changes`` is how every role writes the bible: ``create``, ``update`` and ``delete`` write
the row and its revision in the caller's transaction, so no change is ever saved without
the record of who made it. A change that touches several rows as one (a beat moved, the
places of its act renumbered) is a *batch* (``Changes(..., batch=True)``): its revisions
after the first name the first in ``revisions.batch``, and undo takes the batch back whole.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from core.errors import Conflict, NotFound
from core.models import STORY_FIELDS, Entity, Revision, RevisionAction, Story
from core.types import Author
from storage.rows import (
    REVISION_SELECT,
    STORIES,
    TABLES,
    T,
    Table,
    delete,
    from_snapshot,
    get,
    insert,
    revision,
    snapshot_json,
    update,
)
from storage.sql import Database, IntegrityViolation, Tx


async def locked_story(db: Database, tx: Tx, story_id: int) -> Story:
    """The story, its row locked until the transaction ends, so that read-modify-writes
    of one story take turns on every engine; NotFound if it is gone."""
    story = await get(tx, STORIES, story_id, lock=db.for_update)
    if story is None:
        raise NotFound(f"There is no story #{story_id}.")
    return story


@dataclass(frozen=True, slots=True)
class Changes:
    """Changes to one story's bible inside one transaction, each with its revision."""

    tx: Tx
    story_id: int
    actor: Author
    at: float
    batch: bool = False
    """Record every change of this object as one, undone whole (see the module docstring)."""
    _head: list[int] = field(default_factory=list)

    async def create(self, table: Table[T], obj: T, summary: str) -> T:
        saved = await insert(self.tx, table, obj)
        await self.record(table.entity, _id(saved), "create", summary, after=saved)
        return saved

    async def update(self, table: Table[T], old: T, new: T, summary: str) -> T:
        await update(self.tx, table, new)
        await self.record(table.entity, _id(old), "update", summary, before=old, after=new)
        return new

    async def delete(self, table: Table[T], old: T, summary: str) -> T:
        await delete(self.tx, table, _id(old))
        await self.record(table.entity, _id(old), "delete", summary, before=old)
        return old

    async def record(
        self,
        entity: Entity,
        entity_id: int,
        action: RevisionAction,
        summary: str,
        *,
        before: Any = None,
        after: Any = None,
        undoes: int | None = None,
    ) -> int:
        """Append one revision; returns its id."""
        rows = await self.tx.fetchall(
            """
            INSERT INTO revisions (story_id, entity, entity_id, action, actor_id, actor_name,
                                   at, summary, before, after, undoes, batch)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """,
            (
                self.story_id,
                entity,
                entity_id,
                action,
                self.actor.id,
                self.actor.name,
                self.at,
                summary,
                snapshot_json(before),
                snapshot_json(after),
                undoes,
                self._head[0] if self.batch and self._head else None,
            ),
        )
        made = int(rows[0][0])
        if self.batch and not self._head:
            self._head.append(made)
        return made


def _id(obj: Any) -> int:
    return int(obj.id)


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


async def _newest_undoable(tx: Tx, story_id: int) -> Revision | None:
    offset, page = 0, 16
    while True:
        rows = await tx.fetchall(_PENDING, (story_id, page, offset))
        for row in rows:
            rev = revision(row)
            if can_undo(rev):
                return rev
        if len(rows) < page:
            return None
        offset += page


class Revisions:
    """History and undo of a story (mixed into the store; needs ``_db``)."""

    _db: Database

    async def history(
        self,
        story_id: int,
        limit: int = 20,
        entity: str | None = None,
        entity_id: int | None = None,
    ) -> list[Revision]:
        where, params = ["r.story_id = ?"], [story_id]
        if entity is not None:
            where.append("r.entity = ?")
            params.append(entity)  # type: ignore[arg-type]
        if entity_id is not None:
            where.append("r.entity_id = ?")
            params.append(entity_id)
        sql = f"{REVISION_SELECT} WHERE {' AND '.join(where)} ORDER BY r.id DESC LIMIT ?"
        return [revision(row) for row in await self._db.query(sql, [*params, max(0, limit)])]

    async def undo(self, story_id: int, actor: Author) -> Revision | None:
        """Revert the newest change not yet undone (a batch whole, newest row first); returns
        the revision undone (a batch's first). A story's creation and archiving are passed
        over."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            rev = await _newest_undoable(tx, story_id)
            if rev is None:
                return None
            changes = Changes(tx, story_id, actor, db.clock())
            head, members = await _batch_of(tx, rev)
            undo_id = 0
            for member in members:
                undo_id = await _revert(tx, changes, member)
            return dataclasses.replace(head, undone_by=undo_id)


_BATCH = f"""
    {REVISION_SELECT}
    WHERE r.id = ? OR r.batch = ?
    ORDER BY r.id DESC
"""


async def _batch_of(tx: Tx, rev: Revision) -> tuple[Revision, list[Revision]]:
    """The revision a batch is known by (its first) and its members not yet undone, newest
    first; a revision outside any batch is its own."""
    row = await tx.fetchone("SELECT batch FROM revisions WHERE id = ?", (rev.id,))
    head_id = row[0] if row is not None and row[0] is not None else rev.id
    rows = [revision(r) for r in await tx.fetchall(_BATCH, (head_id, head_id))]
    if len(rows) == 1:
        return rev, [rev]
    head = next(r for r in rows if r.id == head_id)
    return head, [r for r in rows if r.undone_by is None and r.action != "undo"]


async def _revert(tx: Tx, changes: Changes, rev: Revision) -> int:
    """Put back what ``rev`` changed and record the undo; returns the undo's id."""
    story_id = changes.story_id
    table = TABLES[rev.entity]
    current = await get(tx, table, rev.entity_id)
    restored: Any = None
    try:
        if rev.action == "create":
            if current is not None:
                await delete(tx, table, rev.entity_id)
        elif rev.action == "delete":
            if current is not None:
                raise Conflict(f"Can't undo #{rev.id}: it is already back.")
            restored = from_snapshot(table.model, rev.before or {})
            if rev.entity != "story":
                restored = dataclasses.replace(restored, story_id=story_id)
            restored = await insert(tx, table, restored, keep_id=True)
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
            await update(tx, table, restored)
    except IntegrityViolation:
        raise Conflict(
            f"Can't undo #{rev.id} ({rev.summary}): it clashes with the bible as it is now."
        ) from None
    return await changes.record(
        rev.entity,
        rev.entity_id,
        "undo",
        f"undid #{rev.id}: {rev.summary}",
        before=current,
        after=restored,
        undoes=rev.id,
    )
