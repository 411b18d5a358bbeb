"""Cutting mrkdwn at Slack's size limits without breaking what a reader sees.

The text is cut between paragraphs first (a Fountain block - cue, parenthetical, dialogue -
is one paragraph), then between lines, then between words, never inside an ``*emphasis*``
span or an ``&amp;`` entity when another place exists. A code fence that must be cut is
closed at the end of one piece and reopened at the start of the next. Nothing is dropped:
joining the pieces gives back every word in order.
"""

from __future__ import annotations

import re

_FENCE = "```"
_SPAN = re.compile(r"\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~|`[^`\n]+`")
_ENTITY = re.compile(r"&(?:amp|lt|gt);")


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at the most natural places."""
    if limit < 16:
        raise ValueError("limit too small to split sensibly")
    pieces: list[str] = []
    current = ""
    for unit in _units(text):
        for part in _fit(unit, limit):
            joined = f"{current}\n\n{part}" if current else part
            if len(joined) <= limit:
                current = joined
            else:
                pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def _units(text: str) -> list[str]:
    """Paragraphs (runs of non-blank lines) and whole code fences, in order."""
    units: list[str] = []
    lines: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        is_fence = line.strip().startswith(_FENCE)
        if in_fence:
            lines.append(line)
            if is_fence:
                units.append("\n".join(lines))
                lines, in_fence = [], False
        elif is_fence:
            if lines:
                units.append("\n".join(lines))
            lines, in_fence = [line], True
        elif line.strip():
            lines.append(line)
        elif lines:
            units.append("\n".join(lines))
            lines = []
    if lines:
        if in_fence:
            lines.append(_FENCE)
        units.append("\n".join(lines))
    return units


def _fit(unit: str, limit: int) -> list[str]:
    if len(unit) <= limit:
        return [unit]
    if unit.lstrip().startswith(_FENCE):
        inner = unit.split("\n")[1:-1]
        body = _pack_lines(inner, limit - 2 * len(_FENCE) - 2)
        return [f"{_FENCE}\n{piece}\n{_FENCE}" for piece in body]
    return _pack_lines(unit.split("\n"), limit)


def _pack_lines(lines: list[str], limit: int) -> list[str]:
    pieces: list[str] = []
    current: str | None = None
    for line in lines:
        for part in split_line(line, limit):
            joined = part if current is None else f"{current}\n{part}"
            if len(joined) <= limit:
                current = joined
            else:
                if current is not None:
                    pieces.append(current)
                current = part
    if current is not None:
        pieces.append(current)
    return pieces


def split_line(line: str, limit: int) -> list[str]:
    """One line cut between words; a quoted line keeps its ">" on every piece."""
    prefix = ">" if line.startswith(">") else ""
    pieces: list[str] = []
    while len(line) > limit:
        cut = _cut_point(line, limit)
        pieces.append(line[:cut].rstrip())
        line = prefix + line[cut:].lstrip()
        if line == prefix:
            line = ""
    if line or not pieces:
        pieces.append(line)
    return pieces


def _cut_point(line: str, limit: int) -> int:
    protected = [m.span() for m in _SPAN.finditer(line)]

    def inside(i: int) -> bool:
        return any(start < i < end for start, end in protected)

    spaces = [i for i in range(1, limit + 1) if i < len(line) and line[i].isspace()]
    for i in reversed(spaces):
        if not inside(i):
            return i
    if spaces:
        return spaces[-1]
    cut = limit  # one word longer than the limit: cut it, but not inside an entity
    for m in _ENTITY.finditer(line, max(0, limit - 6), limit + 6):
        if m.start() < cut < m.end():
            cut = m.start()
    return max(cut, 1)
