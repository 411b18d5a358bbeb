"""Characters: found by name or alias, added, edited and removed with a revision each."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import aiosqlite

from core.errors import Conflict, NotFound
from core.models import Character, by_one_name
from core.text import clean_name
from core.types import Author
from storage.db import Database, fetchone
from storage.rows import CHARACTERS, delete, insert, name_matches, of_story, update
from storage.sqlite_revisions import record
from storage.sqlite_stories import require_story

_BY_KEY = f"{CHARACTERS.select()} WHERE story_id = ? AND name_key = ?"
# Same order as characters(), so an alias two characters share finds the one listed first.
_BY_ALIAS = (
    f"{CHARACTERS.select()} WHERE story_id = ? AND instr(alias_keys, ?) > 0 "
    f"ORDER BY {CHARACTERS.order} LIMIT 1"
)


def _duplicate(name: str) -> Conflict:
    """Names the character already there, as the room wrote it."""
    return Conflict(f"There is already a character named {name} in this story.")


async def _by_key(conn: aiosqlite.Connection, story_id: int, key: str) -> Character | None:
    row = await fetchone(conn, _BY_KEY, (story_id, key))
    return None if row is None else CHARACTERS.from_row(row)


async def _find(conn: aiosqlite.Connection, story_id: int, name: str) -> Character | None:
    """By name first, then by alias (as core.models.find_character does)."""
    key, needle = name_matches(name)
    if not key:
        return None
    found = await _by_key(conn, story_id, key)
    if found is not None:
        return found
    row = await fetchone(conn, _BY_ALIAS, (story_id, needle))
    if row is not None:
        return CHARACTERS.from_row(row)
    return by_one_name(await of_story(conn, CHARACTERS, story_id), key)


async def _require(conn: aiosqlite.Connection, story_id: int, name: str) -> Character:
    found = await _find(conn, story_id, name)
    if found is None:
        raise NotFound(f"No character named {clean_name(name) or name!r} in this story.")
    return found


def _named(character: Character) -> Character:
    name = clean_name(character.name)
    if not name:
        raise ValueError("a character needs a name")
    return dataclasses.replace(character, name=name)


async def characters(db: Database, story_id: int) -> list[Character]:
    sql = f"{CHARACTERS.select()} WHERE story_id = ? ORDER BY {CHARACTERS.order}"
    return [CHARACTERS.from_row(r) for r in await db.query(sql, (story_id,))]


async def find_character(db: Database, story_id: int, name: str) -> Character | None:
    async with db.read(snapshot=False) as conn:
        return await _find(conn, story_id, name)


async def add_character(
    db: Database, story_id: int, character: Character, actor: Author
) -> Character:
    character = dataclasses.replace(_named(character), story_id=story_id)
    async with db.write() as conn:
        await require_story(conn, story_id)
        if (existing := await _by_key(conn, story_id, character.key)) is not None:
            raise _duplicate(existing.name)
        saved = await insert(conn, CHARACTERS, character)
        await record(
            conn,
            story_id=story_id,
            entity="character",
            entity_id=saved.id,
            action="create",
            actor=actor,
            at=db.clock(),
            summary=f"added character {saved.name}",
            after=saved,
        )
        return saved


async def update_character(
    db: Database,
    story_id: int,
    name: str,
    change: Callable[[Character], Character],
    actor: Author,
    summary: str,
) -> Character:
    async with db.write() as conn:
        old = await _require(conn, story_id, name)
        new = dataclasses.replace(_named(change(old)), id=old.id, story_id=story_id)
        if new == old:
            return old
        if new.key != old.key and (existing := await _by_key(conn, story_id, new.key)):
            raise _duplicate(existing.name)
        await update(conn, CHARACTERS, new)
        await record(
            conn,
            story_id=story_id,
            entity="character",
            entity_id=old.id,
            action="update",
            actor=actor,
            at=db.clock(),
            summary=summary,
            before=old,
            after=new,
        )
        return new


async def remove_character(db: Database, story_id: int, name: str, actor: Author) -> Character:
    async with db.write() as conn:
        old = await _require(conn, story_id, name)
        await delete(conn, CHARACTERS, old.id)
        await record(
            conn,
            story_id=story_id,
            entity="character",
            entity_id=old.id,
            action="delete",
            actor=actor,
            at=db.clock(),
            summary=f"removed character {old.name}",
            before=old,
        )
        return old
