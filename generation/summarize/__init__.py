"""Thread summaries: /summarize thread.

``summarize_offline`` (no model, extractive) and ``summarize_map_reduce`` (any chunk
summarizer, bounded concurrency, deterministic merge) both return a ``Digest``;
``render_markdown`` turns it into a reply body.
"""

from generation.summarize.model import (
    ActionItem,
    Digest,
    Point,
    ThreadMessage,
    render_markdown,
)
from generation.summarize.offline import summarize_offline

__all__ = [
    "ActionItem",
    "Digest",
    "Point",
    "ThreadMessage",
    "render_markdown",
    "summarize_offline",
]
