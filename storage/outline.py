"""The rest of the bible: locations, beats (the outline), saved scenes and notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from core.models import Beat, Location, Note, Scene
from core.text import clean_name, clean_text
from core.types import Author
from storage.revisions import Changes, locked_story
from storage.rows import BEATS, LOCATIONS, NOTES, SCENES, T, Table, of_story
from storage.sql import Database


def _slots(beats: Sequence[tuple[int, str]]) -> dict[tuple[int, int], str]:
    """(act, position within the act, from 1) for each beat, in the order given."""
    counts: dict[int, int] = {}
    slots = {}
    for act, text in beats:
        counts[act] = counts.get(act, 0) + 1
        slots[(act, counts[act])] = clean_text(text)
    return slots


class Outline:
    """Locations, beats, scenes and notes (mixed into the store; needs ``_db``)."""

    _db: Database

    async def _add(self, table: Table[T], story_id: int, obj: T, actor: Author, summary: str) -> T:
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            return await Changes(tx, story_id, actor, db.clock()).create(table, obj, summary)

    async def _listing(self, table: Table[T], story_id: int) -> list[T]:
        sql = f"{table.select()} WHERE story_id = ? ORDER BY {table.order}"
        return [table.from_row(r) for r in await self._db.query(sql, (story_id,))]

    async def add_location(self, story_id: int, location: Location, actor: Author) -> Location:
        name = clean_name(location.name)
        if not name:
            raise ValueError("a location needs a name")
        location = dataclasses.replace(
            location, name=name, story_id=story_id, description=clean_text(location.description)
        )
        return await self._add(LOCATIONS, story_id, location, actor, f"added location {name}")

    async def locations(self, story_id: int) -> list[Location]:
        return await self._listing(LOCATIONS, story_id)

    async def add_scene(self, story_id: int, scene: Scene, actor: Author) -> Scene:
        scene = dataclasses.replace(scene, story_id=story_id, created_at=self._db.clock())
        return await self._add(SCENES, story_id, scene, actor, f"saved scene {scene.title}")

    async def scenes(self, story_id: int) -> list[Scene]:
        return await self._listing(SCENES, story_id)

    async def add_note(self, story_id: int, text: str, actor: Author) -> Note:
        note = Note(text=clean_text(text), story_id=story_id, created_at=self._db.clock())
        short = note.text if len(note.text) <= 40 else note.text[:39] + "…"
        return await self._add(NOTES, story_id, note, actor, f"added note: {short}")

    async def notes(self, story_id: int) -> list[Note]:
        return await self._listing(NOTES, story_id)

    async def beats(self, story_id: int) -> list[Beat]:
        return await self._listing(BEATS, story_id)

    async def replace_beats(
        self, story_id: int, beats: Sequence[tuple[int, str]], actor: Author
    ) -> list[Beat]:
        """Replace the outline with (act, text) beats in order. The outline is diffed slot
        by slot, so each added, rewritten or dropped beat is one revision that undo can
        take back on its own."""
        wanted = _slots(beats)
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            changes = Changes(tx, story_id, actor, db.clock())
            current = {(b.act, b.position): b for b in await of_story(tx, BEATS, story_id)}
            for (act, position), text in wanted.items():
                old = current.pop((act, position), None)
                label = f"beat {act}.{position}"
                if old is None:
                    beat = Beat(act, position, text, story_id=story_id)
                    await changes.create(BEATS, beat, f"added {label}")
                elif old.text != text:
                    await changes.update(
                        BEATS, old, dataclasses.replace(old, text=text), f"rewrote {label}"
                    )
            for (act, position), old in sorted(current.items()):
                await changes.delete(BEATS, old, f"removed beat {act}.{position}")
            return await of_story(tx, BEATS, story_id)
