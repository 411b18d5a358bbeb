"""Cleaning what writers type: names, free text, sizes.

Pure functions, used at the door (parsing) and again in the bible (names), so a name typed
with a zero-width space, a bidi override or in another case is still the same character.
"""

from __future__ import annotations

import re
import unicodedata

from core.errors import InputTooLong

# Zero-width characters, bidi embeddings/overrides/isolates, BOM, soft hyphen, word joiner.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_ASCII_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""ASCII's control characters (category C) but newline and tab."""
_SPACES = re.compile(r"\s+")
MAX_NAME_CHARS = 80


def strip_invisible(text: str) -> str:
    """Remove zero-width, bidi-control and (except newlines and tabs) control characters."""
    if text.isascii():  # most of what people type: only ASCII's controls can be there
        return _ASCII_CONTROLS.sub("", text)
    text = _INVISIBLE.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def clean_text(text: str) -> str:
    """Free text: NFC-normalised, invisible and control characters removed, trimmed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return strip_invisible(text).strip()


def clean_name(text: str) -> str:
    """A name as shown: NFKC, no invisible characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFKC", text)
    text = strip_invisible(text).replace("\n", " ").replace("\t", " ")
    return _SPACES.sub(" ", text).strip(" \"'`")


def name_key(text: str) -> str:
    """The identity of a name: two names with the same key are the same character."""
    return unicodedata.normalize("NFKC", clean_name(text)).casefold()


def check_length(text: str, limit: int, what: str = "That input") -> None:
    if len(text) > limit:
        raise InputTooLong(
            f"{what} is {len(text):,} characters; the limit is {limit:,}. "
            "Shorten it or split it into parts."
        )
