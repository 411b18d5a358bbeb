"""Channel recaps: a period read from what a writer types, threads grouped in one reply."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from generation.summarize import (
    ChannelThread,
    PeriodError,
    messages_between,
    parse_since,
    recap_offline,
    render_recap,
)
from generation.summarize.engine import recap_channel
from generation.summarize.render import read_length
from tests.summarize.threads import held_out_thread, many, orchard_thread

NOW = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("yesterday", datetime(2026, 12, 1, tzinfo=UTC)),
        ("since:today", datetime(2026, 12, 2, tzinfo=UTC)),
        ("monday", datetime(2026, 11, 30, tzinfo=UTC)),
        ("Wed", datetime(2026, 12, 2, tzinfo=UTC)),
        ("thursday", datetime(2026, 11, 26, tzinfo=UTC)),
        ("2026-11-30", datetime(2026, 11, 30, tzinfo=UTC)),
        ("3d", datetime(2026, 11, 29, 15, 30, tzinfo=UTC)),
        ("12h", datetime(2026, 12, 2, 3, 30, tzinfo=UTC)),
        ("last week", datetime(2026, 11, 25, 15, 30, tzinfo=UTC)),
    ],
)
def test_parse_since_reads_days_dates_and_spans(text: str, start: datetime) -> None:
    assert parse_since(text, NOW) == start


@pytest.mark.parametrize("text", ["soon", "2026-13-01", "2027-01-01", "", "-3d"])
def test_parse_since_says_what_it_reads_instead(text: str) -> None:
    with pytest.raises(PeriodError, match=r"since:|future"):
        parse_since(text, NOW)


def test_messages_between_cuts_a_history_to_the_period() -> None:
    messages = orchard_thread()  # a minute apart from 1700000000
    since = datetime.fromtimestamp(1_700_000_000 + 10 * 60, UTC)
    assert messages_between(messages, since) == messages[10:]
    pasted = [replace(m, ts="p1") for m in messages[:2]]
    assert messages_between(pasted, since) == pasted  # undated: kept


def test_a_recap_groups_by_thread_the_busiest_first_within_one_budget() -> None:
    threads = [
        ChannelThread(held_out_thread(), title="Audio drama ep 4"),
        ChannelThread(many(120), link="https://example.slack.com/orchard"),
        ChannelThread([]),
        ChannelThread(orchard_thread()[:3], loose=True),
    ]
    recap = recap_offline(threads, since=NOW)
    assert [r.thread.name() for r in recap.threads][1:] == ["Audio drama ep 4", "In the channel"]
    body = render_recap(recap)
    assert body.startswith("**Channel recap** since Wed Dec 02 15:30 UTC · 3 threads · 150")
    assert "(https://example.slack.com/orchard) · 120 messages" in body
    assert body.index("120 messages") < body.index("Audio drama ep 4")
    assert read_length(body) <= 0.3 * recap.chars + 3 * 350


def test_an_empty_period_says_nothing_was_posted() -> None:
    body = render_recap(recap_offline([ChannelThread([])], since=NOW))
    assert "0 threads" in body and "Nothing was posted" in body


async def test_the_engine_recaps_offline_without_a_model() -> None:
    recap = await recap_channel([ChannelThread(orchard_thread())], object(), since=NOW)
    assert recap.engine == "offline extractive summarizer" and recap.message_count == 27
