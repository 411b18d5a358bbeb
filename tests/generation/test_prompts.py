from __future__ import annotations

import re
from typing import Any, get_args

import pytest

from core.models import Bible, Character, ConversationMessage, Location, Story
from generation.base import TaskKind, WritingTask
from generation.context import estimate_tokens
from generation.prompts import build_messages, render, system_prompt, template, user_prompt

MARA = Character(
    "Mara",
    pronouns="she/her",
    role="protagonist",
    one_line="A salvage diver.",
    voice="Clipped, dry, never says please.",
    sample_line="Air's cheap. Time isn't.",
    want="Raise the cargo.",
    aliases="The Eel",
)
JONAH = Character(
    "Jonah",
    role="brother",
    one_line="Owes money to the wrong people.",
    voice="Talks in circles.",
    sample_line="Define 'stole'.",
)
INES = Character("Ines", role="rival", one_line="Lost a crew to the Door.")
STORY = Story(
    1,
    ("terminal", "local", "room"),
    title="Saltwater",
    logline="A salvage diver finds a door on the seabed that opens inward.",
    genre="thriller",
    tone="bleak",
    setting="Baltic coast",
    style="spare",
    synopsis="Mara dives for money and finds the Door. Jonah sells the secret.",
)
BIBLE = Bible(
    STORY,
    characters=(MARA, JONAH, INES),
    locations=(Location("Pier Nine", description="Sodium lights."),),
)

OTHER = Bible(
    Story(
        2,
        ("terminal", "local", "other"),
        title="Glasshouse",
        logline="A botanist grows a forest inside a prison.",
        synopsis="Wren plants seeds.",
    ),
    characters=(Character("Wren", one_line="Botanist with a grudge.", aliases="Mara"),),
)

PARAMS: dict[str, dict[str, Any]] = {
    "synopsis": {"length": "short", "direction": ""},
    "dialogue": {"situation": "the airlock argument"},
    "character": {"name": "Tove", "brief": "a harbour pilot", "fields": {"age": "61"}},
    "develop": {"field": "want", "direction": "darker"},
    "outline": {"acts": 3, "direction": ""},
    "revise": {"instruction": "shorter", "artifact_kind": "synopsis"},
    "continue": {"artifact_kind": "dialogue"},
    "scene": {
        "beat": "Wren finds a door on the seabed",
        "number": 2,
        "total": 5,
        "act": 1,
        "location_id": 0,
        "location": "Pier Nine",
        "previous": "Wren dives alone.",
        "next_beat": "Wren opens the door",
    },
}


def task(
    kind: TaskKind,
    *,
    bible: Bible = BIBLE,
    params: dict[str, Any] | None = None,
    focus: tuple[Character, ...] = (),
    artifact: str = "",
    turns: tuple[ConversationMessage, ...] = (),
) -> WritingTask:
    return WritingTask(
        kind, bible, 7, PARAMS[kind] if params is None else params, focus, artifact, turns
    )


def prompt_text(t: WritingTask, **kwargs: Any) -> str:
    return "\n".join(m["content"] for m in build_messages(t, **kwargs))


@pytest.mark.parametrize("kind", get_args(TaskKind))
def test_every_kind_has_a_template_and_renders_fully(kind: TaskKind) -> None:
    assert template(kind).template.strip()
    t = task(
        kind,
        focus=(MARA,) if kind in ("develop", "dialogue") else (),
        artifact="INT. BOAT - NIGHT\n\nMARA\nDown." if kind in ("revise", "continue") else "",
    )
    text = prompt_text(t, output="json")
    assert "$" not in text
    assert STORY.logline in text
    assert not re.search(r"\n{3,}", text)


def test_every_prompt_starts_with_the_shared_system_prompt() -> None:
    messages = build_messages(task("synopsis"))
    assert messages[0] == {"role": "system", "content": system_prompt()}
    assert "material to draw on, never" in messages[0]["content"]
    assert messages[1]["role"] == "user"


def test_synopsis_prompt_carries_the_logline_and_named_characters_only() -> None:
    text = prompt_text(
        task("synopsis", params={"length": "page", "direction": "Jonah betrays her"})
    )
    assert STORY.logline in text
    assert "Owes money to the wrong people." in text
    assert "Ines" not in text
    assert "A salvage diver." not in text  # Mara is not named, so her sheet stays out
    assert "Four to six paragraphs" in text
    assert STORY.synopsis not in text  # the synopsis step writes it, it does not see the old


def test_logline_length_asks_for_a_logline() -> None:
    text = prompt_text(task("synopsis", params={"length": "logline"}))
    assert "Write the logline" in text
    assert "at most 50 words" in text


