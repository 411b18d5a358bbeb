"""Replies as terminal text: plain for pipes, with a little ANSI colour on a TTY."""

from __future__ import annotations

import re
import textwrap

from core.types import Reply

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(?!_)(.+?)(?<!_)_(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")

_HINTS = {"regenerate": "again", "continue": "continue", "save": "save"}


def _inline(text: str, ansi: bool) -> str:
    if ansi:
        text = _BOLD.sub("\x1b[1m\\1\x1b[0m", text)
        text = _ITALIC.sub("\x1b[3m\\1\x1b[0m", text)
    else:
        text = _BOLD.sub(r"\1", text)
        text = _ITALIC.sub(r"\1", text)
    return _CODE.sub(r"\1", text)


def render(reply: Reply, *, ansi: bool = False, width: int = 88) -> str:
    out: list[str] = []
    if reply.title:
        title = reply.title
        out.append(f"\x1b[1m== {title} ==\x1b[0m" if ansi else f"== {title} ==")
    if reply.body:
        prefix = "! " if reply.tone == "error" else ""
        in_fence = False
        for line in reply.body.splitlines():
            if line.startswith("```"):
                in_fence = not in_fence
                continue
            out.append(prefix + (line if in_fence else _inline(line, ansi)))
    inline = [f for f in reply.fields if f.inline]
    if inline:
        out.append("   ".join(f"{f.label}: {_inline(f.value, ansi)}" for f in inline))
    for f in reply.fields:
        if f.inline:
            continue
        value = _inline(f.value, ansi)
        wrapped = (
            textwrap.fill(value, width=width, initial_indent=f"{f.label}: ", subsequent_indent="  ")
            if "\n" not in value
            else f"{f.label}:\n{value}"
        )
        out.append(wrapped)
    for image in reply.images:
        out.append(f"[image: {image.alt} -> {image.path}]")
    for file in reply.files:
        out.append(f"[file: {file.filename}, {len(file.content):,} bytes]")
    if reply.footer:
        out.append(f"-- {reply.footer}")
    hints = [_HINTS[a.kind] for a in reply.actions if a.kind in _HINTS]
    hints += [f"use {a.ref.rpartition('.')[2]}" for a in reply.actions if a.kind == "choose"]
    if hints:
        out.append(
            "   (reply here: "
            + " · ".join([*hints, "shorter", "longer"] if "continue" in hints else hints)
            + ")"
        )
    return "\n".join(out)
