"""Cutting long text into pieces that fit a platform's limits without losing any of it.

One splitter for every adapter; each asks for pieces of its own sizes (Slack: 3,000
characters per section; Discord: 2,000 per message, 4,096 per embed description, 1,024
per field). A piece ends at the best boundary that fits:

1. between paragraphs: a paragraph (so a Fountain block: cue, parenthetical, dialogue)
   or a whole code fence that would fit in a piece of its own is never cut;
2. between lines;
3. after a sentence, then after a clause;
4. between words, outside emphasis and code spans where a space outside exists;
5. mid-word as a last resort, never inside an entity (``&amp;``) nor between a letter
   and its combining mark.

A boundary in the first third of a piece is taken only if it keeps the next paragraph
or line whole; otherwise the piece is filled with a finer cut. A piece that ends inside a
``` fence closes it, and the next reopens it with the same opener (``` and its language);
a quoted line cut in two keeps its quote mark on the next piece. Nothing is dropped: only
whitespace at a cut and the added fence and quote marks are not in the original.
"""

from __future__ import annotations

import re
import unicodedata

FENCE = "```"
_CLOSER = "\n" + FENCE
MIN_LIMIT = 20
_SPAN = re.compile(r"\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~|`[^`\n]+`")
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_QUOTE = re.compile(r">\s?")
_SENTENCE_END = re.compile(r"[.!?…](?= )")
_CLAUSE_END = re.compile(r"[;,](?= )")
_BLANK_LINES = re.compile(r"^(?:[ \t]*\n)+")


def _is_fence(line: str) -> bool:
    return line.lstrip().startswith(FENCE)


def _fence_after(opener: str | None, text: str) -> str | None:
    """The fence opener still open after ``text``, given the one open before it."""
    for line in text.split("\n"):
        if _is_fence(line):
            opener = None if opener is not None else line.strip()
    return opener


def _line_cuts(text: str, end: int, in_fence: bool) -> tuple[list[int], list[int]]:
    """Where ``text`` (up to ``end``) may be cut between paragraphs and between lines.

    A cut at ``at`` leaves ``text[:at]`` in the piece. A fence is one unit, like a
    paragraph: inside it there are only line cuts."""
    paragraphs: list[int] = []
    lines: list[int] = []
    rows = text[: end + 1].split("\n")
    at = 0
    for i, line in enumerate(rows[:-1]):
        at += len(line)
        fence = _is_fence(line)
        closes = fence and in_fence
        in_fence = in_fence != fence
        lines.append(at)
        following = rows[i + 1]
        ends_unit = not following.strip() or _is_fence(following)
        if (line.strip() and not in_fence and ends_unit) or closes:
            paragraphs.append(at)
        at += 1
    return paragraphs, lines


def _unit_after(cuts: list[int], at: int, text: str) -> int:
    """How long the unit that starts after the cut ``at`` is (blank lines skipped)."""
    start = len(text) - len(_BLANK_LINES.sub("", text[at + 1 :])) if at < len(text) else at
    later = [c for c in cuts if c > start]
    return (later[0] if later else len(text)) - start


def _inside(spans: list[tuple[int, int]], i: int) -> bool:
    return any(start < i < end for start, end in spans)


def _is_combining(ch: str) -> bool:
    return unicodedata.combining(ch) != 0 or ch in "\u200d\ufe0f"


