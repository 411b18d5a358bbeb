"""Fountain as screenplain (an independent parser) reads it: the tests' second opinion."""

from __future__ import annotations

import io

from screenplain.parsers import fountain as screenplain


def read(text: str) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The title page, and the script as (kind, text) with core.fountain's kind names,
    one entry per line (an action paragraph's lines, each line of a speech)."""
    play = screenplain.parse(io.StringIO(text))
    out: list[tuple[str, str]] = []
    for p in play.paragraphs:
        kind = type(p).__name__
        if kind == "Slug":
            out.append(("heading", str(p.line)))
        elif kind == "Action":
            out += [("action", str(line)) for line in p.lines]
        elif kind == "Dialog":
            out.append(("character", str(p.character)))
            out += [("parenthetical" if aside else "dialogue", str(x)) for aside, x in p.blocks]
        elif kind == "Transition":
            out.append(("transition", str(p.line)))
        else:
            out.append((kind, ""))
    return play.title_page, out
