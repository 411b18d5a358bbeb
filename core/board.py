"""The beat board and the script's order, as rules on plain data.

The board is a story's beats in order: by act, then by place within the act. A beat's
*number* is its place on the whole board, from 1 ("beat 4" is the fourth beat, whatever
its act), the way writers name beats in /outline, /location, /scene and /draft. Places
within an act are kept 1, 2, 3… after every change, so "beat 2.3" in the history means
the third beat of act 2 at the time.

The script follows the board: a saved scene tied to a beat stands where its beat stands;
scenes of one beat keep their own order; scenes tied to no beat (or to a beat since
removed) come last. Storage applies what these functions decide, in one transaction; the
commands show the same numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Beat, Scene

MAX_ACTS = 8
"""The most acts a board may have (a beat's act is 1..MAX_ACTS)."""


@dataclass(frozen=True, slots=True)
class ToNumber:
    """Move to this place on the whole board (1 = first beat)."""

    number: int


@dataclass(frozen=True, slots=True)
class ToAct:
    """Move to the end of this act (which may be empty, or new), or, with ``position``,
    to be that place of the act (1: its first beat; past its end: its end). The web
    board's drop says both: a card put first in act 2 joins act 2 whatever its act was."""

    act: int
    position: int | None = None


@dataclass(frozen=True, slots=True)
class ToBeat:
    """Tie a scene to the beat with this board number (last among its scenes)."""

    number: int


BeatTarget = ToNumber | ToAct
SceneTarget = ToNumber | ToBeat


def board(beats: Sequence[Beat]) -> list[Beat]:
    """The beats in board order: act, place in the act, then id."""
    return sorted(beats, key=lambda b: (b.act, b.position, b.id))


def number_of(beats: Sequence[Beat], beat_id: int | None) -> int | None:
    """The board number of the beat with ``beat_id``, or None if it is not on the board."""
    for n, b in enumerate(board(beats), 1):
        if b.id == beat_id:
            return n
    return None


def at(beats: Sequence[Beat], number: int) -> Beat | None:
    """The beat with board number ``number``, or None."""
    ordered = board(beats)
    return ordered[number - 1] if 1 <= number <= len(ordered) else None


def renumbered(ordered: Sequence[Beat]) -> list[Beat]:
    """The beats in this order, each act's places made 1, 2, 3…"""
    counts: dict[int, int] = {}
    out = []
    for b in ordered:
        counts[b.act] = counts.get(b.act, 0) + 1
        out.append(dataclasses.replace(b, position=counts[b.act]))
    return out


def changed(before: Sequence[Beat], after: Sequence[Beat]) -> list[tuple[Beat, Beat]]:
    """(old, new) for every beat whose act or place differs, in the order of ``after``."""
    old = {b.id: b for b in before}
    return [
        (old[b.id], b)
        for b in after
        if b.id in old and (old[b.id].act, old[b.id].position) != (b.act, b.position)
    ]


def appended(beats: Sequence[Beat], act: int) -> int:
    """The place a beat added to the end of ``act`` takes."""
    return max((b.position for b in beats if b.act == act), default=0) + 1


def moved(beats: Sequence[Beat], number: int, target: BeatTarget) -> list[Beat]:
    """The board after moving beat ``number``, renumbered.

    ``ToAct(n)``: to the end of act n (``ToAct(n, k)``: to be its k-th beat).
    ``ToNumber(p)``: so that it becomes beat p. At a boundary between two acts the beat
    keeps its own act when that act borders the new place, else it joins the act of the
    beat before it (the first act's, at the front): moving within an act never changes
    the act; ``act:N`` moves it across on purpose.
    """
    ordered = board(beats)
    beat = ordered[number - 1]
    rest = ordered[: number - 1] + ordered[number:]
    if isinstance(target, ToAct):
        i = max((k + 1 for k, b in enumerate(rest) if b.act <= target.act), default=0)
        places = [k for k, b in enumerate(rest) if b.act == target.act]
        if target.position is not None and target.position <= len(places):
            i = places[max(target.position, 1) - 1]
        rest.insert(i, dataclasses.replace(beat, act=target.act))
        return renumbered(rest)
    i = min(max(target.number, 1), len(rest) + 1) - 1
    before = rest[i - 1] if i > 0 else None
    after = rest[i] if i < len(rest) else None
    bordering = {b.act for b in (before, after) if b is not None}
    if beat.act in bordering or not bordering:
        act = beat.act
    else:
        act = before.act if before is not None else after.act  # type: ignore[union-attr]
    rest.insert(i, dataclasses.replace(beat, act=act))
    return renumbered(rest)


def removed(beats: Sequence[Beat], number: int) -> tuple[Beat, list[Beat]]:
    """The beat with board number ``number``, and the board without it, renumbered."""
    ordered = board(beats)
    beat = ordered[number - 1]
    return beat, renumbered(ordered[: number - 1] + ordered[number:])


def script(beats: Sequence[Beat], scenes: Sequence[Scene]) -> list[Scene]:
    """Saved scenes in the board's order (see the module docstring)."""
    index = {b.id: n for n, b in enumerate(board(beats))}
    last = len(index)
    return sorted(
        scenes,
        key=lambda s: (
            index.get(s.beat_id, last) if s.beat_id is not None else last,
            s.position,
            s.created_at,
            s.id,
        ),
    )


def group_of(beats: Sequence[Beat], scene: Scene) -> int | None:
    """The beat a scene stands with in the script: its beat's id, or None if untied."""
    ids = {b.id for b in beats}
    return scene.beat_id if scene.beat_id in ids else None


def scene_moved(
    beats: Sequence[Beat], scenes: Sequence[Scene], number: int, target: SceneTarget
) -> list[Scene]:
    """The scenes whose beat or place change when scene ``number`` (in script order)
    moves, the moved one first.

    ``ToBeat(k)``: the scene is tied to beat k, after that beat's other scenes.
    ``ToNumber(p)``: the scene becomes scene p of the script, standing with the beat of
    the scene it is put before (or after, at the end). Scenes of the group it joins are
    given places 1, 2, 3… in their new order."""
    ordered = script(beats, scenes)
    scene = ordered[number - 1]
    rest = ordered[: number - 1] + ordered[number:]
    if isinstance(target, ToBeat):
        beat = at(beats, target.number)
        group = beat.id if beat is not None else None
        members = [s for s in rest if group_of(beats, s) == group]
        new_order = [*members, scene]
    else:
        i = min(max(target.number, 1), len(rest) + 1) - 1
        if not rest:
            return []
        anchor = rest[i] if i < len(rest) else rest[-1]
        group = group_of(beats, anchor)
        members = [s for s in rest if group_of(beats, s) == group]
        k = members.index(anchor) + (0 if i < len(rest) else 1)
        new_order = [*members[:k], scene, *members[k:]]
    placed = [
        dataclasses.replace(s, beat_id=group if s.id == scene.id else s.beat_id, position=p)
        for p, s in enumerate(new_order, 1)
    ]
    old = {s.id: s for s in scenes}
    out = [s for s in placed if (old[s.id].beat_id, old[s.id].position) != (s.beat_id, s.position)]
    out.sort(key=lambda s: s.id != scene.id)
    return out
