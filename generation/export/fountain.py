"""A Screenplay as Fountain text (fountain.io/syntax): title page, then the script.

Every element goes through the safe writers of generation/offline/fountain.py, so an
action line can never be read as a cue or a heading, and text that Fountain would hide
(boneyard ``/* */``, notes ``[[ ]]``) is broken up rather than swallowed.
"""

from __future__ import annotations

from generation.export.screenplay import Paragraph, Screenplay
from generation.offline.fountain import action, cue, dialogue_line, parenthetical


def to_fountain(play: Screenplay) -> str:
    lines = [f"Title: {_safe(play.title)}", f"Credit: {play.credit}"]
    lines.append("Authors:" if len(play.authors) > 1 else f"Author: {_safe(play.authors[0])}")
    if len(play.authors) > 1:
        lines += [f"    {_safe(a)}" for a in play.authors]
    if play.draft_date:
        lines.append(f"Draft date: {play.draft_date}")
    if play.notes:
        lines.append(f"Notes: {_safe(play.notes)}")
    out = ["\n".join(lines)]
    block: list[str] = []
    for p in play.paragraphs:
        if p.kind in ("Parenthetical", "Dialogue") and block:
            block.append(_speech(p))
            continue
        if block:
            out.append("\n".join(block))
            block = []
        if p.kind == "Character":
            block = [cue(p.text, p.extension.strip("()"))]
        elif p.kind == "Scene Heading":
            out.append(_heading(p.text))
        elif p.kind == "Transition":
            out.append(_transition(p.text))
        else:
            out.append(action(_safe(p.text)))
    if block:
        out.append("\n".join(block))
    return "\n\n".join(x for x in out if x) + "\n"


def _speech(p: Paragraph) -> str:
    if p.kind == "Parenthetical":
        return parenthetical(_safe(p.text))
    return dialogue_line(_safe(p.text))


def _heading(text: str) -> str:
    flat = _safe(text).upper()
    if flat.startswith(("INT.", "EXT.", "EST.", "INT./EXT.", "I/E.", "INT ", "EXT ", "I/E ")):
        return flat
    return "." + flat.lstrip(".")  # a forced heading


def _transition(text: str) -> str:
    flat = _safe(text).upper()
    return flat if flat.endswith("TO:") else "> " + flat


def _safe(text: str) -> str:
    """Break the markers that would make a reader hide text (boneyard, notes)."""
    return (
        " ".join(text.split())
        .replace("/*", "/ *")
        .replace("*/", "* /")
        .replace("[[", "[ [")
        .replace("]]", "] ]")
    )
