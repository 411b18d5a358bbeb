from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.discord.split import split_text, tail


def _words(text: str) -> list[str]:
    """The text without fence lines, as words: what a reader must find, in order."""
    lines = [line for line in text.split("\n") if not line.lstrip().startswith("```")]
    return " ".join(lines).split()


def _fences_balanced(piece: str) -> bool:
    return sum(1 for line in piece.split("\n") if line.lstrip().startswith("```")) % 2 == 0


def test_short_text_is_one_piece() -> None:
    assert split_text("Mara checks the seal.", 2000) == ["Mara checks the seal."]


def test_long_text_splits_at_paragraphs_with_nothing_lost() -> None:
    paragraphs = [f"Paragraph {i}: " + "the airlock hums and Mara waits. " * 20 for i in range(12)]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text, 2000)
    assert len(pieces) > 1
    assert all(len(p) <= 2000 for p in pieces)
    assert _words("\n".join(pieces)) == _words(text)
    assert all(p.startswith("Paragraph") for p in pieces)  # cut at a paragraph boundary


def test_a_cut_inside_a_code_fence_closes_and_reopens_it() -> None:
    code = "\n".join(f"MARA: line {i} of the scene, spoken slowly" for i in range(120))
    text = "Before.\n\n```fountain\n" + code + "\n```\n\nAfter."
    pieces = split_text(text, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert all(_fences_balanced(p) for p in pieces)
    assert pieces[1].startswith("```fountain\n")
    assert _words("\n".join(pieces)) == _words(text)


def test_one_enormous_word_is_cut_without_losing_characters() -> None:
    word = "x" * 4500
    pieces = split_text(word, 2000)
    assert "".join(pieces) == word
    assert all(len(p) <= 2000 for p in pieces)


def test_tail_shows_the_newest_text_within_the_limit() -> None:
    text = "\n".join(f"line {i}" for i in range(2000))
    preview = tail(text, 500)
    assert len(preview) <= 500
    assert preview.startswith("…") and preview.endswith("line 1999")


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
    st.sampled_from([100, 1024, 2000, 4096]),
)
def test_every_piece_fits_and_every_word_survives(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert _words("\n".join(pieces)) == _words(text)
    assert all(_fences_balanced(p) for p in pieces)
