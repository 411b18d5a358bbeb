"""/summarize scene and /summarize story offline: quoted, never invented."""

from __future__ import annotations

from core.models import Beat, Bible, Character, Note, Story
from generation.summarize.scene import parse_scene, render_scene, summarize_scene
from generation.summarize.storyline import render_story, summarize_story

SCENE = """INT. LAUNDROMAT - NIGHT

Dryers thump. ROSA (30s) folds a stranger's shirts. ELI waits by the door.

ROSA
I need the van keys back tonight. All of them.

ELI
(not moving)
You'll get them when the job is done.

ROSA
The job was done on Tuesday.

ELI
Then I lied. There's one more drop.

Rosa drops the shirt.

ROSA
Then I'll drive it myself, without you.

Eli watches her take the keys from his coat.
"""


def test_a_fountain_scene_is_read_into_speakers_and_action() -> None:
    heading, lines = parse_scene(SCENE)
    assert heading == "INT. LAUNDROMAT - NIGHT"
    assert [ln.speaker for ln in lines if ln.speaker] == ["Rosa", "Eli", "Rosa", "Eli", "Rosa"]
    assert lines[2].text == "You'll get them when the job is done."  # no parenthetical


def test_scene_summary_quotes_wants_changes_and_the_turn() -> None:
    s = summarize_scene(SCENE)
    wants = dict(s.wants)
    assert wants["Rosa"] == "I need the van keys back tonight."
    assert s.opening and s.opening.startswith("Dryers thump")
    assert s.ending and s.ending.startswith("Eli watches her take the keys")
    assert s.turn is not None and s.turn.speaker in ("Eli", "Rosa")
    assert "lied" in s.turn.text or "without you" in s.turn.text
    assert "Extractive" in render_scene(s)


def test_a_name_colon_scene_works_too() -> None:
    s = summarize_scene("Rosa: give me the keys\nEli: no.\nRosa: then I'll walk")
    assert s.speakers == ["Rosa", "Eli"]


def bible(**story: str) -> Bible:
    return Bible(
        Story(1, ("t", "l", "c"), title="Night Shift", **story),
        characters=(
            Character("Rosa", role="protagonist", want="to get out", need="to trust", arc=""),
            Character("Eli", role="antagonist", arc="From partner to obstacle."),
        ),
        beats=(
            Beat(1, 1, "Rosa wants out"),
            Beat(1, 2, "Eli asks for one more drop"),
            Beat(3, 1, "Rosa drives alone"),
        ),
        notes=(Note("Does Eli know about the tracker? TBD"),),
    )


def test_story_summary_from_beats_arcs_and_what_is_undecided() -> None:
    s = summarize_story(bible(logline="A driver wants out."))
    assert s.synopsis == [
        "Act 1: Rosa wants out; Eli asks for one more drop.",
        "Act 3: Rosa drives alone.",
    ]
    arcs = dict(s.arcs)
    assert arcs["Eli"] == "From partner to obstacle."
    assert arcs["Rosa"] == "wants to get out; needs to trust"
    undecided = " ".join(s.undecided)
    assert "No beats for act 2" in undecided and "genre" in undecided
    assert "Rosa: no arc yet" in undecided and "tracker" in undecided
    assert "Night Shift" in render_story(s)


def test_a_saved_synopsis_wins_over_the_beats() -> None:
    s = summarize_story(bible(synopsis="Rosa quits the night runs."))
    assert s.synopsis == ["Rosa quits the night runs."]
    assert s.synopsis_source == "the saved synopsis"
