"""/story note: text kept in the bible, as a note or (Fountain) as a scene."""

from __future__ import annotations

from bot.app import App
from tests.bot.helpers import Session


async def test_story_note_saves_a_note_and_fountain_as_a_scene(app: App) -> None:
    session = Session(app)
    said = await session.say("/story note Mara never learned to swim.")
    assert "Saved a note" in said
    scene = "INT. AIRLOCK - NIGHT\n\nMara braces against the door."
    assert "Saved the scene INT. AIRLOCK - NIGHT" in await session.say(f"/story note {scene}")
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None
    bible = await app.store.bible(story.id)
    assert [n.text for n in bible.notes] == ["Mara never learned to swim."]
    assert [s.text for s in bible.scenes] == [scene]
    assert "/story note" in await session.say("/story note")  # nothing to save: how to use it
