"""Cutting at Slack's limits: no piece too long, no word lost, fences and spans whole."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.slack.split import split_line, split_text

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
    assert " ".join(pieces).split() == text.split()


def test_cuts_between_paragraphs_first() -> None:
    a, b = "word " * 100, "other " * 100
    pieces = split_text(f"{a.strip()}\n\n{b.strip()}", 600)
    assert pieces == [a.strip(), b.strip()]


def test_a_fountain_block_is_not_cut_when_it_fits() -> None:
    block = "*MARA*\n_(quietly)_\nYou said the seals would hold."
    text = "\n\n".join([block] * 40)
    for piece in split_text(text, 300):
        assert piece.count("*MARA*") == piece.count("You said the seals would hold.")


def test_a_long_fence_is_closed_and_reopened() -> None:
    code = "```\n" + "\n".join(f"line {i} of the code" for i in range(300)) + "\n```"
    pieces = split_text(code, 500)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.startswith("```\n") and piece.endswith("\n```") and len(piece) <= 500
    body = [line for p in pieces for line in p.split("\n") if line != "```"]
    assert body == [f"line {i} of the code" for i in range(300)]


def test_emphasis_spans_are_not_cut_when_a_space_outside_exists() -> None:
    line = "plain " * 10 + "*a bold phrase that should stay whole*" + " tail" * 10
    for piece in split_line(line, 70):
        assert piece.count("*") % 2 == 0


def test_a_word_longer_than_the_limit_is_cut_outside_entities() -> None:
    pieces = split_line("x" * 50 + "&amp;" + "y" * 50, 52)
    assert all("&amp;" in p or "&" not in p for p in pieces)
    assert "".join(pieces) == "x" * 50 + "&amp;" + "y" * 50
