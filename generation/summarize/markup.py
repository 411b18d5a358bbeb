"""Reading Slack and Discord message markup as plain text.

Slack: ``<@U123>`` and ``<@U123|name>`` mentions, ``<#C123|general>`` channels,
``<!here>``, ``<url|label>`` links, ``:emoji:``, ``*bold*``/``_italic_``/``~strike~`` and
HTML escapes. Discord: ``<@123>``/``<@!123>`` mentions, ``<@&123>`` roles, ``<#123>``
channels, ``<:name:123>`` custom emoji, ``||spoilers||``, ``**bold**``, ``__underline__``
and ``> quotes``. Mentions become ``@Display Name`` when the id belongs to someone in the
thread. Bold spans and quoted lines are kept aside: writers bold what they decide and quote
what they answer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

_USER = re.compile(r"<@!?([A-Z0-9]+)(?:\|([^>]+))?>")
_ROLE = re.compile(r"<@&(\d+)>")
_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|([^>]+))?>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^>|]+)(?:\|([^>]+))?>")
_CUSTOM_EMOJI = re.compile(r"<a?:([\w~-]+):\d+>")
_EMOJI_CODE = re.compile(r"(?<![\w/]):[a-z0-9_+'-]+:(?!\w)")
_UNICODE_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U000e0020-\U000e007f]"
)
_BOLD = re.compile(r"\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_UNDERLINE = re.compile(r"__(.+?)__")
_SPOILER = re.compile(r"\|\|(.+?)\|\|", re.S)
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_STRIKE = re.compile(r"~~(.+?)~~|(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")
_CODE = re.compile(r"```(?:\w+\n)?(.*?)```|`([^`\n]+)`", re.S)
_QUOTE_LINE = re.compile(r"^\s*(?:>|&gt;)\s?(.*)$", re.M)
_SPACES = re.compile(r"[ \t]+")
_SPEECH = frozenset("\"“'‘")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A message's words without markup, and what the markup said about them."""

    text: str
    emphasis: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    """Ids of the people mentioned, in order."""


def clean_markup(text: str, names: Mapping[str, str] | None = None) -> Cleaned:
    """Plain text from Slack or Discord markup; ``names`` maps user ids to display names."""
    names = names or {}
    mentions: list[str] = []

    def user(match: re.Match[str]) -> str:
        uid, label = match.group(1), match.group(2)
        mentions.append(uid)
        return "@" + (names.get(uid) or label or uid)

    quotes = tuple(q.strip() for q in _QUOTE_LINE.findall(text) if q.strip())
    out = _QUOTE_LINE.sub(lambda m: m.group(1), text)
    out = _CODE.sub(lambda m: m.group(1) or m.group(2) or "", out)
    out = _USER.sub(user, out)
    out = _ROLE.sub("@role", out)
    out = _CHANNEL.sub(lambda m: "#" + (m.group(2) or "channel"), out)
    out = _SPECIAL.sub(lambda m: "@" + (m.group(1) or (m.group(2) or "team").lstrip("@")), out)
    out = _LINK.sub(lambda m: m.group(2) or m.group(1), out)
    out = _CUSTOM_EMOJI.sub(" ", out)
    out = _EMOJI_CODE.sub(" ", out)
    out = _UNICODE_EMOJI.sub(" ", out)
    out = _SPOILER.sub(lambda m: m.group(1), out)
    emphasis: list[str] = []

    def bold(match: re.Match[str]) -> str:
        inner = match.group(1) or match.group(2) or ""
        if inner.lstrip()[:1] not in _SPEECH:  # *"a child's tooth."* is a line said, in italics
            emphasis.append(inner.strip())
        return inner

    out = _BOLD.sub(bold, out)
    out = _UNDERLINE.sub(lambda m: m.group(1), out)
    out = _STRIKE.sub(lambda m: m.group(1) or m.group(2) or "", out)
    out = _ITALIC.sub(lambda m: m.group(1), out)
    out = html.unescape(out)
    lines = (_SPACES.sub(" ", line).strip() for line in out.splitlines())
    text_out = "\n".join(line for line in lines if line)
    return Cleaned(text_out, tuple(e for e in emphasis if e), quotes, tuple(mentions))
