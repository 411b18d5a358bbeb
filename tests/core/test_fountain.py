"""core.fountain: reading scenes into elements, checking them, and writing elements that
an independent reader (screenplain) parses into the same script."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import fountain
from core.fountain import Element
from tests.core import screenplain_reader

SCENE = """INT. AIRLOCK - NIGHT

Frost on the viewports.

MARA
(quietly)
You said the seals would hold.

@McCLANE (V.O.) ^
Yippee.

CUT TO:

.THE BRIDGE

!MARA LOOKS UP.

> FADE OUT."""


def test_a_scene_reads_as_its_elements() -> None:
    read = [(e.kind, e.text) for e in fountain.parse(SCENE) if e.kind != "blank"]
    assert read == [
        ("heading", "INT. AIRLOCK - NIGHT"),
        ("action", "Frost on the viewports."),
        ("character", "MARA"),
        ("parenthetical", "(quietly)"),
        ("dialogue", "You said the seals would hold."),
        ("character", "@McCLANE (V.O.) ^"),
        ("dialogue", "Yippee."),
        ("transition", "CUT TO:"),
        ("heading", "THE BRIDGE"),
        ("action", "MARA LOOKS UP."),
        ("transition", "FADE OUT."),
    ]
    assert [e.line for e in fountain.parse(SCENE)][:3] == [1, 2, 3]
    assert fountain.cues(SCENE) == ["MARA", "McCLANE"]
    assert fountain.speakers(SCENE + "\n\nMARA\nAgain.") == ["MARA", "McCLANE"]


@pytest.mark.parametrize(
    "line",
    ["INT. AIRLOCK", "EXT. SEA - DAY", "EST. TOWER", "INT./EXT. CAR", "INT/EXT CAR", "I/E. VAN",
     "int. kitchen", ".FORCED"],
)  # fmt: skip
def test_scene_headings(line: str) -> None:
    assert fountain.is_heading(line)
    assert [e.kind for e in fountain.parse(line)] == ["heading"]


@pytest.mark.parametrize("line", ["INTERIOR", "INT—the room", "...and then", ". spaced", "EXTRA"])
def test_lines_that_are_not_scene_headings(line: str) -> None:
    assert not fountain.is_heading(line)


def test_a_heading_needs_a_blank_line_before_it_and_a_cue_needs_speech_under_it() -> None:
    kinds = [e.kind for e in fountain.parse("Mara waits.\nINT. AIRLOCK\n\nMARA\n\nJONAH\nNo.")]
    assert kinds == ["action", "action", "blank", "action", "blank", "character", "dialogue"]


def test_cue_parts_take_a_cue_apart() -> None:
    assert fountain.cue_parts("@McCLANE (V.O.) ^") == ("McCLANE", "(V.O.)")
    assert fountain.cue_parts("MARA") == ("MARA", "")
    assert fountain.cue_label("@McCLANE (V.O.) ^") == "McCLANE (V.O.)"
    assert fountain.cue_name("MARA (CONT'D)") == "MARA"
    assert fountain.cue_name("Mara") is None and fountain.cue_name("CUT TO:") is None


def test_clean_fountain_has_no_problems() -> None:
    assert fountain.problems(SCENE) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("INT. AIRLOCK\nMara waits.", "must be followed by a blank line"),
        ("MARA\n(quietly)", "is not followed by dialogue"),
        ("(quietly)\n\nMara waits.", "outside dialogue"),
        ("Mara waits.\nINT. AIRLOCK\n\nMore.", "must be preceded by a blank line"),
        ("Mara waits.\nMARA\nHello.", "character cue 'MARA' must be preceded by a blank line"),
        ("MARA: Hello there.", "without a cue"),
        ('"Hello there."', "quoted dialogue without a character cue"),
        ("Mara\n(quietly)\nHello.", "must be in capitals"),
        ("A [[note that never ends.", "not closed"),
    ],
)
def test_problems_name_what_is_wrong(text: str, problem: str) -> None:
    assert any(problem in p for p in fountain.problems(text)), fountain.problems(text)


def test_writers_never_produce_a_line_read_as_another_element() -> None:
    assert fountain.action("INT. is what it says") == "!INT. is what it says"
    assert fountain.action("MARA LOOKS UP.") == "!MARA LOOKS UP."
    assert fountain.action("CUT TO:") == "!CUT TO:"
    assert fountain.action("MARA: hello") == "!MARA: hello"
    assert fountain.action("Mara looks up.") == "Mara looks up."
    assert fountain.cue("Mara Quell") == "MARA QUELL"
    assert fountain.cue("Mara", "V.O.") == "MARA (V.O.)"
    assert fountain.cue("42") == "@42"
    assert fountain.dialogue_line("(all of it)") == "all of it"
    assert fountain.dialogue_line("(beat) Fine.") == "(beat)\nFine."
    assert fountain.heading("the airlock", True, "night") == "INT. THE AIRLOCK - NIGHT"
    assert fountain.heading_line("airlock") == ".AIRLOCK"
    assert fountain.heading_line("ext. sea") == "EXT. SEA"
    assert fountain.transition("cut to:") == "CUT TO:"
    assert fountain.transition("fade out.") == "> FADE OUT."
    assert fountain.visible("a /* b */ [[c]]") == "a / * b * / [ [c] ]"


def test_write_puts_a_cues_speech_in_its_block_and_every_other_element_apart() -> None:
    written = fountain.write(
        [
            Element("heading", "int. airlock - night"),
            Element("action", "Frost."),
            Element("character", "Mara (V.O.)"),
            Element("parenthetical", "quietly"),
            Element("dialogue", "You said so."),
            Element("parenthetical", ""),
            Element("transition", "cut to:"),
        ]
    )
    assert written == (
        "INT. AIRLOCK - NIGHT\n\nFrost.\n\nMARA (V.O.)\n(quietly)\nYou said so.\n\nCUT TO:"
    )


# --- what write() makes, screenplain reads the same way --------------------------------

# Structure, not inline markup: emphasis (* _), section and scene-number marks (#) and
# centring (<) are Fountain's inline syntax, and letters outside ASCII and a few accented
# ones would test Unicode case mapping rather than Fountain.
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéü0123456789.,;:!?'\"()[]/@>=~^-"
_TRICKS = ["INT.", "EXT", "I/E", "CUT TO:", "TO:", "/*", "*/", "[[", "]]", "(beat)", "!", "@",
           ">", "=", "===", "~", "MARA:", "FADE OUT.", "(V.O.)", "^", "..."]  # fmt: skip
_word = st.one_of(st.text(_ALPHABET, min_size=1, max_size=10), st.sampled_from(_TRICKS))
_text = st.lists(_word, min_size=1, max_size=8).map(" ".join)
_name = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .'-", min_size=1).filter(
    lambda n: any(c.isalpha() for c in n)
)
_speech = st.lists(
    st.one_of(
        st.builds(Element, st.just("dialogue"), _text),
        st.builds(Element, st.just("parenthetical"), st.text(_ALPHABET.replace("()", ""))),
    ),
    min_size=1,
    max_size=4,
)
_cue = st.builds(
    lambda name, ext: Element("character", f"{name} ({ext})" if ext else name),
    _name,
    st.sampled_from(["", "V.O.", "O.S.", "CONT'D"]),
)
_heading_text = _text.filter(lambda t: not t.lstrip().startswith("."))
_element_runs = st.one_of(
    st.builds(lambda t: [Element("heading", t)], _heading_text),
    st.builds(lambda t: [Element("action", t)], _text),
    st.builds(lambda t: [Element("transition", t)], _text),
    st.builds(lambda c, s: [c, *s], _cue, _speech),
)
_scripts = st.lists(_element_runs, min_size=1, max_size=8).map(
    lambda runs: [element for run in runs for element in run]
)


def _ours(text: str) -> list[tuple[str, str]]:
    read = [e for e in fountain.parse(text) if e.kind != "blank"]
    return [(e.kind, fountain.cue_label(e.text) if e.kind == "character" else e.text) for e in read]


def _as_written(el: Element) -> tuple[str, str]:
    """An element outside speech as a reader gets it back: words flattened, hidden-text
    markers broken, headings and transitions in capitals, a cue in capitals or forced."""
    text = fountain.visible(el.text)
    if el.kind == "heading":
        return ("heading", fountain.heading_line(text).removeprefix("."))
    if el.kind == "transition":
        return ("transition", fountain.transition(text).removeprefix("> "))
    if el.kind == "character":
        name, extension = fountain.cue_parts(el.text)
        cue = fountain.cue(fountain.visible(name), extension.strip("()"))
        return ("character", fountain.cue_label(cue))
    return ("action", text)


@settings(max_examples=300, deadline=None)
@given(_scripts)
def test_what_write_makes_screenplain_reads_as_we_do(elements: list[Element]) -> None:
    written = fountain.write(elements)
    ours = _ours(written)
    # our reader gets every element back in order, each of its own kind
    speech = ("parenthetical", "dialogue")
    assert [x for x in ours if x[0] not in speech] == [
        _as_written(e) for e in elements if e.kind not in speech
    ]
    assert all(ours[i + 1][0] in speech for i, (k, _) in enumerate(ours) if k == "character")
    # and screenplain, reading the file as a screenplay tool would, agrees line by line
    _, theirs = screenplain_reader.read("Title: A test\n\n" + written)
    assert theirs == ours


def test_is_scene_tells_a_piece_of_screenplay_from_a_note() -> None:
    assert fountain.is_scene("INT. AIRLOCK - NIGHT\n\nMara braces against the door.")
    assert fountain.is_scene("MARA\nIt holds. For now.")
    assert not fountain.is_scene("We decided Mara is the pilot.")
    assert not fountain.is_scene("int. thoughts on the ending")  # a heading alone is no scene
    assert not fountain.is_scene("INT. AIRLOCK - NIGHT\nMara braces.")  # not clean Fountain
    assert not fountain.is_scene("")
