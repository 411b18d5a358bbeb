"""The cast: characters found by name or alias, added, edited and removed with a revision each."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from core.errors import Conflict, NotFound
from core.models import Character, by_one_name
from core.text import clean_name
from core.types import Author
from storage.revisions import Changes, locked_story
from storage.rows import CHARACTERS, name_matches
from storage.sql import Database, Params, Row, Tx, UniqueViolation

Fetch = Callable[[str, Params], Awaitable[list[Row]]]
"""A way to run a SELECT: a transaction's ``fetchall``, or the database's ``query``."""

_BY_KEY = f"{CHARACTERS.select()} WHERE story_id = ? AND name_key = ?"
# Same order as characters(), so an alias two characters share finds the one listed first.
_BY_ALIAS = (
    f"{CHARACTERS.select()} WHERE story_id = ? AND instr(alias_keys, ?) > 0 "
    f"ORDER BY {CHARACTERS.order} LIMIT 1"
)


def _duplicate(name: str) -> Conflict:
    """Names the character already there, as the room wrote it."""
    return Conflict(f"There is already a character named {name} in this story.")


async def _by_key(tx: Tx, story_id: int, key: str) -> Character | None:
    row = await tx.fetchone(_BY_KEY, (story_id, key))
    return None if row is None else CHARACTERS.from_row(row)


async def _find(fetch: Fetch, story_id: int, name: str) -> Character | None:
    """By name first, then by alias (as core.models.find_character does)."""
    key, needle = name_matches(name)
    if not key:
        return None
    for sql, params in ((_BY_KEY, (story_id, key)), (_BY_ALIAS, (story_id, needle))):
        if rows := await fetch(sql, params):
            return CHARACTERS.from_row(rows[0])
    listing = f"{CHARACTERS.select()} WHERE story_id = ? ORDER BY {CHARACTERS.order}"
    return by_one_name([CHARACTERS.from_row(r) for r in await fetch(listing, (story_id,))], key)


async def _require(tx: Tx, story_id: int, name: str) -> Character:
    found = await _find(tx.fetchall, story_id, name)
    if found is None:
        raise NotFound(f"No character named {clean_name(name) or name!r} in this story.")
    return found


def _named(character: Character) -> Character:
    name = clean_name(character.name)
    if not name:
        raise ValueError("a character needs a name")
    return dataclasses.replace(character, name=name)


class Cast:
    """A story's characters (mixed into the store; needs ``_db``)."""

    _db: Database

    async def characters(self, story_id: int) -> list[Character]:
        """Sorted by name."""
        sql = f"{CHARACTERS.select()} WHERE story_id = ? ORDER BY {CHARACTERS.order}"
        return [CHARACTERS.from_row(r) for r in await self._db.query(sql, (story_id,))]

    async def find_character(self, story_id: int, name: str) -> Character | None:
        return await _find(self._db.query, story_id, name)

    async def add_character(self, story_id: int, character: Character, actor: Author) -> Character:
        character = dataclasses.replace(_named(character), story_id=story_id)
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            if (existing := await _by_key(tx, story_id, character.key)) is not None:
                raise _duplicate(existing.name)
            try:
                return await Changes(tx, story_id, actor, db.clock()).create(
                    CHARACTERS, character, f"added character {character.name}"
                )
            except UniqueViolation:
                raise _duplicate(character.name) from None

    async def update_character(
        self,
        story_id: int,
        name: str,
        change: Callable[[Character], Character],
        actor: Author,
        summary: str,
    ) -> Character:
        """A change that changes nothing writes nothing."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            old = await _require(tx, story_id, name)
            new = dataclasses.replace(_named(change(old)), id=old.id, story_id=story_id)
            if new == old:
                return old
            if new.key != old.key and (existing := await _by_key(tx, story_id, new.key)):
                raise _duplicate(existing.name)
            return await Changes(tx, story_id, actor, db.clock()).update(
                CHARACTERS, old, new, summary
            )

    async def remove_character(self, story_id: int, name: str, actor: Author) -> Character:
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            old = await _require(tx, story_id, name)
            return await Changes(tx, story_id, actor, db.clock()).delete(
                CHARACTERS, old, f"removed character {old.name}"
            )
