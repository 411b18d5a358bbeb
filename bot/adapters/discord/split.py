"""Cutting long text into pieces that fit Discord's limits without losing any of it.

Pieces end at the best boundary that fits: a blank line, then a line end, a sentence end,
a space, and only as a last resort mid-word. A piece that ends inside a ``` fence closes
it, and the next piece reopens it with the same opener (``` plus its language), so code
and screenplay blocks stay blocks on every page. Nothing is dropped: only the whitespace
at a cut and the added fence lines are not in the original.
"""

from __future__ import annotations

import unicodedata

FENCE = "```"
_CLOSER = "\n" + FENCE


def _fence_after(opener: str | None, text: str) -> str | None:
    """The fence opener still open after ``text``, given the one open before it."""
    for line in text.split("\n"):
        if line.lstrip().startswith(FENCE):
            opener = None if opener is not None else line.strip()
    return opener


def _best_cut(text: str, limit: int) -> int:
    """Where to cut ``text`` so that the piece before it has at most ``limit`` characters."""
    window = text[: limit + 1]
    floor = limit // 3  # a boundary too early wastes a page; then try a finer one
    for sep in ("\n\n", "\n"):
        at = window.rfind(sep, 0, limit)
        if at > floor:
            return at
    for sep in (". ", "! ", "? ", "; ", ", "):
        at = window.rfind(sep, 0, limit - 1)
        if at > floor:
            return at + 1
    at = window.rfind(" ", 0, limit)
    if at > 0:
        return at
    cut = limit
    # never separate a letter from its combining mark or an emoji from its joiner
    while cut > 1 and _is_combining(text[cut]):
        cut -= 1
    return cut


def _is_combining(ch: str) -> bool:
    return unicodedata.combining(ch) != 0 or ch in "\u200d\ufe0f"


class Splitter:
    """Hands out consecutive pieces of a text, each within the limit asked for."""

    def __init__(self, text: str) -> None:
        self._rest = text.strip("\n")
        self._open: str | None = None  # fence opener carried into the next piece

    @property
    def done(self) -> bool:
        return not self._rest.strip()

    def take(self, limit: int) -> str:
        """The next piece, at most ``limit`` characters (``limit`` must be at least 20)."""
        if limit < 20:
            raise ValueError("limit too small to split into")
        prefix = self._open + "\n" if self._open else ""
        budget = limit - len(prefix)
        if len(self._rest) <= budget:
            piece, self._rest = self._rest, ""
            self._open = None
            return prefix + piece
        cut = _best_cut(self._rest, budget - len(_CLOSER))
        piece = self._rest[:cut].rstrip()
        still_open = _fence_after(self._open, piece)
        self._rest = self._rest[cut:].lstrip("\n" if still_open else " \n")
        self._open = still_open
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