def _within_line(text: str, limit: int, floor: int) -> int:
    """A cut in the line around ``limit``: after a sentence or a clause, between words,
    or mid-word; never inside an emphasis or code span where another cut exists."""
    start = text.rfind("\n", 0, limit) + 1
    end = text.find("\n", start)
    line = text[start : end if end >= 0 else len(text)]
    spans = [(start + a, start + b) for a, b in (m.span() for m in _SPAN.finditer(line))]
    window = text[: limit + 1]
    for pattern in (_SENTENCE_END, _CLAUSE_END):
        ends = [m.end() for m in pattern.finditer(window, max(floor, start))]
        ends = [at for at in ends if at <= limit and not _inside(spans, at)]
        if ends:
            return ends[-1]
    spaces = [i for i in range(min(limit, len(text) - 1), start, -1) if text[i] == " "]
    for i in spaces:
        if not _inside(spans, i):
            return i
    if spaces:
        return spaces[0]
    cut = limit  # one word longer than the limit: cut it, but not inside an entity
    for m in _ENTITY.finditer(text, max(0, limit - 6), limit + 6):
        if m.start() < cut < m.end():
            cut = m.start()
    while cut > 1 and _is_combining(text[cut]):
        cut -= 1  # never separate a letter from its combining mark or an emoji's joiner
    return max(cut, 1)


def _best_cut(text: str, limit: int, in_fence: bool) -> int:
    """Where to cut ``text`` so that the piece before it has at most ``limit`` characters."""
    floor = limit // 3  # a boundary this early wastes a piece, unless it keeps a unit whole
    for cuts in _line_cuts(text, 2 * limit + 2, in_fence):
        fitting = [c for c in cuts if 0 < c <= limit]
        if fitting and (fitting[-1] > floor or _unit_after(cuts, fitting[-1], text) <= limit):
            return fitting[-1]
    return _within_line(text, limit, floor)


class Splitter:
    """Hands out consecutive pieces of a text, each within the limit asked for."""

    def __init__(self, text: str) -> None:
        self._rest = text.strip("\n")
        self._open: str | None = None  # fence opener carried into the next piece

    @property
    def done(self) -> bool:
        return not self._rest.strip()

    def take(self, limit: int) -> str:
        """The next piece, at most ``limit`` characters (``limit`` at least MIN_LIMIT),
        never whitespace alone: a run of spaces longer than a piece (an indent of
        thousands) goes as a cut's whitespace does, not as an empty message or section,
        which platforms refuse."""
        if limit < MIN_LIMIT:
            raise ValueError("limit too small to split into")
        while True:
            piece = self._cut(limit)
            if piece.strip() or self.done:
                return piece

    def _cut(self, limit: int) -> str:
        prefix = self._open + "\n" if self._open else ""
        budget = limit - len(prefix)
        rest = self._rest
        if len(rest) <= budget:
            self._rest, self._open = "", None
            return prefix + rest
        cut = _best_cut(rest, budget, self._open is not None)
        if _fence_after(self._open, rest[:cut]) is not None:  # room for the closing fence
            cut = _best_cut(rest, budget - len(_CLOSER), self._open is not None)
        piece = rest[:cut].rstrip()
        still_open = _fence_after(self._open, piece)
        after = rest[cut:]
        if after.startswith("\n") or not after:
            after = _BLANK_LINES.sub("", after[1:])
        else:  # cut inside a line: a quoted line goes on quoted
            line = piece[piece.rfind("\n") + 1 :]
            quote = _QUOTE.match(line) if still_open is None else None
            after = (quote.group() if quote else "") + after.lstrip(" ")
        self._rest, self._open = after, still_open
        return prefix + piece + (_CLOSER if still_open else "")


def split_text(text: str, limit: int) -> list[str]:
    """All of ``text`` in pieces of at most ``limit`` characters."""
    splitter = Splitter(text)
    pieces: list[str] = []
    while not splitter.done:
        pieces.append(splitter.take(limit))
    return pieces


def tail(text: str, limit: int, marker: str = "…\n") -> str:
    """The end of a text still being written, within ``limit`` (a live preview only)."""
    if len(text) <= limit:
        return text
    keep = text[-(limit - len(marker) - 24) :]
    line = keep.find("\n")
    if 0 <= line < len(keep) // 2:
        keep = keep[line + 1 :]
    opener = _fence_after(None, text[: len(text) - len(keep)])
    return marker + (opener[:20] + "\n" if opener else "") + keep
