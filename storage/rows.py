"""Bible entities to and from table rows, and the few statements every entity shares.

Each ``Table`` knows one entity: its table, its columns and how a dataclass maps onto
them. Revisions and undo work through these, so they handle every entity the same way.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from core.models import (
    CHARACTER_FIELDS,
    STORY_FIELDS,
    Beat,
    Character,
    Entity,
    Location,
    Note,
    Revision,
    Scene,
    Story,
    to_dict,
)
from core.text import name_key
from storage.sql import Row, Tx

T = TypeVar("T")

ALIAS_SEP = "\x1f"
"""Separates alias keys in ``characters.alias_keys``; control characters never survive
name_key, so no key contains it."""


def alias_keys_column(character: Character) -> str:
    """``\\x1fkey\\x1fkey\\x1f``: an alias is found with instr(alias_keys, sep+key+sep)."""
    keys = character.alias_keys()
    return ALIAS_SEP + ALIAS_SEP.join(keys) + ALIAS_SEP if keys else ""


def from_snapshot(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass from a revision snapshot, ignoring keys it no longer has."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kept = {k: v for k, v in data.items() if k in names}
    if "key" in kept:
        kept["key"] = tuple(kept["key"])
    return cls(**kept)


@dataclass(frozen=True)
class Table(Generic[T]):
    entity: Entity
    name: str
    model: type[T]
    columns: tuple[str, ...]
    """Every column but ``id``."""
    to_row: Callable[[T], dict[str, Any]]
    from_row: Callable[[Row], T]
    order: str = "id"
    """How a story's rows are listed."""

    def select(self) -> str:
        return f"SELECT id, {', '.join(self.columns)} FROM {self.name}"


def _story_row(s: Story) -> dict[str, Any]:
    platform, workspace, channel = s.key
    data = {f: getattr(s, f) for f in STORY_FIELDS}
    return {
        "platform": platform,
        "workspace": workspace,
        "channel": channel,
        **data,
        "status": s.status,
        "created_by": s.created_by,
        "created_at": s.created_at,
    }


def _story(row: Row) -> Story:
    return Story(
        id=row["id"],
        key=(row["platform"], row["workspace"], row["channel"]),
        status=row["status"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        **{f: row[f] for f in STORY_FIELDS},
    )


def _character_row(c: Character) -> dict[str, Any]:
    return {
        "story_id": c.story_id,
        "name": c.name,
        "name_key": c.key,
        "alias_keys": alias_keys_column(c),
        **{f: getattr(c, f) for f in CHARACTER_FIELDS},
        "image_seed": c.image_seed,
        "reference_image": c.reference_image,
    }


def _character(row: Row) -> Character:
    return Character(
        name=row["name"],
        id=row["id"],
        story_id=row["story_id"],
        image_seed=row["image_seed"],
        reference_image=row["reference_image"],
        **{f: row[f] for f in CHARACTER_FIELDS},
    )


Codecs = tuple[tuple[str, ...], Callable[[T], dict[str, Any]], Callable[[Row], T]]


def _plain(cls: type[T]) -> Codecs[T]:
    """Columns and codecs for a dataclass whose fields are its columns."""
    columns = tuple(f.name for f in dataclasses.fields(cls) if f.name != "id")  # type: ignore[arg-type]
    make: Callable[..., T] = cls

    def to_row(obj: T) -> dict[str, Any]:
        return {c: getattr(obj, c) for c in columns}

    def from_row(row: Row) -> T:
        return make(id=row["id"], **{c: row[c] for c in columns})

    return columns, to_row, from_row


STORIES: Table[Story] = Table(
    "story",
    "stories",
    Story,
    ("platform", "workspace", "channel", *STORY_FIELDS, "status", "created_by", "created_at"),
    _story_row,
    _story,
)
CHARACTERS: Table[Character] = Table(
    "character",
    "characters",
    Character,
    (
        "story_id",
        "name",
        "name_key",
        "alias_keys",
        *CHARACTER_FIELDS,
        "image_seed",
        "reference_image",
    ),
    _character_row,
    _character,
    order="name_key, id",
)
LOCATIONS: Table[Location] = Table(
    "location", "locations", Location, *_plain(Location), order="lower(name), id"
)
BEATS: Table[Beat] = Table("beat", "beats", Beat, *_plain(Beat), order="act, position, id")
SCENES: Table[Scene] = Table("scene", "scenes", Scene, *_plain(Scene), order="created_at, id")
NOTES: Table[Note] = Table("note", "notes", Note, *_plain(Note), order="created_at, id")

TABLES: dict[str, Table[Any]] = {
    t.entity: t for t in (STORIES, CHARACTERS, LOCATIONS, BEATS, SCENES, NOTES)
}


async def get(tx: Tx, table: Table[T], entity_id: int, *, lock: str = "") -> T | None:
    """One row by id; ``lock`` (the database's ``for_update``) holds it until commit."""
    row = await tx.fetchone(f"{table.select()} WHERE id = ?{lock}", (entity_id,))
    return None if row is None else table.from_row(row)


async def of_story(tx: Tx, table: Table[T], story_id: int) -> list[T]:
    """A story's rows of one entity, in the table's listing order."""
    sql = f"{table.select()} WHERE story_id = ? ORDER BY {table.order}"
    return [table.from_row(r) for r in await tx.fetchall(sql, (story_id,))]


async def insert(tx: Tx, table: Table[T], obj: T, *, keep_id: bool = False) -> T:
    """Insert ``obj``; with ``keep_id`` under its own id (undo of a delete), else a new one."""
    values = table.to_row(obj)
    columns = list(values)
    if keep_id:
        columns.insert(0, "id")
        values = {"id": obj.id, **values}  # type: ignore[attr-defined]
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks}) RETURNING id"
    rows = await tx.fetchall(sql, list(values.values()))
    return dataclasses.replace(obj, id=rows[0][0])  # type: ignore[type-var]


async def update(tx: Tx, table: Table[T], obj: T) -> None:
    values = table.to_row(obj)
    sets = ", ".join(f"{c} = ?" for c in values)
    sql = f"UPDATE {table.name} SET {sets} WHERE id = ?"
    await tx.fetchall(sql, [*values.values(), obj.id])  # type: ignore[attr-defined]


async def delete(tx: Tx, table: Table[Any], entity_id: int) -> None:
    await tx.fetchall(f"DELETE FROM {table.name} WHERE id = ?", (entity_id,))


# --- revisions ---------------------------------------------------------------------------

REVISION_SELECT = """
    SELECT r.*, (SELECT u.id FROM revisions u WHERE u.undoes = r.id) AS undone_by
    FROM revisions r
"""


def snapshot_json(obj: Any) -> str | None:
    if obj is None:
        return None
    return json.dumps(to_dict(obj), ensure_ascii=False, sort_keys=True)


def revision(row: Row) -> Revision:
    return Revision(
        id=row["id"],
        story_id=row["story_id"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        action=row["action"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        at=row["at"],
        summary=row["summary"],
        before=json.loads(row["before"]) if row["before"] is not None else None,
        after=json.loads(row["after"]) if row["after"] is not None else None,
        undone_by=row["undone_by"],
        undoes=row["undoes"],
    )


def name_matches(name: str) -> tuple[str, str]:
    """(name_key, alias needle) for finding a character by name or alias."""
    key = name_key(name)
    return key, f"{ALIAS_SEP}{key}{ALIAS_SEP}"
