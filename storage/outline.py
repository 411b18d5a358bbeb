"""The outline role: locations and the beat board (scenes and notes in storage/scenes.py).

Beats are named by their number on the board (core.board), read inside the transaction
that changes them, so two writers moving beats at once each see the board the other left.
A change that renumbers an act (a move, a removal) is one batch of revisions, undone whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from core import board
from core.board import BeatTarget
from core.errors import Conflict, NotFound
from core.models import Beat, Location, find_location
from core.text import clean_name, clean_text
from core.types import Author
from storage.revisions import Changes, locked_story
from storage.rows import BEATS, LOCATIONS, of_story
from storage.scenes import SceneBook
from storage.sql import Database, Tx


def _slots(beats: Sequence[tuple[int, str]]) -> dict[tuple[int, int], str]:
    """(act, position within the act, from 1) for each beat, in the order given."""
    counts: dict[int, int] = {}
    slots = {}
    for act, text in beats:
        counts[act] = counts.get(act, 0) + 1
        slots[(act, counts[act])] = clean_text(text)
    return slots


def _label(beat: Beat) -> str:
    return f"beat {beat.act}.{beat.position}"


def _beat_text(text: str) -> str:
    clean = clean_text(text)
    if not clean:
        raise ValueError("a beat needs some text")
    return clean


def _cleaned(location: Location) -> Location:
    name = clean_name(location.name)
    if not name:
        raise ValueError("a location needs a name")
    return dataclasses.replace(
        location,
        name=name,
        description=clean_text(location.description),
        look=clean_text(location.look),
        sound=clean_text(location.sound),
    )


async def _numbered(
    tx: Tx, story_id: int, number: int, beat_id: int | None = None
) -> tuple[list[Beat], Beat]:
    """The board and its beat ``number``; NotFound naming how many beats there are.
    ``beat_id``: the beat the caller means; Conflict when beat ``number`` is another one
    now (the board changed since the caller looked)."""
    beats = board.board(await of_story(tx, BEATS, story_id))
    beat = board.at(beats, number)
    if beat is None:
        size = f"it has {len(beats)}" if beats else "it is empty"
        raise NotFound(f"There is no beat {number} on the board; {size}. See /outline show.")
    if beat_id is not None and beat.id != beat_id:
        raise Conflict(f"The board changed: beat {number} is another beat now.")
    return beats, beat


async def _place(tx: Tx, story_id: int, name: str) -> Location:
    found = find_location(await of_story(tx, LOCATIONS, story_id), name)
    if found is None:
        raise NotFound(f"No location named {clean_name(name) or name!r} in this story.")
    return found


async def _shift(changes: Changes, before: Sequence[Beat], after: Sequence[Beat]) -> None:
    """Record the beats whose act or place a change moved (part of the change's batch)."""
    for old, new in board.changed(before, after):
        await changes.update(BEATS, old, new, f"{_label(old)} is now {new.act}.{new.position}")


class Outline(SceneBook):
    """Locations, beats, scenes and notes (mixed into the store; needs ``_db``)."""

    _db: Database

    # --- locations ---------------------------------------------------------------------

    async def add_location(self, story_id: int, location: Location, actor: Author) -> Location:
        location = dataclasses.replace(_cleaned(location), story_id=story_id)
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            existing = find_location(await of_story(tx, LOCATIONS, story_id), location.name)
            if existing is not None:
                raise Conflict(f"There is already a location named {existing.name}.")
            return await Changes(tx, story_id, actor, db.clock()).create(
                LOCATIONS, location, f"added location {location.name}"
            )

    async def locations(self, story_id: int) -> list[Location]:
        return await self._listing(LOCATIONS, story_id)

    async def find_location(self, story_id: int, name: str) -> Location | None:
        return find_location(await self.locations(story_id), name)

    async def update_location(
        self,
        story_id: int,
        name: str,
        change: Callable[[Location], Location],
        actor: Author,
        summary: str,
    ) -> Location:
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            old = await _place(tx, story_id, name)
            new = dataclasses.replace(_cleaned(change(old)), id=old.id, story_id=story_id)
            if new == old:
                return old
            clash = find_location(await of_story(tx, LOCATIONS, story_id), new.name)
            if clash is not None and clash.id != old.id:
                raise Conflict(f"There is already a location named {clash.name}.")
            return await Changes(tx, story_id, actor, db.clock()).update(
                LOCATIONS, old, new, summary
            )

    async def remove_location(self, story_id: int, name: str, actor: Author) -> Location:
        """The beats there keep pointing at it, so undo brings the place back whole."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            old = await _place(tx, story_id, name)
            return await Changes(tx, story_id, actor, db.clock()).delete(
                LOCATIONS, old, f"removed location {old.name}"
            )

    async def set_location_beats(
        self, story_id: int, name: str, numbers: Sequence[int], actor: Author
    ) -> list[Beat]:
        """The beats with these board numbers happen at the location, and no others do;
        one batch of revisions. Returns the beats there, in board order."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            place = await _place(tx, story_id, name)
            beats = board.board(await of_story(tx, BEATS, story_id))
            wanted = set()
            for n in numbers:
                beat = board.at(beats, n)
                if beat is None:
                    raise NotFound(f"There is no beat {n} on the board; it has {len(beats)}.")
                wanted.add(beat.id)
            changes = Changes(tx, story_id, actor, db.clock(), batch=True)
            for n, beat in enumerate(beats, 1):
                here = beat.location_id == place.id
                if (beat.id in wanted) != here:
                    moved_to = place.id if beat.id in wanted else None
                    what = f"at {place.name}" if moved_to else f"no longer at {place.name}"
                    await changes.update(
                        BEATS,
                        beat,
                        dataclasses.replace(beat, location_id=moved_to),
                        f"beat {n} happens {what}",
                    )
            after = board.board(await of_story(tx, BEATS, story_id))
            return [b for b in after if b.location_id == place.id]

    # --- the beat board ----------------------------------------------------------------

    async def beats(self, story_id: int) -> list[Beat]:
        return await self._listing(BEATS, story_id)

    async def add_beat(
        self, story_id: int, act: int, text: str, actor: Author, location_id: int | None = None
    ) -> Beat:
        """A beat at the end of ``act``."""
        text = _beat_text(text)
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            beats = await of_story(tx, BEATS, story_id)
            beat = Beat(act, board.appended(beats, act), text, story_id=story_id)
            beat = dataclasses.replace(beat, location_id=location_id)
            return await Changes(tx, story_id, actor, db.clock()).create(
                BEATS, beat, f"added {_label(beat)}"
            )

    async def edit_beat(
        self, story_id: int, number: int, text: str, actor: Author, *, beat_id: int | None = None
    ) -> Beat:
        text = _beat_text(text)
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            _, old = await _numbered(tx, story_id, number, beat_id)
            if old.text == text:
                return old
            return await Changes(tx, story_id, actor, db.clock()).update(
                BEATS, old, dataclasses.replace(old, text=text), f"rewrote {_label(old)}"
            )

    async def move_beat(
        self,
        story_id: int,
        number: int,
        target: BeatTarget,
        actor: Author,
        *,
        beat_id: int | None = None,
    ) -> list[Beat]:
        """Move beat ``number`` (core.board.moved); returns the board after."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            beats, beat = await _numbered(tx, story_id, number, beat_id)
            after = board.moved(beats, number, target)
            new = next(b for b in after if b.id == beat.id)
            if (new.act, new.position) == (beat.act, beat.position):
                return beats
            changes = Changes(tx, story_id, actor, db.clock(), batch=True)
            await changes.update(
                BEATS, beat, new, f"moved {_label(beat)} to {new.act}.{new.position}"
            )
            await _shift(changes, beats, [b for b in after if b.id != beat.id])
            return board.board(await of_story(tx, BEATS, story_id))

    async def remove_beat(
        self, story_id: int, number: int, actor: Author, *, beat_id: int | None = None
    ) -> Beat:
        """Scenes written for it keep its id, so undo ties them to it again."""
        db = self._db
        async with db.write() as tx:
            await locked_story(db, tx, story_id)
            beats, _ = await _numbered(tx, story_id, number, beat_id)
            beat, rest = board.removed(beats, number)
            changes = Changes(tx, story_id, actor, db.clock(), batch=True)
            await changes.delete(BEATS, beat, f"removed {_label(beat)}")
            await _shift(changes, beats, rest)
            return beat

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
