"""/summarize channel: a recap of a channel's threads and messages over a period, thread
by thread (the adapter reads the history: Slack's conversations.history, Discord's
channel and its threads), at most MAX_CHANNEL_MESSAGES of them, the newest kept."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.context import Context
from bot.params import param
from commands.summaries import DeliveredArgs, cast_names
from core.errors import CommandError
from core.types import HistoryThread, Reply
from generation.summarize import engine as summarizers
from generation.summarize.channel import (
    ChannelThread,
    PeriodError,
    message_time,
    messages_between,
    parse_since,
    render_recap,
)
from generation.summarize.model import ThreadMessage

MAX_CHANNEL_MESSAGES = 5_000


@dataclass(frozen=True, slots=True)
class ChannelArgs(DeliveredArgs):
    since: str = param(
        "From when: yesterday, today, monday, 2026-11-30 or 3d", text=True, default="yesterday"
    )


async def summarize_channel(ctx: Context[ChannelArgs]) -> None:
    """Recap the channel's threads and messages since the period's start, by thread."""
    try:
        since = parse_since(ctx.args.since, datetime.now(UTC))
    except PeriodError as exc:
        raise CommandError(str(exc)) from None
    read = await ctx.responder.channel_history(since, limit=MAX_CHANNEL_MESSAGES + 1)
    threads = [_recap_thread(t, since) for t in read]
    total = sum(len(t.messages) for t in threads)
    note = ""
    if total > MAX_CHANNEL_MESSAGES:
        threads, note = (
            _newest(threads, MAX_CHANNEL_MESSAGES),
            (
                f"_More than {MAX_CHANNEL_MESSAGES:,} messages were posted in this period: this "
                "recap covers the newest of them. Pick a shorter period for all of it._\n\n"
            ),
        )

    async def progress(text: str, fraction: float | None) -> None:
        await ctx.responder.progress(text, fraction)

    recap = await summarizers.recap_channel(
        threads, ctx.engine, since=since, progress=progress, characters=await cast_names(ctx)
    )
    for r in recap.threads:
        for usage in r.digest.usage:
            await ctx.store.record_usage(ctx.place.story_key, ctx.author.id, usage)
    await ctx.reply(
        Reply(
            title="Channel recap",
            body=note + render_recap(recap),
            footer=f"{recap.engine} · every point names who said it",
            private=ctx.args.private,
        )
    )


def _recap_thread(thread: HistoryThread, since: datetime) -> ChannelThread:
    messages = messages_between([ThreadMessage.of(m) for m in thread.messages], since)
    return ChannelThread(messages, title=thread.title, link=thread.link, loose=thread.loose)


def _newest(threads: list[ChannelThread], keep: int) -> list[ChannelThread]:
    """The threads cut to the newest ``keep`` messages of them all (undated ones stay)."""
    times = (message_time(m) for t in threads for m in t.messages)
    sent = sorted((t for t in times if t is not None), reverse=True)
    if len(sent) <= keep:
        return threads
    cut = sent[keep - 1]

    def recent(m: ThreadMessage) -> bool:
        t = message_time(m)
        return t is None or t >= cut

    return [dataclasses.replace(t, messages=[m for m in t.messages if recent(m)]) for t in threads]
