"""/summarize story offline: the story so far, from the bible alone.

- synopsis: the saved synopsis when there is one; else the beats, act by act, as written;
  else the logline. Nothing is made up: a bible with no beats says so.
- arcs: each main character (protagonist, antagonist, lead…; everyone when the cast is
  small) with the arc on their sheet, or want -> need and flaw when the arc is blank.
- undecided: what the bible leaves open: story fields never set, acts without beats,
  main characters without a want, need or arc, and notes that ask a question or say TBD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.models import Bible, Character

MAIN_ROLES = re.compile(
    r"\b(?:protagonist|antagonist|lead|deuteragonist|hero|heroine|villain|main|title)\b", re.I
)
_OPEN_NOTE = re.compile(r"\?|\b(?:tbd|undecided|open question|not sure|decide)\b", re.I)
SMALL_CAST = 5
MAX_ARCS = 8


@dataclass
class StorySummary:
    title: str
    logline: str
    synopsis: list[str]
    synopsis_source: str
    arcs: list[tuple[str, str]]
    undecided: list[str]
    extractive: bool = True
    engine: str = "offline extractive summarizer"
    counts: dict[str, int] = field(default_factory=dict)


def main_characters(bible: Bible) -> list[Character]:
    cast = list(bible.characters)
    if len(cast) <= SMALL_CAST:
        return cast
    main = [c for c in cast if MAIN_ROLES.search(c.role)]
    return (main or cast)[:MAX_ARCS]


def arc_of(c: Character) -> str:
    if c.arc.strip():
        return c.arc.strip()
    parts = []
    if c.want:
        parts.append(f"wants {c.want.strip().rstrip('.')}")
    if c.need:
        parts.append(f"needs {c.need.strip().rstrip('.')}")
    if c.flaw:
        parts.append(f"held back by {c.flaw.strip().rstrip('.')}")
    return "; ".join(parts)


def summarize_story(bible: Bible) -> StorySummary:
    story = bible.story
    synopsis: list[str]
    if story.synopsis.strip():
        synopsis, source = [story.synopsis.strip()], "the saved synopsis"
    elif bible.beats:
        acts: dict[int, list[str]] = {}
        for beat in sorted(bible.beats, key=lambda b: (b.act, b.position)):
            acts.setdefault(beat.act, []).append(beat.text.strip().rstrip("."))
        synopsis = [f"Act {act}: " + "; ".join(beats) + "." for act, beats in acts.items()]
        source = "the outline's beats"
    elif story.logline.strip():
        synopsis, source = [story.logline.strip()], "the logline (no synopsis or beats yet)"
    else:
        synopsis, source = [], "nothing yet"
    arcs = [(c.name, arc_of(c)) for c in main_characters(bible)]
    return StorySummary(
        story.title,
        story.logline,
        synopsis,
        source,
        arcs,
        undecided(bible),
        counts={
            "characters": len(bible.characters),
            "beats": len(bible.beats),
            "scenes": len(bible.scenes),
            "notes": len(bible.notes),
        },
    )


def undecided(bible: Bible) -> list[str]:
    story = bible.story
    out: list[str] = []
    missing = [f for f in ("logline", "genre", "tone", "setting") if not getattr(story, f).strip()]
    if missing:
        out.append("Not set yet: " + ", ".join(missing) + ".")
    if not bible.characters:
        out.append("No characters yet.")
    if not bible.beats:
        out.append("No outline yet (no beats).")
    else:
        acts = sorted({b.act for b in bible.beats})
        gaps = [a for a in range(1, max(acts) + 1) if a not in acts]
        if gaps:
            out.append("No beats for act " + ", ".join(str(a) for a in gaps) + ".")
    for c in main_characters(bible):
        blank = [f for f in ("want", "need", "arc") if not getattr(c, f).strip()]
        if blank:
            out.append(f"{c.name}: no {', '.join(blank)} yet.")
    for note in bible.notes:
        if _OPEN_NOTE.search(note.text):
            out.append(f"Note: {note.text.strip()}")
    return out


def render_story(s: StorySummary) -> str:
    """The story summary as a Reply body."""
    counts = ", ".join(f"{n} {what}" for what, n in s.counts.items())
    lines = [f"**{s.title}: the story so far** · {counts} · {s.engine}"]
    if s.logline:
        lines += ["", f"_{s.logline}_"]
    lines += ["", f"**Synopsis** (from {s.synopsis_source})"]
    lines += s.synopsis or ["_Nothing yet: try /synopsis or /outline, then save._"]
    lines += ["", "**Character arcs**"]
    arcs = [f"- **{name}**: {arc or '_no arc yet_'}" for name, arc in s.arcs]
    lines += arcs or ["_No characters yet._"]
    lines += ["", "**Still undecided**"]
    lines += [f"- {item}" for item in s.undecided] or ["_Nothing obvious: the bible is filled in._"]
    return "\n".join(lines)
