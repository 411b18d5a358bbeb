"""Fountain scenes as Discord markdown that reads the same on desktop and on a phone.

A code block keeps Fountain's layout but scrolls sideways on a phone; formatted cues wrap:

    **INT. AIRLOCK - NIGHT**          scene heading, bold
    Mara checks the seal.             action, as written
    **MARA**                          character cue, bold
    _(quietly)_                       parenthetical, italic
    > We're not going back.           dialogue, quoted so it stands apart from action
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^(INT|EXT|EST|INT\./EXT|I/E)[. ]", re.IGNORECASE)
_CUE = re.compile(r"^[A-Z][A-Z .'\-]{0,38}[A-Z.)]?(\s*\((V\.O\.|O\.S\.|O\.C\.|CONT'D)\))?\^?$")
_TRANSITION = re.compile(r"^[A-Z ]+TO:$")


def _is_cue(line: str, following: str) -> bool:
    text = line.strip()
    if not _CUE.match(text) or _HEADING.match(text) or _TRANSITION.match(text):
        return False
    nxt = following.strip()
    return bool(nxt) and not nxt.startswith(("- ", "* ", "#", ">")) and not _CUE.match(nxt)


def looks_like_fountain(text: str) -> bool:
    """Two character cues, each followed by dialogue, or a scene heading and one cue."""
    if "```" in text:
        return False  # the writer or the model chose its own layout
    lines = text.split("\n")
    cues = sum(
        1
        for i, line in enumerate(lines[:-1])
        if (i == 0 or not lines[i - 1].strip()) and _is_cue(line, lines[i + 1])
    )
    headings = sum(1 for line in lines if _HEADING.match(line.strip()))
    return cues >= 2 or (headings >= 1 and cues >= 1)


def fountain_to_markdown(text: str) -> str:
    """Render a Fountain scene; every word of it stays, only marks are added."""
    lines = text.split("\n")
    out: list[str] = []
    in_speech = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            in_speech = False
            out.append("")
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        previous_blank = i == 0 or not lines[i - 1].strip()
        if previous_blank and _HEADING.match(line):
            out.append(f"**{line.lstrip('.')}**")
        elif previous_blank and _TRANSITION.match(line):
            out.append(f"_{line}_")
        elif previous_blank and _is_cue(line, following):
            out.append(f"**{line.rstrip('^').strip()}**")
            in_speech = True
        elif in_speech and line.startswith("(") and line.endswith(")"):
            out.append(f"_{line}_")
        elif in_speech:
            out.append(f"> {line}")
        else:
            out.append(line)
    return "\n".join(out)
