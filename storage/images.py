"""Images: a row per generated file, and the character's reference portrait.
Accepting the first portrait of a character makes it the reference: that changes the
character (``reference_image``, ``image_seed``), so it is a revision like any other edit
and ``/story undo`` takes it back.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
from typing import Any

from core.errors import NotFound
from core.images import ImageRecord
from core.models import Character
from core.types import Author
from storage.revisions import Changes, locked_story
from storage.rows import CHARACTERS, get
from storage.sql import Database, Row, marks

_COLUMNS = (
    "story_id",
    "character_id",
    "character",
    "kind",
    "prompt",
    "negative_prompt",
    "seed",
    "backend",
    "model",
    "width",
    "height",
    "steps",
    "seconds",
    "path",
    "thread",
    "params",
    "accepted",
    "created_by",
    "created_at",
)
_SELECT = f"SELECT id, {', '.join(_COLUMNS)} FROM images"


def _row(image: ImageRecord) -> list[Any]:
    values = {c: getattr(image, c) for c in _COLUMNS if c not in ("params", "accepted")}
    values["params"] = json.dumps(image.params, ensure_ascii=False, sort_keys=True)
    values["accepted"] = int(image.accepted)
    return [values[c] for c in _COLUMNS]


def _image(row: Row) -> ImageRecord:
    data = {c: row[c] for c in _COLUMNS}
    data["params"] = json.loads(row["params"])
    data["accepted"] = bool(row["accepted"])
    return ImageRecord(id=row["id"], **data)


class Images:
    """Generated images (mixed into the store; needs ``_db``)."""

    _db: Database

    async def add_image(self, image: ImageRecord) -> ImageRecord:
        image = dataclasses.replace(image, created_at=image.created_at or self._db.clock())
        sql = f"INSERT INTO images ({', '.join(_COLUMNS)}) VALUES ({marks(_COLUMNS)}) RETURNING id"
        rows = await self._db.execute(sql, _row(image))
        return dataclasses.replace(image, id=int(rows[0][0]))

    async def image(self, image_id: int) -> ImageRecord | None:
        rows = await self._db.query(f"{_SELECT} WHERE id = ?", (image_id,))
        return _image(rows[0]) if rows else None

    async def images_of(
        self, story_id: int, character_id: int, limit: int = 10
    ) -> list[ImageRecord]:
        sql = f"{_SELECT} WHERE story_id = ? AND character_id = ? ORDER BY id DESC LIMIT ?"
        rows = await self._db.query(sql, (story_id, character_id, max(0, limit)))
        return [_image(r) for r in rows]

    async def image_in_thread(self, story_id: int, thread: str) -> ImageRecord | None:
        sql = f"{_SELECT} WHERE story_id = ? AND thread = ? ORDER BY id DESC LIMIT 1"
        rows = await self._db.query(sql, (story_id, thread))
        return _image(rows[0]) if rows else None

    async def accept_image(
        self, image_id: int, actor: Author
    ) -> tuple[ImageRecord, Character | None]:
        db = self._db
        async with db.write() as tx:
            row = await tx.fetchone(f"{_SELECT} WHERE id = ?", (image_id,))
            if row is None:
                raise NotFound("That image no longer exists.")
            image = dataclasses.replace(_image(row), accepted=True)
            await locked_story(db, tx, image.story_id)
            await tx.fetchall("UPDATE images SET accepted = 1 WHERE id = ?", (image_id,))
            old = await get(tx, CHARACTERS, image.character_id)
            if old is None or old.story_id != image.story_id or old.reference_image:
                return image, None
            new = dataclasses.replace(old, reference_image=image.path, image_seed=image.seed)
            await Changes(tx, image.story_id, actor, db.clock()).update(
                CHARACTERS, old, new, f"{old.name}'s reference portrait: image #{image.id}"
            )
            return image, new

    async def seconds_per_step(
        self, backend: str, model: str, width: int, height: int, last: int = 5
    ) -> float | None:
        sql = (
            "SELECT seconds, steps FROM images WHERE backend = ? AND model = ? AND width = ?"
            " AND height = ? AND steps > 0 ORDER BY id DESC LIMIT ?"
        )
        rows = await self._db.query(sql, (backend, model, width, height, last))
        if not rows:
            return None
        return float(statistics.median(float(r["seconds"]) / int(r["steps"]) for r in rows))
