"""Reading a channel's messages for summaries: one thread, or a channel over a period.

- ``read_thread``: conversations.replies, every page (each page repeats the parent).
- ``read_channel``: conversations.history from the period's start (``oldest``), newest
  first, page by page (``cursor``) until the period or the message cap is reached; one
  page further back for threads started earlier whose replies continue in the period
  (their ``latest_reply``); then conversations.replies for each thread with replies in
  the period. Messages outside any thread come back together, as one ``loose`` thread.

The app's own messages are left out (a digest never summarizes the digests before it).
Slack's refusals become a ``CommandError`` that says what to do: the bot is not in the
channel (``not_in_channel``), the app lacks a scope (``missing_scope``), and so on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.tokens import WorkspaceGone, revoked
from bot.adapters.slack.translate import chat_message, permalink, slack_to_plain, user_ids_in
from bot.adapters.slack.users import UserDirectory
from core.errors import CommandError
from core.types import ChatMessage, HistoryThread

PAGE = 200
LOOKBACK_PAGES = 1
"""Pages of older channel messages read for threads still active in the period."""
Raw = Mapping[str, Any]

_REFUSALS = {
    "not_in_channel": (
        "I'm not in this channel, so I can't read its messages. Invite me with "
        "`/invite @writersroom`, then try again."
    ),
    "channel_not_found": (
        "I can't see this channel (it is private or I was removed). Invite me with "
        "`/invite @writersroom`, then try again."
    ),
    "missing_scope": (
        "This Slack app is missing a permission to read messages here (channels:history, "
        "groups:history, im:history or mpim:history). Ask a workspace admin to reinstall it "
        "from the current manifest."
    ),
    "thread_not_found": "I can't find that thread any more: it may have been deleted.",
    "access_denied": "Slack doesn't let me read this conversation.",
}


def refusal(exc: SlackApiError) -> CommandError | None:
    """The writer's message for a Slack error that means "you can't read this"."""
    text = _REFUSALS.get(str(exc.response.get("error") or ""))
    return CommandError(text) if text else None


class History:
    """Reads one channel of one workspace, with the names and links of its messages."""

    def __init__(
        self,
        client: AsyncWebClient,
        users: UserDirectory,
        channel: str,
        *,
        team: str,
        workspace_url: str | None,
        own_ids: frozenset[str] = frozenset(),
    ) -> None:
        self.client = client
        self.users = users
        self.channel = channel
        self.team = team
        self.url = workspace_url
        self.own = own_ids

    async def read_thread(self, thread: str, limit: int = 10_000) -> list[ChatMessage]:
        """Every message of ``thread``, oldest first, all pages."""
        raw = await self._replies(thread, None, limit)
        return await self._named([(m, thread) for m in raw])

    async def read_channel(self, since: datetime, limit: int = 5_000) -> list[HistoryThread]:
        """The channel's threads and loose messages from ``since`` on (at most ``limit``
        messages, the newest threads first)."""
        start = since.timestamp()
        oldest = f"{start:.6f}"
        parents = await self._history(limit, oldest=oldest)
        parents += [
            m
            for m in await self._history(PAGE * LOOKBACK_PAGES, latest=oldest)
            if _replied(m) and float(m.get("latest_reply") or 0) >= start
        ]
        groups: list[tuple[list[tuple[Raw, str]], Raw | None]] = []
        loose: list[tuple[Raw, str]] = []
        budget = limit
        for parent in sorted(parents, key=_ts, reverse=True):
            if budget <= 0:
                break
            if not _replied(parent):
                if _ts(parent) >= start and self._theirs(parent):
                    loose.append((parent, ""))
                    budget -= 1
                continue
            ts = str(parent["ts"])
            thread = [(m, ts) for m in await self._replies(ts, oldest, budget + 1)]
            thread = [pair for pair in thread if _ts(pair[0]) >= start][:budget]
            if thread:
                budget -= len(thread)
                groups.append((thread, parent))
        if loose:
            groups.append((sorted(loose, key=lambda pair: _ts(pair[0])), None))
        named = iter(await self._named([pair for group, _ in groups for pair in group]))
        out = []
        for group, head in groups:
            messages = tuple(next(named) for _ in group)
            if head is None:
                out.append(HistoryThread(messages, loose=True))
                continue
            title = None
            if _ts(head) < start:  # started before the period: name it by its start
                title = _title(str(head.get("text") or ""))
            link = permalink(self.url, self.channel, str(head["ts"]), None)
            out.append(HistoryThread(messages, title=title, link=link))
        return out

    # --- pages -----------------------------------------------------------------------

    async def _call(self, method: str, **args: Any) -> Any:
        try:
            return await getattr(self.client, method)(**args)
        except SlackApiError as exc:
            found = refusal(exc)
            if found is not None:
                raise found from None
            if revoked(exc):
                raise WorkspaceGone(self.team) from None
            raise

    async def _history(
        self, limit: int, *, oldest: str | None = None, latest: str | None = None
    ) -> list[Raw]:
        """Top-level messages of the channel in the window, newest first, all pages up to
        ``limit``."""
        found: list[Raw] = []
        cursor: str | None = None
        while len(found) < limit:
            resp = await self._call(
                "conversations_history",
                channel=self.channel,
                oldest=oldest,
                latest=latest,
                limit=min(PAGE, limit - len(found)),
                cursor=cursor,
            )
            found.extend(resp.get("messages") or [])
            cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor or latest is not None:  # looking back: one page is enough
                break
        return found[:limit]

    async def _replies(self, thread: str, oldest: str | None, limit: int) -> list[Raw]:
        """A thread's messages (from ``oldest``), oldest first, all pages up to ``limit``."""
        raw: dict[str, Raw] = {}
        cursor: str | None = None
        while len(raw) < limit:
            resp = await self._call(
                "conversations_replies",
                channel=self.channel,
                ts=thread,
                oldest=oldest,
                limit=min(PAGE, max(limit - len(raw), 1)),
                cursor=cursor,
            )
            for message in resp.get("messages") or []:
                raw.setdefault(str(message.get("ts")), message)  # pages may repeat the parent
            cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        return [m for m in sorted(raw.values(), key=_ts) if self._theirs(m)][:limit]

    def _theirs(self, message: Raw) -> bool:
        """Whether a message is the room's (not one the app posted itself)."""
        return not (
            str(message.get("user") or "") in self.own
            or str(message.get("bot_id") or "") in self.own
        )

    async def _named(self, pairs: list[tuple[Raw, str]]) -> list[ChatMessage]:
        ids = {str(m.get("user") or "") for m, _ in pairs}
        for m, _ in pairs:
            ids |= user_ids_in(str(m.get("text") or ""))
        names = await self.users.names(ids, self.team)
        return [chat_message(m, names, self.url, self.channel, thread) for m, thread in pairs]


def _ts(message: Raw) -> float:
    return float(message.get("ts") or 0)


def _replied(message: Raw) -> bool:
    return int(message.get("reply_count") or 0) > 0


def _title(text: str, words: int = 10) -> str:
    shown = slack_to_plain(text).split()
    return " ".join(shown[:words]) + ("…" if len(shown) > words else "")
