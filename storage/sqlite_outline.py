"""The rest of the bible: locations, beats (the outline), saved scenes and notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from core.models import Beat, Location, Note, RevisionAction, Scene
from core.text import clean_name, clean_text
from core.types import Author
from storage.db import Database
from storage.rows import BEATS, LOCATIONS, NOTES, SCENES, T, Table, delete, insert, of_story, update
from storage.sqlite_revisions import record
from storage.sqlite_stories import require_story


async def _add(
    db: Database, table: Table[T], story_id: int, obj: T, actor: Author, summary: str
) -> T:
    async with db.write() as conn:
        await require_story(conn, story_id)
        saved = await insert(conn, table, obj)
        await record(
            conn,
            story_id=story_id,
            entity=table.entity,
            entity_id=saved.id,  # type: ignore[attr-defined]
            action="create",
            actor=actor,
            at=db.clock(),
            summary=summary,
            after=saved,
        )
        return saved


async def listing(db: Database, table: Table[T], story_id: int) -> list[T]:
    sql = f"{table.select()} WHERE story_id = ? ORDER BY {table.order}"
    return [table.from_row(r) for r in await db.query(sql, (story_id,))]


async def add_location(db: Database, story_id: int, location: Location, actor: Author) -> Location:
    name = clean_name(location.name)
    if not name:
        raise ValueError("a location needs a name")
    location = dataclasses.replace(
        location, name=name, story_id=story_id, description=clean_text(location.description)
    )
    return await _add(db, LOCATIONS, story_id, location, actor, f"added location {name}")


async def add_scene(db: Database, story_id: int, scene: Scene, actor: Author) -> Scene:
    scene = dataclasses.replace(scene, story_id=story_id, created_at=db.clock())
    return await _add(db, SCENES, story_id, scene, actor, f"saved scene {scene.title}")


async def add_note(db: Database, story_id: int, text: str, actor: Author) -> Note:
    note = Note(text=clean_text(text), story_id=story_id, created_at=db.clock())
    short = note.text if len(note.text) <= 40 else note.text[:39] + "…"
    return await _add(db, NOTES, story_id, note, actor, f"added note: {short}")


def _slots(beats: Sequence[tuple[int, str]]) -> dict[tuple[int, int], str]:
    """(act, position within the act, from 1) for each beat, in the order given."""
    counts: dict[int, int] = {}
    slots = {}
    for act, text in beats:
        counts[act] = counts.get(act, 0) + 1
        slots[(act, counts[act])] = clean_text(text)
    return slots


async def replace_beats(
    db: Database, story_id: int, beats: Sequence[tuple[int, str]], actor: Author
) -> list[Beat]:
    """Diff the outline slot by slot, so each added, rewritten or dropped beat is one
    revision that undo can take back on its own."""
    wanted = _slots(beats)
    async with db.write() as conn:
        await require_story(conn, story_id)
        at = db.clock()
        current = {(b.act, b.position): b for b in await of_story(conn, BEATS, story_id)}

        async def log(
            entity_id: int, action: RevisionAction, summary: str, before: Any, after: Any
        ) -> None:
            await record(
                conn,
                story_id=story_id,
                entity="beat",
                entity_id=entity_id,
                action=action,
                actor=actor,
                at=at,
                summary=summary,
                before=before,
                after=after,
            )

        for (act, position), text in wanted.items():
            old = current.pop((act, position), None)
            label = f"beat {act}.{position}"
            if old is None:
                new = await insert(conn, BEATS, Beat(act, position, text, story_id=story_id))
                await log(new.id, "create", f"added {label}", None, new)
            elif old.text != text:
                new = dataclasses.replace(old, text=text)
                await update(conn, BEATS, new)
                await log(old.id, "update", f"rewrote {label}", old, new)
        for (act, position), old in sorted(current.items()):
            await delete(conn, BEATS, old.id)
            await log(old.id, "delete", f"removed beat {act}.{position}", old, None)
        return await of_story(conn, BEATS, story_id)
