"""Saved scenes and notes: part of the outline role (storage/outline.py mixes this in).

Scenes are named by their number in the script, which follows the board (core.board.
script), read inside the transaction that changes them. /draft writes a beat's scene
through ``put_draft_scene``, which never writes over what the room made its own unless
asked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from core import board
from core.board import SceneTarget
from core.errors import NotFound
from core.models import Note, Scene
from core.text import clean_text
from core.types import Author
from storage.revisions import Changes, locked_story
from storage.rows import BEATS, NOTES, SCENES, T, Table, get, of_story
from storage.sql import Database, Tx


async def _script(tx: Tx, story_id: int) -> list[Scene]:
    beats = await of_story(tx, BEATS, story_id)
    return board.script(beats, await of_story(tx, SCENES, story_id))


async def _numbered(tx: Tx, story_id: int, number: int) -> tuple[list[Scene], Scene]:
    scenes = await _script(tx, story_id)
    if not 1 <= number <= len(scenes):
        size = f"it has {len(scenes)}" if scenes else "it has none yet"
        raise NotFound(f"There is no scene {number} in the script; {size}. See /scene list.")
    return scenes, scenes[number - 1]


class SceneBook:
    """A story's saved scenes and notes (mixed into the store; needs ``_db``)."""

    _db: Database

    async def _add(self, table: Table[T], story_id: int, obj: T, actor: Author, summary: str) -> T:
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            return await Changes(tx, story_id, actor, db.clock()).create(table, obj, summary)

    async def _listing(self, table: Table[T], story_id: int) -> list[T]:
        sql = f"{table.select()} WHERE story_id = ? ORDER BY {table.order}"
        return [table.from_row(r) for r in await self._db.query(sql, (story_id,))]

    async def add_scene(self, story_id: int, scene: Scene, actor: Author) -> Scene:
        scene = dataclasses.replace(scene, story_id=story_id, created_at=self._db.clock())
        return await self._add(SCENES, story_id, scene, actor, f"saved scene {scene.title}")

    async def scenes(self, story_id: int) -> list[Scene]:
        return await self._listing(SCENES, story_id)

    async def update_scene(
        self,
        story_id: int,
        scene_id: int,
        change: Callable[[Scene], Scene],
        actor: Author,
        summary: str,
    ) -> Scene:
        """Rewrite one scene (by id: a thread's scene stays its own while others move)."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            old = await get(tx, SCENES, scene_id)
            if old is None or old.story_id != story_id:
                raise NotFound("That scene is no longer in the story.")
            new = dataclasses.replace(change(old), id=old.id, story_id=story_id)
            if new == old:
                return old
            return await Changes(tx, story_id, actor, db.clock()).update(SCENES, old, new, summary)

    async def remove_scene(self, story_id: int, number: int, actor: Author) -> Scene:
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            _, scene = await _numbered(tx, story_id, number)
            return await Changes(tx, story_id, actor, db.clock()).delete(
                SCENES, scene, f"removed scene {scene.title}"
            )

    async def move_scene(
        self, story_id: int, number: int, target: SceneTarget, actor: Author
    ) -> list[Scene]:
        """Move scene ``number`` (core.board.scene_moved), one batch; the script after."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            scenes, scene = await _numbered(tx, story_id, number)
            if isinstance(target, board.ToBeat):
                beats = await of_story(tx, BEATS, story_id)
                if board.at(beats, target.number) is None:
                    raise NotFound(
                        f"There is no beat {target.number} on the board; it has {len(beats)}."
                    )
            moves = board.scene_moved(await of_story(tx, BEATS, story_id), scenes, number, target)
            old = {s.id: s for s in scenes}
            changes = Changes(tx, story_id, actor, db.clock(), batch=True)
            for new in moves:
                what = f"moved scene {scene.title}" if new.id == scene.id else "reordered"
                summary = what if new.id == scene.id else f"{what} scene {new.title}"
                await changes.update(SCENES, old[new.id], new, summary)
            return await _script(tx, story_id)

    async def put_draft_scene(
        self, story_id: int, scene: Scene, actor: Author, *, over_room: bool = False
    ) -> Scene | None:
        """Save /draft's scene for ``scene.beat_id``: over the beat's earlier draft, or
        new. A scene of that beat the room saved or edited is kept (None is returned)
        unless ``over_room``; then the first of them is rewritten (undo brings it back)."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            mine = [s for s in await of_story(tx, SCENES, story_id) if s.beat_id == scene.beat_id]
            room = [s for s in mine if s.source == "room"]
            drafts = [s for s in mine if s.source == "draft"]
            changes = Changes(tx, story_id, actor, db.clock())
            if room and not over_room:
                return None
            found = room or drafts
            if not found:
                new = dataclasses.replace(
                    scene, story_id=story_id, source="draft", created_at=db.clock()
                )
                return await changes.create(SCENES, new, f"drafted scene {scene.title}")
            old = found[0]
            new = dataclasses.replace(
                old, title=scene.title, text=scene.text, kind=scene.kind, source="draft"
            )
            return await changes.update(SCENES, old, new, f"redrafted scene {scene.title}")

    async def add_note(self, story_id: int, text: str, actor: Author) -> Note:
        note = Note(text=clean_text(text), story_id=story_id, created_at=self._db.clock())
        short = note.text if len(note.text) <= 40 else note.text[:39] + "…"
        return await self._add(NOTES, story_id, note, actor, f"added note: {short}")

    async def notes(self, story_id: int) -> list[Note]:
        return await self._listing(NOTES, story_id)
