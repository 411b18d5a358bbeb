"""The App Home tab: the person's channels and the stories in them, and which model
serves those rooms best (the Good / Not good votes on generated replies).

Only channels the person is a member of are shown (users.conversations for that user),
and only their votes are counted, so a private channel's story never shows up for
someone outside it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.markup import escape, escape_within
from bot.adapters.slack.render import context, section
from bot.adapters.slack.translate import PLATFORM
from core.models import Story
from storage.api import FeedbackCount, Store

MAX_CHANNELS = 40
"""A home view holds 100 blocks; two per channel plus the header leaves room."""
MAX_RATINGS = 8
"""Rows of the feedback table (one section: it never crowds out the channels)."""
RATING_NAME_CHARS = 40
RATING_MODEL_CHARS = 160
"""A row's command and engine, and its model, as shown: eight rows stay within the
section's 3,000 characters however long the names (a model's is up to 200 characters,
escaped up to five times that)."""
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{1,30}$")


async def publish_home(client: AsyncWebClient, store: Store, team: str, user_id: str) -> None:
    stories = await store.stories_in_workspace(PLATFORM, team)
    channels = await member_channels(client, user_id) if stories else {}
    ratings = await store.feedback_counts(PLATFORM, team, list(channels)) if channels else []
    await client.views_publish(user_id=user_id, view=home_view(stories, channels, ratings))


async def member_channels(client: AsyncWebClient, user_id: str) -> dict[str, str]:
    """Channel id -> name for every channel the person is in (all pages)."""
    found: dict[str, str] = {}
    cursor: str | None = None
    while True:
        resp = await client.users_conversations(
            user=user_id,
            types="public_channel,private_channel",
            exclude_archived=True,
            limit=200,
            cursor=cursor,
        )
        for channel in resp.get("channels") or []:
            found[str(channel.get("id"))] = str(channel.get("name") or channel.get("id"))
        cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return found


def home_view(
    stories: Sequence[Story],
    channels: Mapping[str, str],
    ratings: Sequence[FeedbackCount] = (),
) -> dict[str, Any]:
    by_channel: dict[str, list[Story]] = {}
    for story in stories:
        channel = story.key[2]
        if channel in channels:
            by_channel.setdefault(channel, []).append(story)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "writersroom"}},
        section(
            "Your channels and their stories. In a channel: `/synopsis`, "
            "`/character new Mara`, `/dialogue Mara Jonah: the airlock`, or `/help`. "
            "Answer in a reply's thread to refine it."
        ),
        {"type": "divider"},
    ]
    if not by_channel:
        blocks.append(
            section(
                "_No stories in your channels yet. Start one with "
                "`/story new <title>` in a channel I'm in._"
            )
        )
    ordered = sorted(by_channel.items(), key=lambda item: channels[item[0]].lower())
    for channel, items in ordered[:MAX_CHANNELS]:
        blocks.extend(_channel_blocks(channel, channels[channel], items))
    if len(ordered) > MAX_CHANNELS:
        blocks.append(context(f"…and {len(ordered) - MAX_CHANNELS} more channels."))
    if ratings:
        blocks.extend(ratings_blocks(ratings))
    return {"type": "home", "blocks": blocks}


def ratings_blocks(ratings: Sequence[FeedbackCount]) -> list[dict[str, Any]]:
    """Which model serves these rooms best: good votes out of all, by command and model."""
    lines = []
    for r in ratings[:MAX_RATINGS]:
        model = f" · {_name(r.model, RATING_MODEL_CHARS)}" if r.model else ""
        command, engine = _name(r.command, RATING_NAME_CHARS), _name(r.engine, RATING_NAME_CHARS)
        lines.append(
            f"*/{command}* · {engine}{model}: "
            f"{r.good} :thumbsup: {r.bad} :thumbsdown: ({r.share:.0%} good)"
        )
    more = len(ratings) - MAX_RATINGS
    if more > 0:
        lines.append(f"_…and {more} more_")
    return [
        {"type": "divider"},
        section("*How the models do in your channels* (Good / Not good under replies)"),
        section("\n".join(lines)),
    ]


def _name(text: str, limit: int) -> str:
    """``text`` escaped within ``limit`` characters, a cut marked with "…"."""
    escaped = escape(text)
    return escaped if len(escaped) <= limit else escape_within(text, limit - 1) + "…"


def _channel_blocks(channel: str, name: str, stories: list[Story]) -> list[dict[str, Any]]:
    active = next((s for s in stories if s.status == "active"), None)
    archived = sum(1 for s in stories if s.status != "active")
    where = f"<#{channel}>" if _CHANNEL_ID.match(channel) else f"#{escape(name)}"
    if active is None:
        text = f"{where}\n_No active story._"
    else:
        # escaped within their shares of the section's 3,000 characters (an escaped
        # "&" is five): a title saved long ago, or a logline of "&"s, still fits
        text = f"{where} · *{escape_within(active.title, 600)}*"
        details = " · ".join(escape_within(x, 400) for x in (active.genre, active.tone) if x)
        if details:
            text += f"\n{details}"
        if active.logline:
            text += f"\n_{escape_within(active.logline, 500)}_"
    note = f"{archived} archived {'story' if archived == 1 else 'stories'}" if archived else ""
    blocks = [section(text)]
    if note:
        blocks.append(context(note))
    return blocks
