"""The way writers type: a name with its description after a comma, colon or dash; names
typed whole or in parts; a follow-up that asks for two things at once, offline."""

from __future__ import annotations

import pytest

from bot.app import App
from commands.character import cast_named
from commands.names import split_name
from core.errors import NotFound
from core.models import Bible, Character, Story
from tests.bot.helpers import Session

pytestmark = pytest.mark.timeout(30)

KEY = ("terminal", "local", "general")


@pytest.mark.parametrize(
    "typed",
    [
        "/character new Mara Quell, a disgraced oxygen engineer",
        "/character new Mara Quell: a disgraced oxygen engineer",
        "/character new Mara Quell - a disgraced oxygen engineer",
        "/character new Mara Quell — a disgraced oxygen engineer",
        "/character new Mara Quell, Disgraced Oxygen Engineer of Deck Nine",
    ],
)
async def test_a_name_ends_where_its_description_starts(app: App, typed: str) -> None:
    s = Session(app)
    out = await s.say(typed)
    assert "== Mara Quell ==" in out
    story = await app.store.active_story(KEY)
    assert story is not None
    [mara] = await app.store.characters(story.id)
    assert mara.name == "Mara Quell"
    if "Deck" not in typed:  # a brief starting "a …" is the sheet's one-line as typed
        assert mara.one_line.lower() == "a disgraced oxygen engineer"
    shown = await s.say("/character show Mara Quell")
    assert "No character named" not in shown and "== Mara Quell ==" in shown


@pytest.mark.parametrize(
    ("name", "description", "expected"),
    [
        ("Mara Quell,", "a pilot", ("Mara Quell", "a pilot")),
        ("Jean-Luc Picard", "", ("Jean-Luc Picard", "")),
        ("Mara Quell—a pilot", "who flies", ("Mara Quell", "a pilot who flies")),
        ("Mara", "- a pilot", ("Mara", "a pilot")),
        ("Lamp Room; the top", "", ("Lamp Room", "the top")),
    ],
)
def test_split_name(name: str, description: str, expected: tuple[str, str]) -> None:
    assert split_name(name, description) == expected


def test_names_typed_in_parts_are_the_storys_longer_names() -> None:
    cast = (Character("Mara Quell"), Character("Old Tom"), Character("Tom Vale"), Character("Jo"))
    bible = Bible(Story(id=1, key=KEY), characters=cast)
    found = cast_named(bible, ["Old", "Tom", "Mara", "Quell", "Jo", "Mara"])
    assert [c.name for c in found] == ["Old Tom", "Mara Quell", "Jo"]
    assert [c.name for c in cast_named(bible, ["Vale", "Quell"])] == ["Tom Vale", "Mara Quell"]
    with pytest.raises(NotFound, match="No character named Tom in"):  # two Toms: which?
        cast_named(bible, ["Tom"])


async def test_dialogue_reads_multi_word_names_the_story_knows(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara Quell, a pilot")
    await s.say('/character new "Old Tom", a smuggler')
    out = await s.say("/dialogue Old Tom Mara Quell: the debt comes due")
    assert "== Old Tom & Mara Quell: the debt comes due ==" in out


async def test_offline_a_follow_up_asking_two_things_does_one_and_names_the_other(
    app: App,
) -> None:
    s = Session(app)
    await s.say("/character new Mara Quell, a pilot")
    await s.say("/character new Jonah Vale, the harbour master")
    draft = await s.say("/dialogue Mara, Jonah: salvage rights")
    out = await s.say("shorter, and make Mara angrier")
    assert "== Scene · revised ==" in out
    assert "cannot" not in out.split("== Scene · revised ==")[1].split("\n")[0]
    assert "made it shorter; “make Mara angrier” needs a model" in out
    assert len(out.split("--")[0]) < len(draft.split("--")[0])
    only = await s.say("make Mara angrier")
    assert "needs a model" in only and "== Scene · revised ==" not in only.split("!")[-1]
