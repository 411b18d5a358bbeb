"""The one splitter, at Slack's and Discord's sizes: no piece too long, no word lost,
fences closed and reopened, paragraphs, Fountain blocks and spans kept whole."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.split import Splitter, split_text, tail

_QUOTE_MARK = re.compile(r"^>\s?")


def _words(text: str) -> list[str]:
    """What a reader must find, in order: the words, without fence lines and the quote
    marks that begin lines (a quoted line cut in two is quoted on both pieces). A word
    that itself begins with ">" and lands at the start of a piece reads as a quote mark
    there (the platforms give no portable escape for it), so a leading ">" of a word is
    not compared."""
    lines = [_QUOTE_MARK.sub("", line) for line in text.split("\n")]
    kept = " ".join(line for line in lines if not line.lstrip().startswith("```")).split()
    return [w.removeprefix(">") for w in kept if w.removeprefix(">")]


def _fences_balanced(piece: str) -> bool:
    return sum(1 for line in piece.split("\n") if line.lstrip().startswith("```")) % 2 == 0


# --- what every piece keeps ----------------------------------------------------------

words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=30
)
paragraphs = st.lists(
    st.lists(words, min_size=1, max_size=40).map(" ".join), min_size=1, max_size=30
).map("\n\n".join)


@settings(max_examples=60, deadline=None)
@given(paragraphs, st.integers(min_value=40, max_value=400))
def test_pieces_fit_and_keep_every_word(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert _words("\n".join(pieces)) == _words(text)


# Fences come only from _block: a word of backticks would be a fence the text never closes.
_word = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Zs"), exclude_characters="`"
    ),
    min_size=1,
    max_size=30,
)
_line = st.lists(_word, min_size=0, max_size=25).map(" ".join)
_block = st.one_of(
    st.lists(_line, min_size=1, max_size=8).map("\n".join),
    st.lists(_line, min_size=1, max_size=30).map(lambda ls: "```\n" + "\n".join(ls) + "\n```"),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_block, min_size=1, max_size=25).map("\n\n".join),
    st.sampled_from([100, 1024, 2000, 3000, 4096]),
)
def test_every_piece_fits_and_every_word_survives(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert _words("\n".join(pieces)) == _words(text)
    assert all(_fences_balanced(p) for p in pieces)


def test_short_text_is_one_piece() -> None:
    assert split_text("Mara checks the seal.", 2000) == ["Mara checks the seal."]


def test_a_run_of_spaces_longer_than_a_piece_makes_no_empty_piece() -> None:
    # An empty piece is an empty Slack section (invalid_blocks) or an empty Discord message.
    text = "Mara waits. " * 100 + "\n\n" + " " * 3500 + "Jonah knocks."
    pieces = split_text(text, 3000)
    assert all(p.strip() for p in pieces) and all(len(p) <= 3000 for p in pieces)
    assert _words("\n".join(pieces)) == _words(text)


# --- where it cuts -------------------------------------------------------------------


def test_cuts_between_paragraphs_first() -> None:
    a, b = "word " * 100, "other " * 100
    pieces = split_text(f"{a.strip()}\n\n{b.strip()}", 600)
    assert pieces == [a.strip(), b.strip()]


def test_long_text_splits_at_paragraphs_with_nothing_lost() -> None:
    paragraphs = [f"Paragraph {i}: " + "the airlock hums and Mara waits. " * 20 for i in range(12)]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text, 2000)
    assert len(pieces) > 1
    assert all(len(p) <= 2000 for p in pieces)
    assert _words("\n".join(pieces)) == _words(text)
    assert all(p.startswith("Paragraph") for p in pieces)  # cut at a paragraph boundary


def test_a_fountain_block_is_not_cut_when_it_fits() -> None:
    block = "*MARA*\n_(quietly)_\nYou said the seals would hold."
    text = "\n\n".join([block] * 40)
    for piece in split_text(text, 300):
        assert piece.count("*MARA*") == piece.count("You said the seals would hold.")


def test_a_paragraph_that_fits_a_piece_of_its_own_is_never_cut() -> None:
    short, long = "A short opening. " * 3, "The airlock hums and Mara waits. " * 60
    assert len(short + long) > 2000 >= len(long)
    pieces = split_text(f"{short.strip()}\n\n{long.strip()}", 2000)
    assert pieces == [short.strip(), long.strip()]


def test_a_line_too_long_for_any_piece_is_cut_after_a_sentence() -> None:
    line = "Mara waits by the airlock. " * 100
    pieces = split_text(line, 1000)
    assert all(p.endswith(".") for p in pieces[:-1])


def test_a_quoted_line_cut_in_two_stays_quoted() -> None:
    pieces = split_text("> " + "We are not going back there. " * 10, 100)
    assert len(pieces) > 1 and all(p.startswith("> ") for p in pieces)


def test_emphasis_spans_are_not_cut_when_a_space_outside_exists() -> None:
    line = "plain " * 10 + "*a bold phrase that should stay whole*" + " tail" * 10
    for piece in split_text(line, 70):
        assert piece.count("*") % 2 == 0


def test_a_word_longer_than_the_limit_is_cut_outside_entities() -> None:
    pieces = split_text("x" * 50 + "&amp;" + "y" * 50, 52)
    assert all("&amp;" in p or "&" not in p for p in pieces)
    assert "".join(pieces) == "x" * 50 + "&amp;" + "y" * 50


def test_one_enormous_word_is_cut_without_losing_characters() -> None:
    word = "x" * 4500
    pieces = split_text(word, 2000)
    assert "".join(pieces) == word
    assert all(len(p) <= 2000 for p in pieces)


# --- fences --------------------------------------------------------------------------


def test_a_long_fence_is_closed_and_reopened() -> None:
    code = "```\n" + "\n".join(f"line {i} of the code" for i in range(300)) + "\n```"
    pieces = split_text(code, 500)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.startswith("```\n") and piece.endswith("\n```") and len(piece) <= 500
    body = [line for p in pieces for line in p.split("\n") if line != "```"]
    assert body == [f"line {i} of the code" for i in range(300)]


def test_a_cut_inside_a_code_fence_closes_and_reopens_it_with_its_language() -> None:
    code = "\n".join(f"MARA: line {i} of the scene, spoken slowly" for i in range(120))
    text = "Before.\n\n```fountain\n" + code + "\n```\n\nAfter."
    pieces = split_text(text, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert all(_fences_balanced(p) for p in pieces)
    assert pieces[1].startswith("```fountain\n")
    assert _words("\n".join(pieces)) == _words(text)


# --- sizes that change from piece to piece, previews ------------------------------------


def test_each_piece_can_have_its_own_limit() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 60 for i in range(20))
    splitter = Splitter(text)
    sizes = [300, 1000, 4096]
    pieces = []
    while not splitter.done:
        limit = sizes[len(pieces) % 3]
        pieces.append(splitter.take(limit))
        assert len(pieces[-1]) <= limit
    assert _words("\n".join(pieces)) == _words(text)


def test_tail_shows_the_newest_text_within_the_limit() -> None:
    text = "\n".join(f"line {i}" for i in range(2000))
    preview = tail(text, 500)
    assert len(preview) <= 500
    assert preview.startswith("…") and preview.endswith("line 1999")
