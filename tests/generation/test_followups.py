"""The follow-up vocabulary: every word writers type in a thread, and what it asks for.

The words are listed here by hand, not read from followups.toml, so a word dropped from
(or added to) the file shows up as a failure.
"""

from __future__ import annotations

from typing import get_args

import pytest

from generation.followups import FollowUp, Revision, read
from generation.prompts import INSTRUCTIONS

SAVE = ["save", "save it", "save this", "keep", "keep it", "save to bible", "save to the bible"]
AGAIN = [
    "again",
    "regenerate",
    "another",
    "another take",
    "new take",
    "try again",
    "redo",
    "another one",
    "one more take",
]
CONTINUE = ["continue", "more", "keep going", "go on", "next", "and then", "continue please"]
SHORTER = [
    "shorter",
    "tighter",
    "trim",
    "trim it",
    "cut down",
    "cut it down",
    "less",
    "more concise",
    "briefer",
]
LONGER = ["longer", "expand", "expand it", "more detail", "fuller", "go deeper"]
IMAGE = {
    "regenerate": ["again", "regenerate", "another", "another take", "redo", "try again"],
    "variations": ["variations", "vary", "more like this", "variants"],
    "save": ["save", "accept", "keep", "use this", "use as reference", "keep it", "save it"],
    "prompt": ["prompt", "show prompt", "show the prompt", "what prompt", "image prompt"],
}


@pytest.mark.parametrize(
    ("words", "intent"),
    [(w, "save") for w in SAVE]
    + [(w, "again") for w in AGAIN]
    + [(w, "continue") for w in CONTINUE],
)
def test_each_draft_word_asks_for_its_intent(words: str, intent: str) -> None:
    assert read(words).intent == intent
    # Case, punctuation and a trailing courtesy do not matter in a draft's thread.
    assert read(f"{words.upper()}!").intent == intent
    assert read(f"  {words}, please.").intent == intent
    assert read(f"{words} thank you").intent == intent


@pytest.mark.parametrize(
    "text",
    ["make her older", "save please please", "save  it", "again and again", "", "shorter"],
)
def test_anything_else_in_a_draft_thread_is_a_revision(text: str) -> None:
    request = read(text)
    assert request.intent == "revise"
    assert request.option is None


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("use 2", 2),
        ("pick option 3", 3),
        ("option 1", 1),
        ("choose #4", 4),
        ("take option #12", 12),
        ("Use 2!", 2),
        ("USE OPTION 5.", 5),
    ],
)
def test_a_line_that_picks_an_option_names_it(text: str, option: int) -> None:
    assert read(text).option == option


@pytest.mark.parametrize(
    "text", ["use", "use 100", "option", "grab 2", "use 2 please", "2", "use the second one"]
)
def test_a_line_that_picks_no_option_names_none(text: str) -> None:
    assert read(text).option is None


@pytest.mark.parametrize(
    ("words", "revision"), [(w, "shorter") for w in SHORTER] + [(w, "longer") for w in LONGER]
)
def test_each_revision_word_reaches_the_engines_as_its_canonical_revision(
    words: str, revision: str
) -> None:
    for text in (words, words.upper(), f"  {words}. ", f"{words}!!", f"{words.title()}.!"):
        request = read(text)
        assert (request.intent, request.revision) == ("revise", revision), text
        assert request.instruction == revision


@pytest.mark.parametrize(
    "text", ["shorter?", "shorter please", "trim  it", "a bit shorter", "shorter, and darker"]
)
def test_other_revisions_reach_the_engines_as_typed(text: str) -> None:
    request = read(text)
    assert request.revision is None
    assert request.instruction == text


def test_more_continues_a_draft_rather_than_lengthening_it() -> None:
    # "more" is in both the continue and the longer words; a draft's thread reads it first.
    assert read("more") == FollowUp("more", "continue", image=None)
    assert read("more detail").revision == "longer"


@pytest.mark.parametrize(
    ("words", "action"), [(w, action) for action, ws in IMAGE.items() for w in ws]
)
def test_each_image_word_asks_for_its_action(words: str, action: str) -> None:
    assert read(words).image == action
    assert read(f" {words.upper()}?! ").image == action
    assert read(words.replace(" ", "   ")).image == action


@pytest.mark.parametrize(
    "text", ["older", "again,", "again please", "save-it", "show me the prompt", "variation"]
)
def test_other_words_ask_nothing_of_an_image(text: str) -> None:
    assert read(text).image is None


def test_every_revision_has_an_instruction_for_the_model() -> None:
    assert sorted(INSTRUCTIONS) == sorted(get_args(Revision))
