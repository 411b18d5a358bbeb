"""What the script doctor reads: every piece of the bible as a labelled text.

An ``Artifact`` is one place a writer could be quoted from ("Mara Quell's sheet ·
appearance", "scene 2 · The airlock argument"). ``established`` marks what the bible set
down (story fields, sheets, notes); scenes are what was written since.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import board
from core.models import Bible, field_label


@dataclass(frozen=True, slots=True)
class Artifact:
    label: str
    text: str
    group: str  # "story" | "sheet" | "note" | "scene"
    subject: str = ""  # the character a sheet field belongs to


def artifacts(bible: Bible) -> list[Artifact]:
    """Every text of the bible, oldest kind first: story, sheets, notes, then scenes (in
    the script's order, numbered as /scene list numbers them)."""
    out: list[Artifact] = []
    s = bible.story
    for name in ("logline", "synopsis", "setting", "style"):
        value = getattr(s, name)
        if value:
            out.append(Artifact(f"story · {name}", value, "story"))
    for c in bible.characters:
        for key, value in c.sheet().items():
            out.append(
                Artifact(f"{c.name}'s sheet · {field_label(key).lower()}", value, "sheet", c.name)
            )
    for i, note in enumerate(bible.notes, 1):
        out.append(Artifact(f"note {i}", note.text, "note"))
    for i, scene in enumerate(board.script(bible.beats, bible.scenes), 1):
        out.append(Artifact(f"scene {i} · {scene.title}", scene.text, "scene"))
    return out


def quote(text: str, start: int, end: int, room: int = 160) -> str:
    """The sentence around text[start:end], trimmed to about ``room`` characters."""
    left = (
        max(
            text.rfind(".", 0, start),
            text.rfind("\n", 0, start),
            text.rfind("!", 0, start),
            text.rfind("?", 0, start),
        )
        + 1
    )
    stops = [
        i
        for i in (
            text.find(".", end),
            text.find("\n", end),
            text.find("!", end),
            text.find("?", end),
        )
        if i != -1
    ]
    right = min(stops) + 1 if stops else len(text)
    piece = " ".join(text[left:right].split())
    if len(piece) > room:
        mid = " ".join(text[start:end].split())
        at = piece.find(mid)
        lo = max(0, at - (room - len(mid)) // 2)
        piece = ("…" if lo else "") + piece[lo : lo + room].strip() + "…"
    return piece
