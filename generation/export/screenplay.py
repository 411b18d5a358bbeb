"""The bible's saved scenes as one screenplay: a title page and typed paragraphs.

Fountain and Final Draft writers both start from this, so the two files always hold the
same script. Scenes are read with our Fountain reader (generation/offline/fountain.py);
a scene without a heading gets one from its title, so every scene starts where a
screenplay reader expects it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Bible, Revision
from generation.offline.fountain import parse

Kind = str
"""One of the Final Draft paragraph types we write: "Scene Heading", "Action",
"Character", "Parenthetical", "Dialogue", "Transition"."""

_EXTENSION = re.compile(r"\s*(\([^)]*\))\s*$")
_KINDS = {
    "heading": "Scene Heading",
    "action": "Action",
    "character": "Character",
    "parenthetical": "Parenthetical",
    "dialogue": "Dialogue",
    "transition": "Transition",
}


@dataclass(frozen=True, slots=True)
class Paragraph:
    kind: Kind
    text: str
    extension: str = ""
    """For a Character cue: "(V.O.)", "(CONT'D)" and the like, else ""."""


@dataclass(frozen=True, slots=True)
class Screenplay:
    title: str
    credit: str
    authors: tuple[str, ...]
    draft_date: str
    notes: str
    paragraphs: tuple[Paragraph, ...]
    scene_count: int


def authors_of(revisions: Sequence[Revision]) -> tuple[str, ...]:
    """Who changed the bible, most changes first (the room, as far as the bot knows it)."""
    counts = Counter(r.actor_name or r.actor_id for r in revisions if (r.actor_name or r.actor_id))
    return tuple(name for name, _ in counts.most_common())


def screenplay(
    bible: Bible, revisions: Sequence[Revision] = (), draft_date: str = ""
) -> Screenplay:
    paragraphs: list[Paragraph] = []
    for scene in bible.scenes:
        body = scene_paragraphs(scene.text)
        if not body or body[0].kind != "Scene Heading":
            body.insert(0, Paragraph("Scene Heading", _flat(scene.title).upper() or "SCENE"))
        paragraphs += body
    story = bible.story
    notes = story.logline or (story.synopsis.split("\n")[0] if story.synopsis else "")
    return Screenplay(
        title=_flat(story.title) or "Untitled",
        credit="Written by",
        authors=authors_of(revisions) or ("The writers' room",),
        draft_date=draft_date,
        notes=_flat(notes),
        paragraphs=tuple(paragraphs),
        scene_count=len(bible.scenes),
    )


def scene_paragraphs(text: str) -> list[Paragraph]:
    """One saved scene's Fountain as paragraphs; dialogue lines under one cue are joined."""
    out: list[Paragraph] = []
    for el in parse(text.replace("\r\n", "\n")):
        if el.kind in ("blank", "other"):
            continue
        kind = _KINDS.get(el.kind, "Action")
        if kind == "Character":
            out.append(_cue(el.text))
            continue
        words = _flat(el.text)
        if not words:
            continue
        if kind == "Parenthetical":
            words = "(" + words.strip("() ") + ")"
        if kind == "Dialogue" and out and out[-1].kind == "Dialogue":
            out[-1] = Paragraph("Dialogue", out[-1].text + " " + words)
            continue
        out.append(Paragraph(kind, words))
    return out


def _cue(raw: str) -> Paragraph:
    name = raw.strip().lstrip("@").rstrip("^ ").strip()
    ext = ""
    found = _EXTENSION.search(name)
    if found:
        ext = found.group(1).upper()
        name = name[: found.start()].strip()
    return Paragraph("Character", _flat(name).upper() or "SOMEONE", ext)


def _flat(text: str) -> str:
    return " ".join(text.split())
