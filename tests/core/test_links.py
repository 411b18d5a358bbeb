"""Board links on plain data: a token says what it was signed with, and nothing changed
in it, signed with another key or past its time passes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import links
from core.links import BoardLink, LinkRefused
from core.types import Author

KEY = b"k" * 32
LINK = BoardLink(("slack", "T1", "C1"), Author("U1", "Dana Šimić"), 1_000_000.0, 3)


def test_a_token_reads_back_as_the_link_it_was_made_from() -> None:
    assert links.read(links.sign(LINK, KEY), KEY, now=999_999.0) == LINK


def test_a_token_is_plain_url_and_markup_safe_text() -> None:
    token = links.sign(LINK, KEY)
    assert set(token) <= set("abcdefghijklmnopqrstuvwxyz234567.")
    assert len(token) < 300


def test_a_token_past_its_time_is_expired() -> None:
    with pytest.raises(LinkRefused) as refused:
        links.read(links.sign(LINK, KEY), KEY, now=1_000_000.0)
    assert refused.value.reason == "expired"


def test_another_key_or_garbage_is_tampered() -> None:
    for token, key in (
        (links.sign(LINK, KEY), b"other" * 8),
        ("", KEY),
        (".", KEY),
        ("a.b.c", KEY),
        ("é.ü", KEY),
        ("a" * 5000 + ".b", KEY),
    ):
        with pytest.raises(LinkRefused) as refused:
            links.read(token, key, now=0.0)
        assert refused.value.reason == "tampered"


@given(st.integers(min_value=0), st.sampled_from("abcdefghijklmnopqrstuvwxyz234567."))
def test_any_one_character_changed_is_tampered(where: int, char: str) -> None:
    token = links.sign(LINK, KEY)
    i = where % len(token)
    changed = token[:i] + char + token[i + 1 :]
    if changed == token:
        return
    with pytest.raises(LinkRefused) as refused:
        links.read(changed, KEY, now=0.0)
    assert refused.value.reason == "tampered"
