"""Fountain scenes as Discord markdown that reads the same on desktop and on a phone.

A code block keeps Fountain's layout but scrolls sideways on a phone; formatted cues wrap:

    **INT. AIRLOCK - NIGHT**          scene heading, bold
    Mara checks the seal.             action, as written
    **MARA**                          character cue, bold
    _(quietly)_                       parenthetical, italic
    > We're not going back.           dialogue, quoted so it stands apart from action

Only replies whose format is "fountain" come here; the elements are core.fountain's.
"""

from __future__ import annotations

from core import fountain


def fountain_to_markdown(text: str) -> str:
    """Render a Fountain scene; every word of it stays, only marks are added."""
    out: list[str] = []
    for el in fountain.parse(text):
        if el.kind == "heading":
            out.append(f"**{el.text}**")
        elif el.kind == "character":
            out.append(f"**{fountain.cue_label(el.text)}**")
        elif el.kind in ("parenthetical", "transition"):
            out.append(f"_{el.text}_")
        elif el.kind == "dialogue":
            out.append(f"> {el.text}")
        else:
            out.append(el.text)
    return "\n".join(out)
