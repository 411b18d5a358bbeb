"""The web board's story side: what the page shows, and the changes its cards make.

The page (bot/adapters/web) only translates: HTTP in, these functions, HTML out. A card
is a beat; the page names beats by id (a card keeps its id wherever it is dragged) and
the store names them by their number on the board, so each change reads the board, finds
the card's number and asks the store to change that beat *if it is still that beat*
(``beat_id``); when someone else changed the board in between, it looks again. Every
change is the revision /outline add, edit, move or remove makes, under the link's person,
so /story undo takes it back as usual.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from core import board
from core.board import MAX_ACTS, ToAct
from core.errors import Conflict, NotFound, UsageError
from core.models import Beat, Bible, Story, StoryKey
from core.text import clean_text
from core.types import Author
from generation.scenes import names_of, place_of
from storage.api import BoardMark, Store

T = TypeVar("T")

MIN_ACTS = 3
"""The page shows at least this many act columns, empty ones too (somewhere to drop)."""
MAX_BEAT_CHARS = 1000
"""As /outline add and edit allow."""
TRIES = 3
"""Looks at the board a change may take when others keep changing it meanwhile."""

GONE = "That beat is no longer on the board (someone removed it, or undid it)."


@dataclass(frozen=True, slots=True)
class Card:
    """One beat as the page shows it: who is in it, where, whether a scene is written."""

    id: int
    number: int
    act: int
    text: str
    place: str | None
    cast: tuple[str, ...]
    drafted: bool


@dataclass(frozen=True, slots=True)
class Column:
    act: int
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """A character or a location beside the board (read-only)."""

    name: str
    line: str


@dataclass(frozen=True, slots=True)
class BoardView:
    """The whole page's content. ``version``: the story's newest revision when read."""

    title: str
    logline: str
    columns: tuple[Column, ...]
    cast: tuple[Entry, ...]
    places: tuple[Entry, ...]
    version: int


def cast_finder(bible: Bible) -> Callable[[str], tuple[str, ...]]:
    """Who a beat's text names, in the order it first names them: the characters
    generation.scenes.cast_of finds (full names, aliases, a first or last name no one
    else has), with every name of the cast in one pattern, made once per board rather
    than once per beat and character."""
    owner: dict[str, str] = {}
    for c in bible.characters:
        for name in names_of(c, bible.characters):
            owner.setdefault(name.casefold(), c.name)
    if not owner:
        return lambda text: ()
    names = sorted(owner, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE
    )

    def cast(text: str) -> tuple[str, ...]:
        found = (owner.get(m.group(1).casefold()) for m in pattern.finditer(text))
        return tuple(dict.fromkeys(name for name in found if name is not None))

    return cast


def view(bible: Bible, version: int) -> BoardView:
    """The page for ``bible``: one column per act (at least MIN_ACTS, and one empty act
    after the last used, up to MAX_ACTS), the cards in board order, numbered as chat
    numbers them."""
    ordered = board.board(bible.beats)
    drafted = {s.beat_id for s in bible.scenes if s.beat_id is not None}
    cast_in = cast_finder(bible)
    cards = [
        Card(
            b.id,
            n,
            b.act,
            b.text,
            None if (p := place_of(bible, b)) is None else p.name,
            cast_in(b.text),
            b.id in drafted,
        )
        for n, b in enumerate(ordered, 1)
    ]
    last = max((b.act for b in ordered), default=0)
    acts = max(MIN_ACTS, min(MAX_ACTS, last + 1))
    columns = tuple(
        Column(act, tuple(c for c in cards if c.act == act)) for act in range(1, acts + 1)
    )
    cast = tuple(Entry(c.name, c.one_line or c.role) for c in bible.characters)
    places = tuple(Entry(loc.name, loc.description) for loc in bible.locations)
    story = bible.story
    return BoardView(story.title, story.logline, columns, cast, places, version)


async def page(store: Store, key: StoryKey, mark: BoardMark | None = None) -> BoardView:
    """The channel's board as it is now (an empty one when the channel has no story).
    ``mark``: the channel's mark, read before the bible (so the bible is at least as new
    as the version it is labelled with)."""
    if mark is None:
        mark = (await store.board_marks([key]))[key]
    story = await store.active_story(key)
    if story is None:
        return view(Bible(Story(0, key)), mark.revision)
    return view(await store.bible(story.id), mark.revision)


def _act(act: int) -> int:
    if not 1 <= act <= MAX_ACTS:
        raise UsageError(f"An act is 1 to {MAX_ACTS}, not {act}.")
    return act


def _text(text: str) -> str:
    clean = clean_text(text)
    if not clean:
        raise UsageError("A beat needs some text.")
    if len(clean) > MAX_BEAT_CHARS:
        raise UsageError(f"A beat is at most {MAX_BEAT_CHARS} characters.")
    return clean


async def _on_beat(
    store: Store,
    key: StoryKey,
    beat_id: int,
    change: Callable[[int, int], Awaitable[T]],
) -> T:
    """Run ``change(story_id, number)`` on the beat with ``beat_id`` in the channel's
    active story, looking again when the board changed under it."""
    for _ in range(TRIES):
        story = await store.active_story(key)
        if story is None:
            raise NotFound(GONE)
        number = board.number_of(await store.beats(story.id), beat_id)
        if number is None:
            raise NotFound(GONE)
        try:
            return await change(story.id, number)
        except Conflict:
            continue  # beat ``number`` is another beat now: look again
    raise Conflict("The board keeps changing under this card; try again in a moment.")


async def move_card(
    store: Store, key: StoryKey, actor: Author, beat_id: int, act: int, position: int
) -> Sequence[Beat]:
    """The card to be the ``position``-th of ``act`` (1: first; past the end: last)."""
    target = ToAct(_act(act), max(1, position))

    async def change(story_id: int, number: int) -> Sequence[Beat]:
        return await store.move_beat(story_id, number, target, actor, beat_id=beat_id)

    return await _on_beat(store, key, beat_id, change)


async def edit_card(store: Store, key: StoryKey, actor: Author, beat_id: int, text: str) -> Beat:
    clean = _text(text)

    async def change(story_id: int, number: int) -> Beat:
        return await store.edit_beat(story_id, number, clean, actor, beat_id=beat_id)

    return await _on_beat(store, key, beat_id, change)


async def remove_card(store: Store, key: StoryKey, actor: Author, beat_id: int) -> Beat:
    async def change(story_id: int, number: int) -> Beat:
        return await store.remove_beat(story_id, number, actor, beat_id=beat_id)

    return await _on_beat(store, key, beat_id, change)


async def add_card(store: Store, key: StoryKey, actor: Author, act: int, text: str) -> Beat:
    """A new card at the end of ``act`` (the channel's story is made if it has none)."""
    clean, act = _text(text), _act(act)
    story = await store.ensure_story(key, actor)
    return await store.add_beat(story.id, act, clean, actor)
