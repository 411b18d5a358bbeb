"""The story bible as one Markdown document: story, cast, places, outline, scenes, notes."""

from __future__ import annotations

from core import board
from core.models import Bible, field_label


def to_markdown(bible: Bible, exported: str = "") -> str:
    s = bible.story
    out = [f"# {_line(s.title) or 'Untitled'}", ""]
    if exported:
        out += [f"_Story bible exported {exported}._", ""]
    for label, value in (
        ("Logline", s.logline),
        ("Genre", s.genre),
        ("Tone", s.tone),
        ("Setting", s.setting),
        ("Style", s.style),
    ):
        if value:
            out.append(f"- **{label}:** {_line(value)}")
    if s.synopsis:
        out += ["", "## Synopsis", "", s.synopsis.strip()]
    if bible.characters:
        out += ["", "## Cast"]
        for c in bible.characters:
            out += ["", f"### {_line(c.name)}", ""]
            out += [f"- **{field_label(k)}:** {_line(v)}" for k, v in c.sheet().items()]
    if bible.locations:
        out += ["", "## Locations", ""]
        for loc in bible.locations:
            about = f": {_line(loc.description)}" if loc.description else ""
            senses = [
                f"{label} {_line(v)}"
                for label, v in (("looks:", loc.look), ("sounds:", loc.sound))
                if v
            ]
            more = f" ({'; '.join(senses)})" if senses else ""
            out.append(f"- **{_line(loc.name)}**{about}{more}")
    if bible.beats:
        out += ["", "## Outline"]
        act = None
        for b in board.board(bible.beats):
            if b.act != act:
                act = b.act
                out += ["", f"### Act {act}", ""]
            out.append(f"1. {_line(b.text)}")
    if bible.scenes:
        out += ["", "## Scenes"]
        for scene in board.script(bible.beats, bible.scenes):
            fence = _fence(scene.text)
            out += [
                "",
                f"### {_line(scene.title)}",
                "",
                f"{fence}fountain",
                scene.text.strip("\n"),
                fence,
            ]
    if bible.notes:
        out += ["", "## Notes", ""]
        out += [f"- {_line(n.text)}" for n in bible.notes]
    return "\n".join(out).rstrip() + "\n"


def _line(text: str) -> str:
    return " ".join(text.split())


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks inside the text."""
    longest, run = 0, 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)