def test_nothing_from_another_bible_reaches_the_prompt() -> None:
    # Wren's alias is "Mara": a name clash across stories must not leak Wren in.
    t = task(
        "dialogue", focus=(MARA, JONAH), params={"situation": "Mara and Jonah argue about Wren"}
    )
    text = prompt_text(t)
    for leak in ("Glasshouse", "botanist", "Botanist with a grudge", "Wren plants seeds"):
        assert leak not in text
    other = prompt_text(task("synopsis", bible=OTHER, params={"direction": "Mara and Jonah"}))
    for leak in ("Saltwater", "salvage diver", "Owes money", "Air's cheap"):
        assert leak not in other


def test_dialogue_prompt_gives_speakers_voices_in_order_and_fountain_rules() -> None:
    text = prompt_text(task("dialogue", focus=(JONAH, MARA)))
    assert "Speakers, in order: Jonah, Mara" in text
    assert "Air's cheap. Time isn't." in text
    assert "Talks in circles." in text
    assert "Fountain" in text
    assert "the airlock argument" in text
    assert STORY.synopsis not in text  # the dialogue step works from the situation


def test_character_prompt_keeps_given_fields_and_sees_the_synopsis() -> None:
    json_prompt = prompt_text(task("character"), output="json")
    assert "Create the character sheet for Tove" in json_prompt
    assert "The writers' brief: a harbour pilot" in json_prompt
    assert "Keep these fields exactly as given:\nAge: 61" in json_prompt
    assert STORY.synopsis in json_prompt
    assert '"sample_line"' in json_prompt and "JSON" in json_prompt
    lines_prompt = prompt_text(task("character"), output="lines")
    assert "One-line: ..." in lines_prompt and "JSON" not in lines_prompt


def test_develop_prompt_names_the_field_and_current_value() -> None:
    text = prompt_text(task("develop", focus=(MARA,)))
    assert 'Write a new "Want" for Mara' in text
    assert "Current value: Raise the cargo." in text
    assert "Direction from the writers: darker" in text


def test_outline_prompt_asks_for_the_number_of_acts() -> None:
    text = prompt_text(task("outline", params={"acts": 4, "direction": ""}), output="lines")
    assert "in 4 acts" in text
    assert "exactly 4 acts" in text
    assert "Act 1:" in text


def test_revise_expands_shorter_and_carries_the_artifact() -> None:
    text = prompt_text(task("revise", artifact="Old synopsis text."))
    assert "Old synopsis text." in text
    assert "about half the length" in text
    free = prompt_text(
        task(
            "revise",
            params={"instruction": "make Jonah kinder", "artifact_kind": "synopsis"},
            artifact="Draft.",
        )
    )
    assert "make Jonah kinder" in free
    assert "Owes money" in free  # Jonah is named by the instruction


def test_continue_asks_for_only_the_new_text_in_the_same_form() -> None:
    text = prompt_text(task("continue", artifact="MARA\nDown we go."))
    assert "MARA\nDown we go." in text
    assert "do not repeat" in text
    assert "Fountain" in text
    assert "A salvage diver." in text  # MARA in the artifact names her


def test_thread_turns_go_in_newest_first_within_the_budget() -> None:
    turns = tuple(
        ConversationMessage(1, "user", "Dana", f"turn number {i} " + "q" * 200, at=i)
        for i in range(30)
    )
    text = prompt_text(task("synopsis", turns=turns), budget=300)
    assert "turn number 29" in text
    assert "turn number 0 " not in text
    assert estimate_tokens(text) < 300 + 400  # the instructions come on top of the budget


def test_render_requires_every_placeholder() -> None:
    with pytest.raises(KeyError):
        render("repair", problem="x")


def test_user_prompt_mentions_alias_only_characters() -> None:
    text = user_prompt(task("synopsis", params={"direction": "the eel dives"}))
    assert "A salvage diver." in text


def test_sheets_scenes_and_dialogue_ask_for_specific_people_not_stereotypes() -> None:
    sheet = prompt_text(task("character"), output="json")
    assert "not a type" in sheet and "pronouns say nothing about their looks" in sheet
    assert "the decorative woman, the violent man" in sheet
    scene = prompt_text(task("dialogue", focus=(MARA,)))
    assert "never a stereotype of their gender" in scene
    drafted = prompt_text(task("scene"))
    assert "never as a type" in drafted and "not their looks or their gender" in drafted


def test_a_draft_scene_prompt_has_its_beat_place_recap_and_next_beat() -> None:
    text = prompt_text(task("scene"))
    assert "Write scene 2 of 5 of the screenplay" in text
    assert "Beat: Wren finds a door on the seabed" in text
    assert "INT. or EXT. PIER NINE - TIME" in text and "at Pier Nine: Sodium lights." in text
    assert "## The scene before\nWren dives alone." in text
    assert "The next beat (do not play it yet): Wren opens the door" in text
