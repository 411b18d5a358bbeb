"""/summarize channel on Discord: the channel's messages and its threads (active and
archived) over a period, read page by page from the fake's history, grouped by thread."""

from __future__ import annotations

import datetime as dt

from bot.adapters.discord.history import read_channel
from tests.adapters.discord.harness import (
    ALICE,
    BOB,
    GENERAL,
    Harness,
    private_thread,
    seed,
    thread_from,
)
from tests.adapters.discord.payloads import BOT, GUILD


def busy_channel(bot: Harness) -> dict[str, dt.datetime]:
    """Today: a thread started today, loose messages, one of the bot's; an archived thread
    started last month with one message today; an archived thread of last month only;
    and channel messages of last week."""
    now = dt.datetime.now(dt.UTC)
    minute, hour, month = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=30)
    old = now - dt.timedelta(days=7)
    seed(bot, GENERAL, BOB, "from last week", old)
    finale = seed(bot, GENERAL, ALICE, "Finale: where does the chase end?", now - 3 * hour)
    active = thread_from(bot, finale, "finale chase")
    seed(bot, active, BOB, "We decided the chase ends in the flooded subway.", now - 2 * hour)
    seed(bot, active, ALICE, "Action item: Bob drafts the subway scene by Friday.", now - hour)
    casting = seed(bot, GENERAL, BOB, "Casting: open call or offers only?", now - month)
    revived = thread_from(bot, casting, "casting the detective", archived_at=now - hour)
    seed(bot, revived, ALICE, "Offers only, we agreed.", now - month + hour)
    seed(bot, revived, BOB, "Update: the offer went out today.", now - 2 * hour)
    gone = seed(bot, GENERAL, ALICE, "Old arc about the lighthouse", now - month - hour)
    quiet = thread_from(bot, gone, "lighthouse arc", archived_at=now - month)
    seed(bot, quiet, BOB, "The lighthouse stays dark.", now - month)
    for i in range(150):  # more than one of Discord's 100-message pages
        seed(bot, GENERAL, ALICE if i % 2 else BOB, f"loose note {i}", now - 2 * hour + i * minute)
    seed(bot, GENERAL, BOT, "Channel recap (the bot's own)", now - hour / 6)
    return now


async def test_channel_history_groups_threads_and_loose_messages_of_the_period(
    discord_bot: Harness,
) -> None:
    now = busy_channel(discord_bot)
    since = now - dt.timedelta(days=1)
    read = await read_channel(discord_bot.client, int(GENERAL["id"]), GUILD, since)
    threads = {t.title or t.messages[0].text: t for t in read if not t.loose}
    assert set(threads) == {"Finale: where does the chase end?", "casting the detective"}
    finale = threads["Finale: where does the chase end?"]
    assert [m.text for m in finale.messages] == [
        "Finale: where does the chase end?",  # the channel message that started it
        "We decided the chase ends in the flooded subway.",
        "Action item: Bob drafts the subway scene by Friday.",
    ]
    assert finale.title is None  # started in the period: no name needed
    assert (
        finale.link
        == f"https://discord.com/channels/{GUILD}/{finale.messages[0].link.split('/')[-1]}"
    )
    casting = threads["casting the detective"]  # archived, started last month, named
    assert [m.text for m in casting.messages] == ["Update: the offer went out today."]
    [loose] = [t for t in read if t.loose]
    texts = [m.text for m in loose.messages]
    assert texts == [f"loose note {i}" for i in range(150)]  # two pages, oldest first
    assert "from last week" not in texts and not any("bot's own" in t for t in texts)
    first = loose.messages[0]
    assert first.author == "Bob" and first.link is not None
    assert first.link.startswith(f"https://discord.com/channels/{GUILD}/{GENERAL['id']}/")
    assert len(discord_bot.fake.find("GET", rf"^/channels/{GENERAL['id']}/messages$")) >= 2


async def test_channel_history_keeps_the_newest_messages_up_to_the_limit(
    discord_bot: Harness,
) -> None:
    now = busy_channel(discord_bot)
    read = await read_channel(
        discord_bot.client, int(GENERAL["id"]), GUILD, now - dt.timedelta(days=1), limit=20
    )
    kept = [m for t in read for m in t.messages]
    assert len(kept) == 20
    assert [m.text for m in kept] == [f"loose note {i}" for i in range(130, 150)]


async def test_summarize_channel_since_yesterday_recaps_by_thread(discord_bot: Harness) -> None:
    busy_channel(discord_bot)
    payload = await discord_bot.command("summarize channel", since="yesterday")
    shown = discord_bot.fake.messages[discord_bot.fake.originals[payload["token"]]]
    body = str(shown["embeds"])
    assert "Channel recap" in shown["embeds"][0]["title"]
    assert "flooded subway" in body and "casting the detective" in body
    assert "3 threads" in body and "**In the channel**" in body and "150 messages" in body
    assert "from last week" not in body and "lighthouse" not in body
    assert "Sorry" not in body


def private_threads(bot: Harness, now: dt.datetime) -> None:
    """Three private threads of the channel with words from today: one the bot was added
    to (cached), one it sees only in the guild's active threads, one archived."""
    hour = dt.timedelta(hours=1)
    shortlist = private_thread(bot, "casting shortlist", now - 3 * hour, told=True)
    seed(bot, shortlist, BOB, "Between us: the lead is Dana Reyes.", now - 2 * hour)
    pay = private_thread(bot, "pay talks", now - 3 * hour)
    seed(bot, pay, ALICE, "We offer the showrunner 40 percent more.", now - hour)
    closed = private_thread(bot, "notes on Bob", now - 4 * hour, archived_at=now - hour)
    seed(bot, closed, ALICE, "Bob missed the table read again.", now - 2 * hour)


async def test_a_channel_recap_never_reads_private_threads(discord_bot: Harness) -> None:
    now = busy_channel(discord_bot)
    private_threads(discord_bot, now)
    assert any(t.is_private() for t in discord_bot.client.get_channel(int(GENERAL["id"])).threads)
    read = await read_channel(
        discord_bot.client, int(GENERAL["id"]), GUILD, now - dt.timedelta(days=1)
    )
    said = " ".join(m.text for t in read for m in t.messages)
    assert "flooded subway" in said and "offer went out" in said  # the public threads
    for secret in ("Dana Reyes", "40 percent", "table read"):
        assert secret not in said
    titles = {t.title for t in read}
    assert not titles & {"casting shortlist", "pay talks", "notes on Bob"}


async def test_summarize_channel_posts_nothing_from_a_private_thread(discord_bot: Harness) -> None:
    now = busy_channel(discord_bot)
    private_threads(discord_bot, now)
    payload = await discord_bot.command("summarize channel", since="yesterday")
    shown = discord_bot.fake.messages[discord_bot.fake.originals[payload["token"]]]
    body = str(shown["embeds"])
    assert "flooded subway" in body and "3 threads" in body  # as without them
    for secret in ("Dana", "showrunner", "table read", "shortlist", "pay talks"):
        assert secret not in body


async def test_a_channel_the_bot_cannot_read_names_the_permission(discord_bot: Harness) -> None:
    busy_channel(discord_bot)
    discord_bot.fake.unreadable.add(int(GENERAL["id"]))
    payload = await discord_bot.command("summarize channel", since="today")
    said = " ".join(str(c.payload) for c in discord_bot.calls_for(payload) if c.sends_message)
    assert "Read Message History" in said
    assert "something went wrong" not in said
