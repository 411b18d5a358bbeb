"""From Slack payloads to the bot's own types, as pure functions.

Slack text arrives escaped (``&lt;``) with tags for mentions, channels and links
(``<@U1|dana>``, ``<#C1|writers>``, ``<https://x|label>``); the bot reads it as plain
text ("@dana", "#writers", "label (https://x)"). Nothing here calls Slack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.registry import Registry
from core.types import ACTION_KINDS, ActionKind, Capabilities, ChatMessage, Place

PLATFORM = "slack"
CAPABILITIES = Capabilities(
    upload_files=True,
    edit_messages=True,
    make_threads=True,
    max_message_chars=40_000,
    buttons=True,
)
BOT_EVENTS = (
    "app_home_opened",
    "app_mention",
    "app_uninstalled",
    "assistant_thread_context_changed",
    "assistant_thread_started",
    "message.channels",
    "message.groups",
    "message.im",
    "message.mpim",
    "tokens_revoked",
)
"""The events the app subscribes to (the manifests list them; listeners.py handles them)."""
BOT_SCOPES = (
    "app_mentions:read",
    "assistant:write",
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "mpim:history",
    "users:read",
)
"""The bot scopes the app asks for (the manifests list them; an OAuth install asks them)."""
ACTION_PREFIX = "writersroom:"

_TAG = re.compile(r"<([^<>\n]*)>")


def encode_action(kind: str, ref: str) -> str:
    """An action_id that carries what a button does and to what (no server-side state)."""
    return f"{ACTION_PREFIX}{kind}:{ref}"


def decode_action(action_id: str) -> tuple[ActionKind, str] | None:
    if not action_id.startswith(ACTION_PREFIX):
        return None
    kind, _, ref = action_id[len(ACTION_PREFIX) :].partition(":")
    if kind not in ACTION_KINDS or not ref:
        return None
    return kind, ref


def slack_to_plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack's escaped, tagged message text as what a person reads."""
    names = names or {}

    def tag(match: re.Match[str]) -> str:
        target, _, label = match[1].partition("|")
        if target.startswith("@"):
            return "@" + (label or names.get(target[1:]) or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith(("!subteam^", "!date^")):
            return label or "@group"
        if target.startswith("!"):
            return "@" + target[1:]
        return f"{label} ({target})" if label and label != target else target

    text = _TAG.sub(tag, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def after_mention(text: str, bot_user_id: str | None) -> str:
    """The raw text after the bot's mention ("<@UBOT> summarize" -> "summarize")."""
    if bot_user_id:
        for form in (f"<@{bot_user_id}>", f"<@{bot_user_id}|"):
            at = text.find(form)
            if at != -1:
                end = text.find(">", at)
                return text[end + 1 :].strip()
    # bot id unknown: drop any leading mentions
    return re.sub(r"^(?:\s*<@[^>]+>)+", "", text).strip()


def mention_line(plain: str, registry: Registry, *, in_thread: bool = False) -> str:
    """What a mention asks for: a command line ("/dialogue Mara Jonah …") when it starts
    with a command's name, else the sentence as it was written (a plain-language request,
    or, in a thread with a draft of the bot's, a follow-up: "shorter"), which the
    dispatcher reads. In a thread, a group named alone means its subcommand that reads
    the thread, when it has one ("@writersroom summarize" is /summarize thread)."""
    words = plain.split()
    if not words:
        return "/help"
    first = words[0].lstrip("/").lower()
    spec = registry.get(first)
    if spec is None:
        return plain.strip()
    line = "/" + plain.strip().lstrip("/")
    if in_thread and len(words) == 1 and spec is not None:
        reader = next((s for s in spec.subcommands if s.needs_thread), None)
        if reader is not None:
            line += f" {reader.name}"
    return line


THREAD_HINT = (
    "Slack doesn't tell apps which thread a slash command was typed in, so /summarize "
    "thread can't see it. To summarize a thread, use **Summarize thread** in the thread's "
    "message menu (⋯ > More message shortcuts), or write `@writersroom summarize` in the "
    "thread. To summarize text you have, paste it after `/summarize thread`."
)


def command_line(body: Mapping[str, Any]) -> str:
    """A slash command as the line typed ("/story set logline …")."""
    name = str(body.get("command") or "").lstrip("/")
    return f"/{name} {slack_to_plain(str(body.get('text') or ''))}".strip()


def command_place(body: Mapping[str, Any]) -> Place:
    """A slash command's place. Slack sends no thread_ts for slash commands, even when
    typed in a thread, so the reply always starts a new thread in the channel."""
    return Place(PLATFORM, str(body.get("team_id") or ""), str(body.get("channel_id") or ""))


def event_team(body: Mapping[str, Any], event: Mapping[str, Any]) -> str:
    return str(body.get("team_id") or event.get("team") or "")


def permalink(workspace_url: str | None, channel: str, ts: str, thread: str | None) -> str | None:
    """A message link built locally (chat.getPermalink would cost one call per message)."""
    if not workspace_url:
        return None
    link = f"{workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
    if thread and thread != ts:
        link += f"?thread_ts={thread}&cid={channel}"
    return link


def chat_message(
    raw: Mapping[str, Any],
    names: Mapping[str, str],
    workspace_url: str | None,
    channel: str,
    thread: str,
) -> ChatMessage:
    """One message of conversations.replies as the bot reads it."""
    author_id = str(raw.get("user") or raw.get("bot_id") or "")
    profile = raw.get("bot_profile") or {}
    author = names.get(author_id) or raw.get("username") or profile.get("name") or author_id
    ts = str(raw.get("ts", ""))
    return ChatMessage(
        author=str(author),
        author_id=author_id,
        ts=ts,
        text=slack_to_plain(str(raw.get("text") or ""), names),
        link=permalink(workspace_url, channel, ts, thread),
    )


def user_ids_in(text: str) -> set[str]:
    """User ids mentioned in Slack text, to resolve their names."""
    return {m[1:].partition("|")[0] for m in _TAG.findall(text) if m.startswith("@")}
