from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import App
from tests.bot.helpers import Session

# The loop-sensitive paths (HTTP streams, sockets, threads) run on both event loops.
pytestmark = pytest.mark.both_loops

ROOT = Path(__file__).parents[2]


async def test_help_lists_every_command_of_the_registry(app: App) -> None:
    out = await Session(app).say("/help")
    for spec in app.registry:
        assert f"/{spec.name}" in out


async def test_help_for_one_command_shows_usage_and_examples(app: App) -> None:
    out = await Session(app).say("/help character")
    assert "/character new <name>" in out
    assert "e.g. /character new Mara" in out


async def test_character_new_saves_sheet_to_bible(app: App) -> None:
    s = Session(app)
    out = await s.say("/character new Mara pronouns:she/her role:protagonist a salvage pilot")
    assert "== Mara ==" in out and "Pronouns: she/her" in out
    assert "Offline draft engine" in out
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None
    mara = await app.store.find_character(story.id, "mara")
    assert mara is not None and mara.pronouns == "she/her" and mara.role == "protagonist"
    assert mara.want  # the engine filled the rest of the sheet
    shown = await s.say("/character show MARA")
    assert "== Mara ==" in shown and mara.want[:20] in shown.replace("\n  ", " ")


async def test_duplicate_character_is_refused_and_changes_nothing(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara")
    out = await s.say("/character new  mara\u200b")
    assert "already a character named Mara" in out
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None and len(await app.store.characters(story.id)) == 1


async def test_missing_character_says_so_and_lists_the_cast(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara")
    await s.say("/character new Jonah")
    out = await s.say("/character show Marra")
    assert "No character named Marra" in out and "Jonah, Mara" in out


async def test_unknown_command_and_subcommand_suggest_the_closest(app: App) -> None:
    s = Session(app)
    assert "Did you mean /synopsis?" in await s.say("/synopsys")
    assert "Did you mean /story undo?" in await s.say("/story undoo")


async def test_story_set_history_and_undo(app: App) -> None:
    s = Session(app)
    await s.say("/story set logline A pilot salvages her brother's ghost ship.")
    await s.say("/story set genre space noir")
    out = await s.say("/story history")
    assert "set story genre" in out and "set story logline" in out and "dana" in out
    assert "Undid" in await s.say("/story undo")
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None and story.genre == "" and story.logline.startswith("A pilot")


async def test_a_story_field_over_its_forms_limit_is_refused_and_changes_nothing(
    app: App,
) -> None:
    s = Session(app)
    await s.say("/story set title The Keeper")
    out = await s.say("/story set title " + "T" * 1000)
    assert "at most 200 characters" in out and "1,000" in out and "Nothing was changed" in out
    await s.say("/story set logline " + "L" * 1000)  # a long field takes it
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None and story.title == "The Keeper" and len(story.logline) == 1000


async def test_story_new_archives_the_old_story(app: App) -> None:
    s = Session(app)
    await s.say("/story set title First Draft")
    out = await s.say("/story new Second Draft")
    assert "First Draft" in out and "archived" in out
    stories = await app.store.stories(("terminal", "local", "general"))
    assert [x.title for x in stories] == ["Second Draft", "First Draft"]
    assert [x.status for x in stories] == ["active", "archived"]


async def test_synopsis_then_save_in_thread_writes_it_to_the_bible(app: App) -> None:
    s = Session(app)
    await s.say("/story set logline A salvage pilot finds her dead brother's ship, still flying.")
    await s.say("/character new Mara pronouns:she/her role:protagonist")
    out = await s.say("/synopsis")
    assert "Synopsis" in out and "again" in out  # buttons shown as thread hints
    saved = await s.say("save")
    assert "Saved as the story's synopsis" in saved
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None and story.synopsis and story.synopsis in out.replace("\n\n", "\n\n")


async def test_shorter_follow_up_is_shorter_and_continue_adds_text(app: App) -> None:
    s = Session(app)
    await s.say("/story set logline Two rival chefs must cook the last meal on a sinking liner.")
    first = await s.say("/synopsis page")
    shorter = await s.say("shorter")
    assert "revised" in shorter
    assert len(shorter) < len(first)
    more = await s.say("continue")
    assert "continued" in more
    key = ("terminal", "local", "general")
    conv = await app.store.latest_conversation(key)
    assert conv is not None and conv.artifact.count("\n") >= 1
    texts = [m.text for m in await app.store.messages(conv.id)]
    assert "shorter" in texts and "continue" in texts


async def test_dialogue_is_fountain_in_a_thread_and_save_stores_a_scene(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara pronouns:she/her")
    await s.say("/character new Jonah pronouns:he/him")
    out = await s.say("/dialogue Mara Jonah: the airlock argument")
    assert "\nMARA\n" in out and "\nJONAH\n" in out
    assert "Saved the scene" in await s.say("save")
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None
    scenes = await app.store.scenes(story.id)
    assert len(scenes) == 1 and "MARA" in scenes[0].text


async def test_dialogue_with_unknown_character_lists_the_cast(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara")
    out = await s.say("/dialogue Mara Zed: a fight")
    assert "No character named Zed" in out and "Mara" in out


async def test_unsupported_offline_revision_explains_and_changes_nothing(app: App) -> None:
    s = Session(app)
    await s.say("/character new Mara age:30")
    out = await s.say("make her older")
    assert "offline" in out.lower()
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None
    mara = await app.store.find_character(story.id, "Mara")
    assert mara is not None and mara.age == "30"


async def test_a_plain_line_without_a_thread_is_read_as_a_request(app: App) -> None:
    """Not "start with a command": a greeting is answered, a request is run (bot/router.py)."""
    assert "/help lists everything" in await Session(app).say("hello there")
    assert "== Synopsis" in await Session(app, channel="other").say("give me a logline")


async def test_two_channels_never_see_each_other(app: App) -> None:
    a, b = Session(app, channel="pilot"), Session(app, channel="fantasy")
    await a.say("/character new Mara a salvage pilot")
    await a.say("/story set logline Secret pilot logline")
    assert "No character named Mara" in await b.say("/character show Mara")
    shown = await b.say("/story show")
    assert "Secret pilot logline" not in shown and "Mara" not in shown
    syn = await b.say("/synopsis")
    assert "Mara" not in syn and "Secret pilot" not in syn


def test_shell_reads_piped_stdin_one_line_each_and_exits_zero(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_", "DISCORD_"))
    }
    env["WRITERSROOM_DATA_DIR"] = str(tmp_path)
    lines = (
        "/story set genre heist\n/character new Dana role:lead\n/character list\n"
        "/synopsis logline\nsave\n/story show\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "shell", "--db", str(tmp_path / "t.db"), "--channel", "room"],
        input=lines,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Genre is now: heist" in proc.stdout.replace("**", "")
    assert "Dana (lead)" in proc.stdout
    assert "Saved as the story's logline" in proc.stdout
    assert (tmp_path / "t.db").exists()


async def test_in_a_saved_outlines_thread_plain_words_work_on_the_board(app: App) -> None:
    """Under an outline saved to the board, "add a beat …", "move beat 2 to act 3" and
    "note that …" change the board and the bible (they used to be read as revisions of
    the outline's draft, which the offline engine cannot make); "make Mara's voice
    rougher" under her sheet is still a revision of the sheet."""
    s = Session(app)
    await s.say("/character new Mara Quell a salvage pilot")
    rougher = await s.say("make Mara's voice rougher")
    assert "needs a model" in rougher  # a revision of the sheet, not a field set to "rougher"
    await s.say("/outline 3")
    await s.say("save")
    story = await app.store.active_story(("terminal", "local", "general"))
    assert story is not None
    count = len(await app.store.beats(story.id))
    added = await s.say("add a beat to act 2: Jonah sends a message from the wreck")
    assert "Understood as /outline add 2 Jonah sends a message from the wreck" in added
    beats = await app.store.beats(story.id)
    assert len(beats) == count + 1
    assert [b.act for b in beats if b.text == "Jonah sends a message from the wreck"] == [2]
    first = beats[0]
    await s.say("move beat 1 to act 3")
    moved = next(b for b in await app.store.beats(story.id) if b.id == first.id)
    assert moved.act == 3
    await s.say("note that Mara never learned to swim")
    notes = await app.store.notes(story.id)
    assert [n.text for n in notes] == ["Mara never learned to swim"]
    mara = await app.store.find_character(story.id, "Mara Quell")
    assert mara is not None and mara.voice != "rougher"
