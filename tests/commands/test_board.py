"""/outline's board, /location and /scene through the terminal adapter (the e2e harness):
each change answers with the board, is a revision, and /story undo takes it back."""

from __future__ import annotations

import re

import pytest

from bot.app import App
from core.models import Bible
from tests.bot.helpers import Session

pytestmark = pytest.mark.timeout(30)

KEY = ("terminal", "local", "general")


async def bible_of(app: App) -> Bible:
    story = await app.store.active_story(KEY)
    assert story is not None
    return await app.store.bible(story.id)


def board_lines(out: str) -> list[str]:
    """The numbered beats and act headings of a printed board."""
    return [line for line in out.splitlines() if re.match(r"^(Act \d+|\d+\. )", line)]


async def fill(s: Session) -> None:
    for act, text in (
        (1, "Isla finds the logbook"),
        (1, "Callum lies about the wreck"),
        (2, "Morag tells Isla what the village saw"),
        (2, "Isla confronts Callum on the gallery"),
        (3, "Callum puts out the lamp"),
    ):
        await s.say(f"/outline add {act} {text}")


async def test_the_board_is_added_to_edited_moved_across_acts_removed_and_undone(
    app: App,
) -> None:
    s = Session(app)
    assert "The board is empty" in await s.say("/outline show")
    await fill(s)
    start = board_lines(await s.say("/outline show"))
    assert start == [
        "Act 1",
        "1. Isla finds the logbook",
        "2. Callum lies about the wreck",
        "Act 2",
        "3. Morag tells Isla what the village saw",
        "4. Isla confronts Callum on the gallery",
        "Act 3",
        "5. Callum puts out the lamp",
    ]

    out = await s.say("/outline edit 2 Callum lies about the wreck, badly")
    assert "Rewrote beat 2." in out and "2. Callum lies about the wreck, badly" in out
    out = await s.say("/outline move 2 act:3")
    assert "Moved beat 2 to act 3; it is now beat 5." in out
    assert board_lines(out)[-3:] == [
        "Act 3",
        "4. Callum puts out the lamp",
        "5. Callum lies about the wreck, badly",
    ]
    out = await s.say("/outline move 5 1")
    assert board_lines(out)[:2] == ["Act 1", "1. Callum lies about the wreck, badly"]
    out = await s.say("/outline remove 4")
    assert "Removed beat 4: “Isla confronts Callum on the gallery”" in out
    assert "Isla confronts" not in "\n".join(board_lines(out))

    for _ in range(4):
        await s.say("/story undo")
    assert board_lines(await s.say("/outline show")) == start


async def test_typing_mistakes_on_the_board_say_what_there_is(app: App) -> None:
    s = Session(app)
    await fill(s)
    assert "There is no beat 9 on the board; it has 5" in await s.say("/outline edit 9 x")
    assert "Move it where?" in await s.say("/outline move 2 sideways")
    assert "act is 1 to 8" in await s.say("/outline move 2 act:12")
    assert "act must be between 1 and 8" in await s.say("/outline add 9 a beat")


async def test_outline_with_no_subcommand_still_writes_an_outline(app: App) -> None:
    s = Session(app)
    out = await s.say("/outline 2 end on a cliffhanger")
    assert "== Outline · " in out and "Act Two" in out
    save = await s.say("save")
    assert "Saved" in save
    shown = await s.say("/outline show")
    assert "Act 1" in shown and "Act 2" in shown and "1. " in shown
    out = await s.say("/outline 3 move the heist earlier")  # "move" is direction here
    assert "== Outline · " in out


async def test_locations_are_made_edited_given_beats_and_removed(app: App) -> None:
    s = Session(app)
    await fill(s)
    out = await s.say("/location new Lamp Room, the glass room at the top of the tower")
    assert "Added the location Lamp Room" in out
    await s.say("/location edit Lamp Room look brass fittings and salt-bleached glass")
    await s.say("/location edit Lamp Room sound the hum of the lamp, gulls")
    out = await s.say("/location edit lamp room beats 1, 5")
    assert "Beats here:" in out and "1. Isla finds the logbook" in out
    shown = await s.say("/location show Lamp Room")
    assert "the glass room at the top of the tower" in shown
    assert "Look: brass fittings and salt-bleached glass" in shown
    assert "Sound: the hum of the lamp, gulls" in shown
    listed = await s.say("/location list")
    assert "Lamp Room: the glass room at the top of the tower · beats 1, 5" in listed
    board = await s.say("/outline show")
    assert "1. Isla finds the logbook (Lamp Room)" in board

    bible = await bible_of(app)
    [lamp] = bible.locations
    assert [b.text for b in bible.beats if b.location_id == lamp.id] == [
        "Isla finds the logbook",
        "Callum puts out the lamp",
    ]
    out = await s.say("/location remove Lamp Room")
    assert "Removed Lamp Room" in out
    assert "No location named Lamp Room" in await s.say("/location show Lamp Room")
    await s.say("/story undo")
    assert "Beats here:\n1. Isla finds the logbook" in (await s.say("/location show lamp room"))


async def test_scenes_are_listed_moved_shown_refined_saved_back_and_removed(app: App) -> None:
    s = Session(app)
    await fill(s)
    await s.say("/draft 1-3")
    listed = await s.say("/scene list")
    assert re.findall(r"^\d\. .*$", listed, re.M) == [
        "1. Isla finds the logbook · beat 1 · by /draft",
        "2. Callum lies about the wreck · beat 2 · by /draft",
        "3. Morag tells Isla what the village saw · beat 3 · by /draft",
    ]
    out = await s.say("/scene move 3 1")
    assert "Scene 3 is now scene 1." in out
    assert "1. Morag tells Isla what the village saw · beat 1 · by /draft" in out
    await s.say("/story undo")
    out = await s.say("/scene move 1 beat:5")
    assert "3. Isla finds the logbook · beat 5 · by /draft" in out

    shown = await s.say("/scene show 1")
    assert "== Scene 1 · Callum lies about the wreck ==" in shown
    await s.say("shorter")
    saved = await s.say("save")
    assert "as the room's own" in saved
    bible = await bible_of(app)
    edited = next(sc for sc in bible.scenes if sc.title == "Callum lies about the wreck")
    assert edited.source == "room"
    kept = await s.say("/draft 2")
    assert "Kept the room's own scene for beat 2; /draft 2 again writes over it." in kept

    out = await s.say("/scene remove 2")
    assert "Removed scene 2" in out
    assert "no scene 7 in the script" in await s.say("/scene show 7")
