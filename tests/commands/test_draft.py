"""/draft on the offline engine: the board becomes a screenplay, one scene per beat, in
board order, headed by the beats' places, saved as scenes the export reads back."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.app import App
from commands.draft import Span, read_span
from core import board
from core.errors import UsageError
from core.fountain import problems
from tests.bot.helpers import Session
from tests.core.screenplain_reader import read

pytestmark = pytest.mark.timeout(60)

KEY = ("terminal", "local", "general")
BEATS = (
    (1, "Isla finds her father's logbook"),
    (1, "Callum lies to Isla about the wreck"),
    (2, "Morag tells Isla what the village saw"),
    (2, "Isla confronts Callum"),
    (3, "Isla takes the logbook to Morag"),
    (3, "Callum puts out the lamp"),
)
PLACES = {"Lamp Room": "1, 6", "Harbour Wall": "3, 5", "Keeper's Cottage": "2"}


async def six_beats(s: Session) -> None:
    await s.say("/story set title The Keeper")
    await s.say("/story set setting a remote lighthouse on the Scottish coast")
    await s.say(
        "/character new Isla Brodie pronouns:she/her role:protagonist the keeper's daughter"
    )
    await s.say("/character new Callum Brodie pronouns:he/him role:antagonist the keeper")
    await s.say("/character new Morag Finlay pronouns:she/her the village postmistress")
    for act, text in BEATS:
        await s.say(f"/outline add {act} {text}")
    for name, beats in PLACES.items():
        await s.say(f"/location new {name}")
        await s.say(f"/location edit {name} beats {beats}")
    await s.say("/outline move 6 1")  # the board's order, not the order typed


def headings(out: str) -> list[str]:
    return re.findall(r"^(?:INT\.|EXT\.) .*$", out, re.M)


async def test_a_draft_of_six_beats_is_six_scenes_in_board_order_headed_by_their_places(
    app: App,
) -> None:
    s = Session(app)
    await six_beats(s)
    out = await s.say("/draft")

    titles = re.findall(r"^== Scene (\d) · (.*) ==$", out, re.M)
    assert titles == [
        ("1", "Callum puts out the lamp"),
        ("2", "Isla finds her father's logbook"),
        ("3", "Callum lies to Isla about the wreck"),
        ("4", "Morag tells Isla what the village saw"),
        ("5", "Isla confronts Callum"),
        ("6", "Isla takes the logbook to Morag"),
    ]
    places = [h.split(" - ")[0].split(". ", 1)[1] for h in headings(out)]
    assert places == [
        "LAMP ROOM",
        "LAMP ROOM",
        "KEEPER'S COTTAGE",
        "HARBOUR WALL",
        "REMOTE LIGHTHOUSE",  # beat 5 has no place: the story's setting
        "HARBOUR WALL",
    ]
    assert "Wrote 6 scenes from the board (beats 1-6)." in out
    assert "Offline draft engine (no model configured)" in out

    story = await app.store.active_story(KEY)
    assert story is not None
    bible = await app.store.bible(story.id)
    script = board.script(bible.beats, bible.scenes)
    assert [sc.beat_id for sc in script] == [b.id for b in board.board(bible.beats)]
    assert all(sc.source == "draft" for sc in script)
    for sc in script:
        assert problems(sc.text) == [], sc.text

    exported = await s.say("/story export fountain")
    assert "6 saved scenes" in exported
    path = Path(re.findall(r"Written to (\S+)", exported)[0])
    _, elements = read(await asyncio.to_thread(path.read_text))
    slugs = [text for kind, text in elements if kind == "heading"]
    assert len(slugs) == 6 and [h.split(" - ")[0] for h in slugs] == [
        h.split(" - ")[0] for h in headings(out)
    ]


async def test_a_range_is_redrafted_and_the_rooms_scene_is_kept_unless_asked(app: App) -> None:
    s = Session(app)
    await six_beats(s)
    await s.say("/draft")
    story = await app.store.active_story(KEY)
    assert story is not None
    first = {sc.beat_id: sc for sc in (await app.store.bible(story.id)).scenes}

    await s.say("/scene show 3")
    await s.say("shorter")
    await s.say("save")
    out = await s.say("/draft from:2 to:4")
    assert re.findall(r"^== Scene (\d) ", out, re.M) == ["2", "4"]
    assert "Kept the room's own scene for beat 3; /draft 3 again writes over it." in out
    again = await s.say("/draft 3 again")
    assert re.findall(r"^== Scene (\d) ", again, re.M) == ["3"]

    after = (await app.store.bible(story.id)).scenes
    assert len(after) == 6  # written over, never added twice
    changed = {sc.beat_id for sc in after if sc.text != first[sc.beat_id].text}
    beats = board.board((await app.store.bible(story.id)).beats)
    assert changed == {beats[1].id, beats[2].id, beats[3].id}
    assert next(sc for sc in after if sc.beat_id == beats[2].id).source == "draft"


async def test_a_draft_needs_a_board(app: App) -> None:
    out = await Session(app).say("/draft")
    assert "The board is empty" in out
    s = Session(app, channel="other")
    await s.say("/outline add 1 A beat")
    assert "There is no beat 4; the board has 1" in await s.say("/draft 4")


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("", Span()),
        ("all", Span()),
        ("4", Span(4, 4)),
        ("2-5", Span(2, 5)),
        ("from:2 to:5", Span(2, 5)),
        ("from: 3", Span(3, None)),
        ("to:3", Span(1, 3)),
        ("4 again", Span(4, 4, again=True)),
        ("again", Span(again=True)),
    ],
)
def test_the_beats_to_draft_are_read_as_writers_type_them(typed: str, span: Span) -> None:
    assert read_span(typed) == span


@pytest.mark.parametrize("typed", ["5-2", "from:x", "the end", "0"])
def test_a_range_that_makes_no_sense_is_refused(typed: str) -> None:
    with pytest.raises(UsageError):
        read_span(typed)
