"""A Screenplay as Fountain text (fountain.io/syntax): title page, then the script.

The script is written by core.fountain, so an action line can never be read as a cue or
a heading, and text that Fountain would hide (boneyard ``/* */``, notes ``[[ ]]``) is
broken up rather than swallowed.
"""

from __future__ import annotations

from core import fountain
from generation.export.screenplay import Screenplay


def to_fountain(play: Screenplay) -> str:
    lines = [f"Title: {fountain.visible(play.title)}", f"Credit: {play.credit}"]
    if len(play.authors) > 1:
        lines.append("Authors:")
        lines += [f"    {fountain.visible(a)}" for a in play.authors]
    else:
        lines.append(f"Author: {fountain.visible(play.authors[0])}")
    if play.draft_date:
        lines.append(f"Draft date: {play.draft_date}")
    if play.notes:
        lines.append(f"Notes: {fountain.visible(play.notes)}")
    parts = ["\n".join(lines), fountain.write(play.elements)]
    return "\n\n".join(x for x in parts if x) + "\n"
