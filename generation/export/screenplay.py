"""The bible's saved scenes as one screenplay: a title page and its elements.

Fountain and Final Draft writers both start from this, so the two files always hold the
same script, in the board's order (core.board.script: a scene stands where its beat
does). Scenes are read with core.fountain; a scene without a heading gets one from
its title, so every scene starts where a screenplay reader expects it. Elements are
normalised as both formats want them: words flattened, a cue in capitals with its
extension, a parenthetical in brackets, the dialogue lines under one cue joined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from core import board
from core.fountain import Element, cue_parts, parse
from core.models import Bible, Revision


@dataclass(frozen=True, slots=True)
class Screenplay:
    title: str
    credit: str
    authors: tuple[str, ...]
    draft_date: str
    notes: str
    elements: tuple[Element, ...]
    """Headings, action, cues, parentheticals, dialogue and transitions (no blanks)."""
    scene_count: int


def authors_of(revisions: Sequence[Revision]) -> tuple[str, ...]:
    """Who changed the bible, most changes first (the room, as far as the bot knows it)."""
    counts = Counter(r.actor_name or r.actor_id for r in revisions if (r.actor_name or r.actor_id))
    return tuple(name for name, _ in counts.most_common())


def screenplay(
    bible: Bible, revisions: Sequence[Revision] = (), draft_date: str = ""
) -> Screenplay:
    elements: list[Element] = []
    for scene in board.script(bible.beats, bible.scenes):
        body = scene_elements(scene.text)
        if not body or body[0].kind != "heading":
            body.insert(0, Element("heading", _flat(scene.title).upper() or "SCENE"))
        elements += body
    story = bible.story
    notes = story.logline or (story.synopsis.split("\n")[0] if story.synopsis else "")
    return Screenplay(
        title=_flat(story.title) or "Untitled",
        credit="Written by",
        authors=authors_of(revisions) or ("The writers' room",),
        draft_date=draft_date,
        notes=_flat(notes),
        elements=tuple(elements),
        scene_count=len(bible.scenes),
    )


def scene_elements(text: str) -> list[Element]:
    """One saved scene's Fountain as normalised elements (see the module docstring)."""
    out: list[Element] = []
    for el in parse(text):
        if el.kind == "blank":
            continue
        if el.kind == "character":
            name, extension = cue_parts(el.text)
            label = " ".join(x for x in (_flat(name).upper() or "SOMEONE", extension.upper()) if x)
            out.append(Element("character", label))
            continue
        words = _flat(el.text)
        if not words:
            continue
        if el.kind == "parenthetical":
            words = "(" + words.strip("() ") + ")"
        if el.kind == "dialogue" and out and out[-1].kind == "dialogue":
            out[-1] = Element("dialogue", out[-1].text + " " + words)
            continue
        out.append(Element(el.kind, words))
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())
