"""What a thread summary is made of, whichever engine made it, and how it reads.

A ``Digest`` is plain data: the offline extractive summarizer, a model-backed one and the
map-reduce merge all produce it, and ``render_markdown`` turns it into the neutral markup a
``Reply`` body uses (**bold**, _italic_, "- " lists). Every point carries who said it and,
where the platform has links, the link to the message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from core.models import Usage


class _MessageLike(Protocol):
    @property
    def author(self) -> str: ...
    @property
    def author_id(self) -> str: ...
    @property
    def ts(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def link(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """One message of a thread as the platform gave it (text still in its markup)."""

    author: str
    author_id: str
    ts: str
    text: str
    link: str | None = None

    @classmethod
    def of(cls, message: _MessageLike) -> ThreadMessage:
        """From any message with the same fields (core.types.ChatMessage, for one)."""
        return cls(message.author, message.author_id, message.ts, message.text, message.link)


@dataclass(frozen=True, slots=True)
class Point:
    """A statement with its source: who said it, when, and where to find it."""

    text: str
    author: str
    ts: str
    link: str | None = None


@dataclass(frozen=True, slots=True)
class ActionItem:
    """Work someone took or was given. ``owner`` is a display name used in the thread."""

    owner: str
    task: str
    due: str | None
    source: Point


@dataclass
class Digest:
    """A producer-ready summary of a thread.

    ``decisions`` are the final state; ideas proposed and then dropped or reversed are in
    ``reversed``, never in ``decisions``. ``open_questions`` are those nobody answered
    (a question parked for later stays open). ``extractive`` says the points are quoted
    from the thread rather than written by a model; ``tldr_sources`` (when present) gives
    the source of each TL;DR sentence, in the same order.
    """

    tldr: list[str]
    decisions: list[Point]
    reversed: list[Point]
    open_questions: list[Point]
    action_items: list[ActionItem]
    story_changes: list[Point]
    characters: list[str]
    extractive: bool
    engine: str
    message_count: int
    tldr_sources: list[Point] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    """Parts of the thread the summary could not cover (a chunk the model failed on)."""
    usage: list[Usage] = field(default_factory=list)
    """Tokens each model call used (empty offline)."""

    @classmethod
    def empty(cls, engine: str, *, extractive: bool = True) -> Digest:
        return cls([], [], [], [], [], [], [], extractive, engine, 0)


EXTRACTIVE_NOTE = "Extractive summary: sentences quoted from the thread, no model."


def attribution(point: Point) -> str:
    """ "— Dana Okafor", with the message link when the platform has one."""
    return f"— {point.author}" + (f" ({point.link})" if point.link else "")


def _quoted(text: str) -> str:
    return "“" + text.strip().strip('“”"') + "”"


def _point_line(point: Point, *, extractive: bool, italic: bool = False) -> str:
    body = _quoted(point.text) if extractive else point.text.strip()
    if italic:
        body = f"_{body}_"
    return f"- {body} {attribution(point)}"


def render_markdown(d: Digest) -> str:
    """The digest as a Reply body: sections with "- " lists, each point attributed."""
    lines: list[str] = [f"**Thread summary** · {d.message_count:,} messages · {d.engine}"]
    if d.extractive:
        lines.append(f"_{EXTRACTIVE_NOTE}_")

    def section(title: str, body: list[str], empty: str | None = None) -> None:
        if not body and empty is None:
            return
        lines.extend(["", f"**{title}**"])
        lines.extend(body or [f"_{empty}_"])

    if d.tldr_sources and len(d.tldr_sources) == len(d.tldr):
        tldr = [_point_line(p, extractive=d.extractive) for p in d.tldr_sources]
    else:
        tldr = [f"- {s}" for s in d.tldr]
    section("TL;DR", tldr, "Nothing to summarize.")
    section("Decisions", [_point_line(p, extractive=d.extractive) for p in d.decisions], "None.")
    section(
        "Reversed or dropped",
        [_point_line(p, extractive=d.extractive, italic=True) for p in d.reversed],
    )
    section(
        "Open questions",
        [_point_line(p, extractive=d.extractive) for p in d.open_questions],
        "None left open.",
    )
    items = []
    for item in d.action_items:
        due = f" — due {item.due}" if item.due else ""
        items.append(f"- **{item.owner}**: {item.task}{due} {attribution(item.source)}")
    section("Action items", items, "None.")
    section("Story changes", [_point_line(p, extractive=d.extractive) for p in d.story_changes])
    section("Not covered", [f"- {g}" for g in d.gaps])
    if d.characters:
        lines.extend(["", f"**Characters mentioned:** {', '.join(d.characters)}"])
    return "\n".join(lines)
