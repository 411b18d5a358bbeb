"""Everything the room stored for its story as JSON, and back.

Keys are stable: ``format``, ``version``, then one list per kind of entry with every
field of core.models (sorted keys, so two exports of the same story diff cleanly).
``revisions`` is the full history, oldest first, with before/after snapshots.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from core.models import (
    Beat,
    Bible,
    Character,
    Location,
    Note,
    Revision,
    Scene,
    Story,
    to_dict,
)

FORMAT = "writersroom.story"
VERSION = 1


def to_json(bible: Bible, revisions: Sequence[Revision] = (), exported: str = "") -> str:
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported": exported,
        "story": to_dict(bible.story),
        "characters": [to_dict(c) for c in bible.characters],
        "locations": [to_dict(x) for x in bible.locations],
        "beats": [to_dict(b) for b in bible.beats],
        "scenes": [to_dict(s) for s in bible.scenes],
        "notes": [to_dict(n) for n in bible.notes],
        "revisions": [to_dict(r) for r in revisions],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def from_json(text: str) -> tuple[Bible, list[Revision]]:
    """Read an export back (the round trip the tests check)."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError("not a writersroom story export")
    story = dict(data["story"])
    story["key"] = tuple(story["key"])
    bible = Bible(
        story=Story(**story),
        characters=tuple(Character(**c) for c in data["characters"]),
        locations=tuple(Location(**x) for x in data["locations"]),
        beats=tuple(Beat(**b) for b in data["beats"]),
        scenes=tuple(Scene(**s) for s in data["scenes"]),
        notes=tuple(Note(**n) for n in data["notes"]),
    )
    return bible, [Revision(**r) for r in data["revisions"]]
