"""Thread summaries: /summarize thread, catch-up and channel recaps.

``summarize_offline`` (no model, extractive) and ``mapreduce.summarize_with_model`` (any
chat model, bounded concurrency, deterministic merge) both return a ``Digest``;
``render_markdown`` turns it into a reply body cut to the size a producer forwards.
``DigestState`` stores what a digest said, ``catch_up`` says what changed since, and
``render_catch_up`` writes it; ``recap_offline`` and ``render_recap`` recap a channel's
threads over a period (``parse_since`` reads "yesterday", "monday", "2026-11-30"). The
async entry points that pick the model or the offline engine are in ``engine``.
"""

from generation.summarize.catchup import CatchUp, DigestState, catch_up, render_catch_up
from generation.summarize.channel import (
    ChannelRecap,
    ChannelThread,
    PeriodError,
    messages_between,
    parse_since,
    recap_offline,
    render_recap,
)
from generation.summarize.model import (
    ActionItem,
    Answer,
    Digest,
    Point,
    Reversal,
    ThreadMessage,
    render_markdown,
)
from generation.summarize.offline import summarize_offline

__all__ = [
    "ActionItem",
    "Answer",
    "CatchUp",
    "ChannelRecap",
    "ChannelThread",
    "Digest",
    "DigestState",
    "PeriodError",
    "Point",
    "Reversal",
    "ThreadMessage",
    "catch_up",
    "messages_between",
    "parse_since",
    "recap_offline",
    "render_catch_up",
    "render_markdown",
    "render_recap",
    "summarize_offline",
]
