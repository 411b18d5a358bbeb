"""A channel's recap over a period: each thread's digest, grouped by thread, in one reply.

The platform side (Slack ``conversations.history`` and ``conversations.replies`` with
pagination, Discord channel history) gathers the channel's threads; a command hands them
here as ``ChannelThread``s, each with its messages of the period (``messages_between``
cuts a thread's history to it) and the channel's messages outside any thread as one more,
``loose``. ``recap_offline`` summarizes each one with the offline summarizer (the engine
entry point ``generation.summarize.engine.recap_channel`` uses a model when there is one)
and ``render_recap`` writes them under one heading, the busiest thread first, within one
size budget for the whole recap.

``parse_since`` reads the period a writer asks for: "yesterday", "today", a weekday
("monday": the latest one, today included), a date ("2026-11-30"), or a span ("3d", "12h",
"2w", "last week").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from generation.summarize.model import Digest, ThreadMessage
from generation.summarize.offline import summarize_offline
from generation.summarize.render import budget, render_body
from generation.summarize.text import trim_words

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_SPAN = re.compile(r"^(\d{1,3})\s*(h|hours?|d|days?|w|weeks?)$")
TITLE_WORDS = 10
MIN_SHARE = 350
"""Characters a thread's part of the recap may always take, however small its share."""


class PeriodError(ValueError):
    """A period a writer typed that is not one ``parse_since`` reads; its message says
    what is (the command layer shows it as a CommandError)."""


def parse_since(text: str, now: datetime) -> datetime:
    """The start of the period ``text`` names, in ``now``'s time zone (UTC when naive)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    word = text.strip().lower().removeprefix("since:").strip()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if word in ("today", "this morning"):
        return midnight
    if word == "yesterday":
        return midnight - timedelta(days=1)
    if word in ("last week", "a week ago"):
        return now - timedelta(days=7)
    day = word[:3]
    for k, name in enumerate(_WEEKDAYS):
        if word == name or (len(word) >= 3 and name.startswith(word) and day == name[:3]):
            back = (now.weekday() - k) % 7
            return midnight - timedelta(days=back)
    span = _SPAN.match(word)
    if span:
        n, unit = int(span.group(1)), span.group(2)[0]
        hours = n * {"h": 1, "d": 24, "w": 24 * 7}[unit]
        return now - timedelta(hours=hours)
    try:
        parsed = date.fromisoformat(word)
    except ValueError:
        parsed = None
    if parsed is not None:
        start = datetime(parsed.year, parsed.month, parsed.day, tzinfo=now.tzinfo)
        if start > now:
            raise PeriodError(f"{word} is in the future: pick a day up to today.")
        return start
    raise PeriodError(
        f"I can't read “{text.strip()}” as a time. Try since:yesterday, since:today, "
        "since:monday, since:2026-11-30 or since:3d."
    )


def message_time(m: ThreadMessage) -> datetime | None:
    """When a message was sent (its platform timestamp), or None for a pasted one."""
    try:
        return datetime.fromtimestamp(float(m.ts), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def messages_between(
    messages: Sequence[ThreadMessage], since: datetime, until: datetime | None = None
) -> list[ThreadMessage]:
    """The messages sent from ``since`` (and before ``until``); undated ones are kept."""
    out = []
    for m in messages:
        sent = message_time(m)
        if sent is None or (sent >= since and (until is None or sent < until)):
            out.append(m)
    return out


@dataclass(frozen=True)
class ChannelThread:
    """One thread of the channel over the period, or the channel's loose messages."""

    messages: Sequence[ThreadMessage]
    title: str | None = None
    """What to call it; None: the start of its first message."""
    link: str | None = None
    """Where it is; None: its first message's link."""
    loose: bool = False
    """Messages posted in the channel outside any thread."""

    def name(self) -> str:
        if self.loose:
            return "In the channel"
        if self.title:
            return self.title
        first = self.messages[0].text if self.messages else ""
        return trim_words(" ".join(first.split()), TITLE_WORDS) or "A thread"

    def where(self) -> str | None:
        return self.link or (self.messages[0].link if self.messages else None)


@dataclass
class ThreadRecap:
    thread: ChannelThread
    digest: Digest


@dataclass
class ChannelRecap:
    since: datetime | None
    threads: list[ThreadRecap] = field(default_factory=list)
    engine: str = ""

    @property
    def message_count(self) -> int:
        return sum(r.digest.message_count for r in self.threads)

    @property
    def chars(self) -> int:
        return sum(r.digest.thread_chars for r in self.threads)


def recap_offline(
    threads: Sequence[ChannelThread],
    *,
    since: datetime | None = None,
    characters: Sequence[str] = (),
) -> ChannelRecap:
    """Each non-empty thread summarized offline, the busiest first."""
    recap = ChannelRecap(since, engine="offline extractive summarizer")
    for thread in threads:
        if thread.messages:
            digest = summarize_offline(list(thread.messages), characters=characters)
            recap.threads.append(ThreadRecap(thread, digest))
    recap.threads.sort(key=lambda r: -r.digest.message_count)
    return recap


def _period(since: datetime | None) -> str:
    return f"since {since.strftime('%a %b %d %H:%M')} UTC" if since is not None else ""


def render_recap(recap: ChannelRecap) -> str:
    """The recap as a reply body: a heading, then each thread with its digest's sections,
    all within one budget (a quarter of the period's messages, less for long periods),
    each thread's part in proportion to its size."""
    n = len(recap.threads)
    when = _period(recap.since)
    head = [
        f"**Channel recap** {when} · {n} thread{'s' if n != 1 else ''} · "
        f"{recap.message_count:,} messages · {recap.engine}".replace("  ", " ")
    ]
    if not recap.threads:
        return "\n".join([*head, "", "_Nothing was posted in this period._"])
    total = max(MIN_SHARE * n, budget(_whole(recap)))
    chars = max(1, recap.chars)
    lines = list(head)
    for r in recap.threads:
        share = max(MIN_SHARE, int(total * r.digest.thread_chars / chars))
        where = r.thread.where()
        title = f"**{r.thread.name()}**" + (f" ({where})" if where else "")
        lines += ["", f"{title} · {r.digest.message_count:,} messages"]
        body = render_body(r.digest, share)
        lines += body or ["_Nothing decided, asked or assigned._"]
    return "\n".join(lines)


def _whole(recap: ChannelRecap) -> Digest:
    """A stand-in digest the size of the whole period, to size the recap's budget."""
    d = Digest.empty(recap.engine)
    d.message_count = recap.message_count
    d.thread_chars = recap.chars
    return d


__all__ = [
    "ChannelRecap",
    "ChannelThread",
    "PeriodError",
    "ThreadRecap",
    "message_time",
    "messages_between",
    "parse_since",
    "recap_offline",
    "render_recap",
]
