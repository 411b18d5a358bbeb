"""/story stats: how the room rated the generated replies of this channel.

Replies a model or the offline engine wrote carry Good / Not good buttons (on Slack; see
storage/feedback.py), recorded with the command, engine and model that made them. This
adds them up for the channel the command is asked in, and only that channel: another
channel's votes, even in the same workspace, are that room's business.

Rows come most-rated first (the store's order): a share of good votes means more the more
votes stand behind it, and the rows a room reads first are the ones it has used most. The
votes carry no model release date to sort "newest model" by, only the model's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.context import Context
from bot.registry import CommandSpec
from core.types import NoArgs, Reply
from storage.api import FeedbackCount

MAX_ROWS = 20
"""Rows shown; a room with more combinations sees its most-rated ones."""
HEADINGS = ("Command", "Engine", "Model", "Good", "Not good", "Good share")
NO_FEEDBACK = (
    "No feedback in this channel yet. Generated replies carry Good / Not good buttons "
    "where the platform has them; the votes are added up here."
)


async def stats(ctx: Context[NoArgs]) -> None:
    platform, workspace, channel = ctx.place.story_key
    counts = await ctx.store.feedback_counts(platform, workspace, [channel])
    if not counts:
        await ctx.reply(Reply.info(NO_FEEDBACK, title="Feedback"))
        return
    good = sum(c.good for c in counts)
    votes = sum(c.votes for c in counts)
    more = len(counts) - MAX_ROWS
    body = f"```\n{table(counts[:MAX_ROWS])}\n```"
    if more > 0:
        body += f"\n_{more} more, with fewer votes, not shown._"
    summary = f"{votes} vote{'s' if votes != 1 else ''} in this channel, {share(good, votes)} good."
    await ctx.reply(Reply.info(f"{summary}\n{body}", title="Feedback"))


def table(counts: Sequence[FeedbackCount]) -> str:
    """The counts as aligned columns (a code block keeps them aligned on every platform)."""
    rows = [HEADINGS] + [
        (f"/{c.command}", c.engine, c.model or "-", str(c.good), str(c.bad), share(c.good, c.votes))
        for c in counts
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    numeric = {3, 4, 5}
    lines = [
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    return "\n".join(lines)


def share(good: int, votes: int) -> str:
    return f"{round(100 * good / votes)}%" if votes else "-"


STATS = CommandSpec(
    "stats",
    "How this channel rated the generated replies: good / not good by command and model.",
    handler=stats,
    args=NoArgs,
)
