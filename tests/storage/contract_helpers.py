"""Names and edits shared by the Store contract suite (tests/storage/test_contract_*.py)."""

from __future__ import annotations

from collections.abc import Callable

from core.models import Character, StoryKey, edit_character
from core.types import Author

BOB = Author("U2", "Bob")
OTHER_KEY: StoryKey = ("slack", "T1", "C2")


def set_field(field_name: str, value: str) -> Callable[[Character], Character]:
    return lambda c: edit_character(c, field_name, value)
