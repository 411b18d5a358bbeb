"""A thread pasted as text, read back into messages.

Where the platform gives no history (the terminal, or a thread copied from elsewhere) a
writer pastes it, one message per line::

    Dana Okafor: ok target first. where did we land friday?
    [10:42] Lucía Herrera: we kind of landed on platinum
    Brann (GM): **Arc 3 goes to Lowmere.**

A line without a "Name:" prefix continues the message before it. Pasted messages have no
links and no timestamps of their own; each gets its position as ``ts`` ("p1", "p2", …) so
every point of the summary still says who said it and where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generation.summarize.model import ThreadMessage

_SPEAKER = re.compile(
    r"^\s*(?:\[[^\]]{1,20}\]\s*)?"  # an optional [10:42] or [Mon 10:42]
    r"(?:\d{1,2}:\d{2}(?:\s?[ap]m)?\s+)?"  # or a bare 10:42 / 10:42 AM
    r"@?(?P<name>[^\W\d][\w.'’\-]*(?:[ _][\w.'’\-]+){0,3}(?:\s\([^()]{1,20}\))?)"
    r"\s*:\s+(?P<text>\S.*)$"
)
_NOT_NAMES = frozenset({"http", "https", "note", "re", "q", "question", "answer", "edit", "ps"})


def parse_pasted(text: str) -> list[ThreadMessage]:
    """Messages from pasted "Name: message" lines (continuation lines join the last one)."""
    return messages_from_lines(text.splitlines())


def messages_from_lines(lines: Iterable[str]) -> list[ThreadMessage]:
    authors: list[str] = []
    current: list[tuple[str, list[str]]] = []
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _SPEAKER.match(line)
        name = match.group("name").strip() if match else ""
        if match and name.casefold() not in _NOT_NAMES:
            if name not in authors:
                authors.append(name)
            current.append((name, [match.group("text").strip()]))
        elif current:
            current[-1][1].append(line.strip())
    out: list[ThreadMessage] = []
    for i, (name, parts) in enumerate(current, start=1):
        uid = f"pasted:{authors.index(name) + 1}"
        out.append(ThreadMessage(name, uid, f"p{i}", "\n".join(parts)))
    return out


def looks_like_thread(text: str) -> bool:
    """At least two "Name: message" lines: worth reading as a thread."""
    return len(parse_pasted(text)) >= 2
