"""Exports of a story bible in the formats a writers' room's tools read.

``export(bible, fmt)`` returns the file (name, bytes, type); no storage, no platform.
Fountain and Final Draft hold the script (title page and saved scenes); Markdown the
whole bible for reading; JSON everything, including the history, for keeping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.models import Bible, Revision
from generation.export.fdx import to_fdx
from generation.export.fountain import to_fountain
from generation.export.jsonfile import from_json, to_json
from generation.export.markdown import to_markdown
from generation.export.screenplay import screenplay

Format = Literal["fountain", "fdx", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("fountain", "fdx", "markdown", "json")
_EXT = {"fountain": "fountain", "fdx": "fdx", "markdown": "md", "json": "json"}
_MIME = {
    "fountain": "text/plain",
    "fdx": "application/xml",
    "markdown": "text/markdown",
    "json": "application/json",
}


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    content: bytes
    mime: str


def export(
    bible: Bible, fmt: Format, revisions: Sequence[Revision] = (), date: str = ""
) -> ExportFile:
    """The story in ``fmt``. ``revisions`` oldest first; ``date`` goes on the title page."""
    if fmt == "fountain":
        content = to_fountain(screenplay(bible, revisions, date)).encode()
    elif fmt == "fdx":
        content = to_fdx(screenplay(bible, revisions, date))
    elif fmt == "markdown":
        content = to_markdown(bible, date).encode()
    elif fmt == "json":
        content = to_json(bible, revisions, date).encode()
    else:
        raise ValueError(f"unknown export format: {fmt}")
    return ExportFile(f"{slug(bible.story.title)}.{_EXT[fmt]}", content, _MIME[fmt])


def slug(title: str) -> str:
    """A file name every platform accepts: ASCII letters, digits and dashes."""
    flat = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return flat or "story"


__all__ = ["FORMATS", "ExportFile", "Format", "export", "from_json", "slug", "to_json"]
