"""The board-links role: what the web board's links need kept in the database.

- **The signing key** (``link_key``): made at random the first time it is asked for and
  kept, so every process on the database signs and checks links alike when no
  WRITERSROOM_WEB_SECRET is set. Insert-if-absent, then read: two processes asking at
  once agree on the first one written.
- **A channel's link generation** (``link_generation``, ``revoke_links``): every link
  carries the generation it was made in; revoking raises it, so every older link of the
  channel stops working on every process at once. The row outlives /story forget (it
  holds no story text, and a reset would bring revoked links back).
- **What an open board watches** (``board_marks``): per channel, its active story, that
  story's newest revision and the link generation, read in one snapshot. Every change to
  a bible appends a revision (storage/revisions.py), whoever made it and in whichever
  process, so a board that polls this sees chat's changes too; it is an index lookup.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from core.types import StoryKey
from storage.sql import Database

KEY_NAME = "board links"
KEY_BYTES = 32

_MARK = """
    SELECT
        (SELECT id FROM stories
          WHERE platform = ? AND workspace = ? AND channel = ? AND status = 'active'),
        (SELECT MAX(r.id) FROM revisions r
          WHERE r.story_id = (SELECT id FROM stories
                               WHERE platform = ? AND workspace = ? AND channel = ?
                                 AND status = 'active')),
        (SELECT generation FROM link_generations
          WHERE platform = ? AND workspace = ? AND channel = ?)
"""


@dataclass(frozen=True, slots=True)
class BoardMark:
    """Where a channel's board stands: a change to any of these is news to its viewers."""

    story_id: int | None
    revision: int
    generation: int


class Links:
    """Board links' key and generations (mixed into the store; needs ``_db``)."""

    _db: Database

    async def link_key(self) -> bytes:
        sql = "SELECT value FROM kept_keys WHERE name = ?"
        rows = await self._db.query(sql, (KEY_NAME,))
        if not rows:
            await self._db.execute(
                "INSERT INTO kept_keys (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (KEY_NAME, secrets.token_hex(KEY_BYTES)),
            )
            rows = await self._db.query(sql, (KEY_NAME,))
        return bytes.fromhex(str(rows[0][0]))

    async def link_generation(self, key: StoryKey) -> int:
        rows = await self._db.query(
            "SELECT generation FROM link_generations "
            "WHERE platform = ? AND workspace = ? AND channel = ?",
            key,
        )
        return int(rows[0][0]) if rows else 0

    async def revoke_links(self, key: StoryKey) -> int:
        rows = await self._db.execute(
            "INSERT INTO link_generations (platform, workspace, channel, generation) "
            "VALUES (?, ?, ?, 1) ON CONFLICT (platform, workspace, channel) "
            "DO UPDATE SET generation = link_generations.generation + 1 RETURNING generation",
            key,
        )
        return int(rows[0][0])

    async def board_marks(self, keys: Sequence[StoryKey]) -> dict[StoryKey, BoardMark]:
        if not keys:
            return {}
        results = await self._db.read_many([(_MARK, (*k, *k, *k)) for k in keys])
        marks = {}
        for key, rows in zip(keys, results, strict=True):
            story, revision, generation = rows[0][0], rows[0][1], rows[0][2]
            marks[key] = BoardMark(
                None if story is None else int(story),
                int(revision or 0),
                int(generation or 0),
            )
        return marks
