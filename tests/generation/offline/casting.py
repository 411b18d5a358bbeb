"""A cast written by the offline engine into one story, one sheet after another (each
sheet sees the ones before it, as /character new does)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from core.models import Bible, new_character
from generation.offline.characters import write_sheet


def offline_cast(bible: Bible, people: Sequence[tuple[str, str]], seed: int) -> Bible:
    """``bible`` with a sheet for each (name, pronouns), seeds ``seed``, ``seed + 1``…"""
    for i, (name, pronouns) in enumerate(people):
        sheet = write_sheet(bible, name, "", {"pronouns": pronouns}, seed + i)
        c = new_character(name, **{k: v for k, v in sheet.items() if k != "name"})
        c = dataclasses.replace(c, id=len(bible.characters) + 1)
        bible = dataclasses.replace(bible, characters=(*bible.characters, c))
    return bible
