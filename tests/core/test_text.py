from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from core.text import clean_name, clean_text, name_key, strip_invisible


def test_names_differing_in_case_or_normal_form_share_a_key() -> None:
    assert name_key("Zoë") == name_key("ZOE\u0308") == name_key("  zoë ")
    assert name_key("Ｍａｒａ") == name_key("mara")


def test_clean_name_strips_zero_width_bidi_and_control() -> None:
    assert clean_name("\u202eMa\u200bra\u0007\u2066") == "Mara"
    assert clean_name("Old   Tom\n") == "Old Tom"


def test_clean_text_keeps_newlines_and_removes_control() -> None:
    assert clean_text("line one\r\nline\x00 two\u200d") == "line one\nline two"


@given(st.text())
def test_clean_name_is_idempotent(text: str) -> None:
    once = clean_name(text)
    assert clean_name(once) == once


def test_ascii_text_loses_exactly_the_control_characters_the_general_rule_drops() -> None:
    """ASCII text takes a short cut (one regex); it must drop what the per-character
    rule (Unicode category C, newline and tab kept) drops, no more, no less."""
    every = "".join(chr(c) for c in range(128)) * 2
    kept = "".join(ch for ch in every if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    assert strip_invisible(every) == kept
    assert strip_invisible("Mara\x00 \x1b[31mQuell\r\n\tsaid\x7f") == "Mara [31mQuell\n\tsaid"
    assert strip_invisible("Mara\u200b Qu\u202eell\x07") == "Mara Quell"  # not ASCII: the full rule
