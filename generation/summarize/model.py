"""What a thread summary is made of, whichever engine made it, and how it reads.

A ``Digest`` is plain data: the offline extractive summarizer, a model-backed one and the
map-reduce merge all produce it, and ``render_markdown`` turns it into the neutral markup a
``Reply`` body uses (**bold**, _italic_, "- " lists), cut to the size a producer forwards
(generation/summarize/render.py). Every point carries who said it, when, and, where the
platform has links, the link to the message.
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
    weight: float = 1.0
    """How sure the summarizer is of the point: a short digest keeps the surest first."""


@dataclass(frozen=True, slots=True)
class ActionItem:
    """Work someone took or was given. ``owner`` is a display name used in the thread."""

    owner: str
    task: str
    due: str | None
    source: Point


@dataclass(frozen=True, slots=True)
class Reversal:
    """An earlier call and the later message that reversed it."""

    earlier: Point
    by: Point


@dataclass(frozen=True, slots=True)
class Answer:
    """A question the thread answered, and the message that answered it."""

    question: Point
    answer: Point


@dataclass
class Digest:
    """A producer-ready summary of a thread.

    ``decisions`` are the final state, each as the sentence that decided it; calls made
    and then reversed, and ideas dropped, are in ``reversed``, never in ``decisions``
    (``reversals`` pairs each reversed call with what reversed it). ``open_questions`` are
    those nobody answered (a question parked for later stays open); ``answered`` are the
    others, with their answers. ``story_changes`` are what the bible would record: the
    decisions about the story and the details of the pitches they accepted (the rendering
    lists only what the decisions do not already say). ``extractive`` says the points are
    quoted from the thread rather than written by a model; ``tldr_sources`` (when
    present) gives the source of each TL;DR sentence, in the same order.
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
    reversals: list[Reversal] = field(default_factory=list)
    answered: list[Answer] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader should know about the thread itself ("only emoji", "not English")."""
    untraced: int = 0
    """Points a model made that no message of the thread supports: dropped, and counted."""
    thread_chars: int = 0
    """Characters of the thread's messages: the yardstick of the digest's size."""
    last_ts: str = ""
    """The newest message the digest read, where a catch-up starts from."""
    room: list[str] = field(default_factory=list)
    """The thread's authors, in order of their first message (the people, not characters)."""
    omitted: dict[str, int] = field(default_factory=dict)
    """Points left out to keep the digest short, by section (set by ``render.fit``)."""

    @classmethod
    def empty(cls, engine: str, *, extractive: bool = True) -> Digest:
        return cls([], [], [], [], [], [], [], extractive, engine, 0)


def render_markdown(d: Digest) -> str:
    """The digest as a Reply body, within its size budget (see generation.summarize.render)."""
    from generation.summarize.render import render_digest

    return render_digest(d)
