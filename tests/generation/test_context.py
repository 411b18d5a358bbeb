from __future__ import annotations

from typing import Any, Literal

from hypothesis import given
from hypothesis import strategies as st

from core.models import Bible, Character, ConversationMessage, Location, Story
from generation.base import WritingTask
from generation.context import (
    choose_context,
    estimate_tokens,
    is_named,
    mentioned_characters,
    render_character,
    render_location,
    render_turn,
)

MARA = Character(
    "Mara Voss",
    pronouns="she/her",
    role="protagonist",
    one_line="A salvage diver.",
    voice="Clipped, dry.",
    sample_line="Air's cheap. Time isn't.",
    aliases="The Eel",
)
JONAH = Character("Jonah", role="brother", one_line="Owes money to the wrong people.")
AL = Character("Al", role="harbourmaster")
INES = Character("Ines", role="rival diver", backstory="Lost a crew to the Door.")
DOCK = Location("Pier Nine", description="Rotten planks, sodium lights.")
CHAPEL = Location("The Chapel", description="A drowned church.")
STORY = Story(
    1,
    ("terminal", "local", "room"),
    title="Saltwater",
    logline="A diver finds a door on the seabed.",
    genre="thriller",
    tone="bleak",
    setting="Baltic coast, 1990",
    style="spare",
)
BIBLE = Bible(STORY, characters=(MARA, JONAH, AL, INES), locations=(DOCK, CHAPEL))


def task(
    *,
    params: dict[str, Any] | None = None,
    focus: tuple[Character, ...] = (),
    artifact: str = "",
    turns: tuple[ConversationMessage, ...] = (),
) -> WritingTask:
    return WritingTask("synopsis", BIBLE, 1, params or {}, focus, artifact, turns)


def turn(text: str, role: Literal["user", "bot"] = "user", at: float = 0.0) -> ConversationMessage:
    return ConversationMessage(conversation_id=1, role=role, author="Dana", text=text, at=at)


# --- token estimate -------------------------------------------------------------------


def test_estimate_tokens_counts_about_four_ascii_characters_a_token() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd") == 1
    assert estimate_tokens("abcde") == 2
    assert estimate_tokens("x" * 400) == 100


def test_estimate_tokens_counts_each_non_ascii_character_as_a_token() -> None:
    assert estimate_tokens("海の扉") == 3
    assert estimate_tokens("café") == 2  # "caf" is one token, "é" another


@given(st.text(max_size=300), st.text(max_size=300))
def test_estimate_tokens_is_monotonic_and_nearly_additive(a: str, b: str) -> None:
    assert estimate_tokens(a + b) >= max(estimate_tokens(a), estimate_tokens(b))
    assert estimate_tokens(a + b) <= estimate_tokens(a) + estimate_tokens(b)
    assert estimate_tokens(a) >= len(a) / 4


# --- who is named ---------------------------------------------------------------------


def test_names_match_whole_words_in_any_case() -> None:
    assert is_named("then mara voss's boat sinks", ["Mara Voss"])
    assert is_named("MARA VOSS\nshouts", ["Mara Voss"])
    assert is_named("Mara  \n Voss", ["Mara Voss"])
    assert not is_named("the Maras of this world", ["Mara"])
    assert not is_named("always late", ["Al"])
    assert is_named("ask Al, he knows", ["Al"])


def test_characters_are_found_by_alias() -> None:
    found = mentioned_characters(task(params={"direction": "The Eel goes down alone"}))
    assert found == (MARA,)


def test_characters_named_only_in_artifact_or_turns_are_found() -> None:
    found = mentioned_characters(
        task(artifact="Jonah waits on the pier.", turns=(turn("and what does ines want?"),))
    )
    assert found == (JONAH, INES)


def test_focus_characters_are_not_repeated_among_the_mentioned() -> None:
    found = mentioned_characters(task(focus=(MARA,), params={"situation": "Mara and Jonah"}))
    assert found == (JONAH,)


# --- choosing within a budget ---------------------------------------------------------


def test_story_header_and_focus_always_go_in_and_unnamed_characters_never() -> None:
    ctx = choose_context(task(focus=(MARA,), params={"direction": "a quiet day"}), budget=10)
    assert "Logline: A diver finds a door" in ctx.story
    assert "Setting: Baltic coast, 1990" in ctx.story
    assert ctx.focus == (MARA,)
    assert ctx.characters == ()
    assert ctx.locations == ()


def test_named_characters_and_locations_go_in_briefly() -> None:
    ctx = choose_context(task(params={"direction": "Jonah meets Ines at Pier Nine"}))
    assert ctx.characters == (JONAH, INES)
    assert ctx.locations == (DOCK,)
    cast = ctx.cast_text()
    assert "Owes money" in cast
    assert "Lost a crew" not in cast  # a mentioned character comes in brief, not in full


def test_focus_characters_come_in_full() -> None:
    ctx = choose_context(task(focus=(MARA,)))
    assert "Sample line: Air's cheap. Time isn't." in ctx.cast_text()


def test_turns_newest_first_within_budget_kept_in_order() -> None:
    turns = tuple(turn(f"note {i}: " + "x" * 80, at=i) for i in range(10))
    header = estimate_tokens(choose_context(task()).story)
    per_turn = estimate_tokens(render_turn(turns[0]))
    ctx = choose_context(task(turns=turns), budget=header + 3 * per_turn)
    assert [t.at for t in ctx.turns] == [7, 8, 9]
    assert ctx.left_out == 7


def test_long_turns_are_cut() -> None:
    rendered = render_turn(turn("y" * 5000, role="bot"))
    assert rendered.startswith("Assistant: ")
    assert len(rendered) < 700


def test_fixed_text_counts_against_the_budget() -> None:
    t = task(params={"direction": "Jonah"}, turns=(turn("hello there"),))
    assert choose_context(t, budget=2000).turns
    squeezed = choose_context(t, budget=2000, fixed=("z" * 8000,))
    assert squeezed.turns == ()
    assert squeezed.characters == ()
    assert squeezed.left_out == 2


@given(
    budget=st.integers(min_value=0, max_value=400),
    n_turns=st.integers(min_value=0, max_value=12),
    words=st.lists(
        st.sampled_from(["Mara", "Jonah", "Al", "Ines", "Pier Nine", "The Chapel", "sea", "door"]),
        max_size=8,
    ),
)
def test_budget_is_respected(budget: int, n_turns: int, words: list[str]) -> None:
    turns = tuple(turn(f"turn {i} " + "w" * (i * 13), at=i) for i in range(n_turns))
    t = task(params={"direction": " ".join(words)}, turns=turns)
    ctx = choose_context(t, budget=budget)
    optional = (
        sum(estimate_tokens(render_character(c, full=False)) for c in ctx.characters)
        + sum(estimate_tokens(render_location(loc)) for loc in ctx.locations)
        + sum(estimate_tokens(render_turn(x)) for x in ctx.turns)
    )
    assert estimate_tokens(ctx.story) + optional <= max(budget, estimate_tokens(ctx.story))
    assert ctx.turns == turns[len(turns) - len(ctx.turns) :]  # newest kept, contiguous
    for c in ctx.characters:
        assert is_named(t.params["direction"], [c.name, *c.aliases.split(",")])
