"""The neutral reply markup as Slack mrkdwn, with every echoed character made harmless.

Slack acts on ``<!channel>``, ``<!here>``, ``<@U…>``, ``<#C…>``, ``<!subteam^…>`` and
``<url|label>`` in message text, so ``&``, ``<`` and ``>`` in anything a writer or a model
wrote are always escaped here. Literal "@here", "@channel" and "@everyone" get a word
joiner after the "@" so no client setting (``link_names``, auto-parse) can turn them into
a ping. Markdown links become "label (url)": the bot never makes a disguised link.

A reply whose format is "fountain" is laid out as a screenplay (``fountain``), so scene
headings and character cues stand out; a "markup" body is converted line by line from the
neutral markup (``to_mrkdwn``): **bold**, _italic_, `code`, fenced code, > quotes, - lists.
"""

from __future__ import annotations

import re

from core import fountain as screenplay
from core.types import BodyFormat

WORD_JOINER = "\u2060"
_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_BROADCAST = re.compile(r"@(?=(?:here|channel|everyone|all)\b)", re.IGNORECASE)


def escape(text: str) -> str:
    """Text as Slack shows it literally: no mention, link or broadcast can act."""
    return _BROADCAST.sub("@" + WORD_JOINER, text.translate(_SPECIAL))


def escape_within(text: str, limit: int) -> str:
    """``escape(text)`` in at most ``limit`` characters: the escape of the longest start of
    ``text`` that fits (cut before escaping, so no entity is cut in half)."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    fits, over = 0, len(text)  # escape(text[:fits]) fits, escape(text[:over]) does not
    while over - fits > 1:
        middle = (fits + over) // 2
        if len(escape(text[:middle])) <= limit:
            fits = middle
        else:
            over = middle
    return escape(text[:fits])


_LOOKALIKES = str.maketrans({"<": "‹", ">": "›"})


def plain(text: str) -> str:
    """Text for a field Slack shows as it is, and may or may not parse (a suggested
    prompt's title): a tag's brackets become look-alikes (‹ ›) and broadcasts get the word
    joiner, so nothing in it acts either way, and no entity shows as "&lt;"."""
    return _BROADCAST.sub("@" + WORD_JOINER, text.translate(_LOOKALIKES))


# --- inline markup -------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_EMPHASIS = re.compile(
    r"\*\*(?P<bold>[^\n]+?)\*\*"
    r"|__(?P<bold2>[^\n]+?)__"
    r"|(?<![*\w])\*(?![\s*])(?P<ital>[^*\n]+?)(?<!\s)\*(?![*\w])"
    r"|~~(?P<strike>[^\n]+?)~~"
)
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")


def _emphasis(match: re.Match[str]) -> str:
    if match["bold"] is not None:
        return f"*{match['bold']}*"
    if match["bold2"] is not None:
        return f"*{match['bold2']}*"
    if match["ital"] is not None:
        return f"_{match['ital']}_"
    return f"~{match['strike']}~"


def inline(text: str) -> str:
    """One line of neutral markup as escaped mrkdwn (code spans are left as they are)."""
    out = []
    for i, part in enumerate(_CODE_SPAN.split(text)):
        if i % 2:
            out.append(escape(part))
            continue
        part = _LINK.sub(r"\1 (\2)", part)
        out.append(_EMPHASIS.sub(_emphasis, escape(part)))
    return "".join(out)


# --- blocks of lines -----------------------------------------------------------------

_FENCE = re.compile(r"^\s*```")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")


def body_mrkdwn(text: str, format: BodyFormat) -> str:
    """A reply body as mrkdwn, laid out by what it is."""
    return fountain(text) if format == "fountain" else to_mrkdwn(text)


def to_mrkdwn(text: str) -> str:
    """Neutral markup as mrkdwn."""
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("```")  # Slack ignores language tags; drop them
            continue
        if in_fence:
            out.append(escape(line))
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        quote = _QUOTE.match(line)
        if heading:
            out.append(f"*{inline(heading[1])}*")
        elif bullet:
            out.append(f"{bullet[1]}• {inline(bullet[2])}")
        elif quote:
            # ">" is only special at a line start; "<" is escaped, so it cannot open a tag.
            out.append(">" + inline(quote[1]))
        else:
            out.append(inline(line))
    if in_fence:
        out.append("```")
    return "\n".join(out)


# --- Fountain ------------------------------------------------------------------------


def fountain(text: str) -> str:
    """A Fountain scene as mrkdwn: headings and cues bold, parentheticals and transitions
    italic, action and dialogue as written. Blank lines (Fountain's block separators) are
    kept, so every element stays on its line."""
    out: list[str] = []
    for el in screenplay.parse(text):
        if el.kind == "heading":
            out.append(f"*{escape(el.text)}*")
        elif el.kind == "character":
            out.append(f"*{escape(screenplay.cue_label(el.text))}*")
        elif el.kind in ("parenthetical", "transition"):
            out.append(f"_{escape(el.text)}_")
        else:
            out.append(inline(el.text))
    return "\n".join(out)
