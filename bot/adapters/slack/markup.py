"""The neutral reply markup as Slack mrkdwn, with every echoed character made harmless.

Slack acts on ``<!channel>``, ``<!here>``, ``<@U…>``, ``<#C…>``, ``<!subteam^…>`` and
``<url|label>`` in message text, so ``&``, ``<`` and ``>`` in anything a writer or a model
wrote are always escaped here. Literal "@here", "@channel" and "@everyone" get a word
joiner after the "@" so no client setting (``link_names``, auto-parse) can turn them into
a ping. Markdown links become "label (url)": the bot never makes a disguised link.

Screenplay text (Fountain) is recognised and formatted so scene headings and character
cues stand out; everything else is converted line by line from the neutral markup:
**bold**, _italic_, `code`, fenced code, > quotes and - lists.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_BROADCAST = re.compile(r"@(?=(?:here|channel|everyone|all)\b)", re.IGNORECASE)


def escape(text: str) -> str:
    """Text as Slack shows it literally: no mention, link or broadcast can act."""
    return _BROADCAST.sub("@" + WORD_JOINER, text.translate(_SPECIAL))


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


def to_mrkdwn(text: str) -> str:
    """A reply body as mrkdwn: screenplay formatting for Fountain, markup otherwise."""
    text = text.replace("\r\n", "\n")
    if looks_like_fountain(text):
        return fountain(text)
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

_SCENE = re.compile(r"^(?:\.(?!\.)|(?:INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[. ])", re.IGNORECASE)
_TRANSITION = re.compile(r"^(?:[A-Z0-9 .'-]+ TO:|FADE (?:IN|OUT)[.:]?|>\s*[^<]*[^<\s])$")
_CUE = re.compile(r"^@?[A-Z][A-Z0-9 .'\-#]*(?:\s*\([^)]*\))?\s*\^?$")
_PAREN = re.compile(r"^\s*\(.*\)\s*$")


def _is_cue(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if not line or len(line) > 50 or not _CUE.match(line) or _SCENE.match(line):
        return False
    if _TRANSITION.match(line):
        return False
    before = lines[i - 1].strip() if i > 0 else ""
    after = lines[i + 1].strip() if i + 1 < len(lines) else ""
    return not before and bool(after)


def looks_like_fountain(text: str) -> bool:
    """A scene: at least two character cues, or a scene heading and a cue."""
    lines = text.split("\n")
    if any(_FENCE.match(line) or _BULLET.match(line) for line in lines):
        return False  # code or a list: not a screenplay
    cues = sum(1 for i in range(len(lines)) if _is_cue(lines, i))
    scenes = sum(1 for line in lines if _SCENE.match(line.strip()) and line.strip().isupper())
    return cues >= 2 or (scenes >= 1 and cues >= 1)


def fountain(text: str) -> str:
    """A Fountain scene as mrkdwn: headings and cues bold, parentheticals and transitions
    italic, dialogue as written. Blank lines (Fountain's block separators) are kept."""
    lines = text.split("\n")
    out: list[str] = []
    in_dialogue = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            in_dialogue = False
            out.append("")
        elif _SCENE.match(line) and (line.isupper() or line.startswith(".")):
            out.append(f"*{escape(line.lstrip('.'))}*")
        elif _is_cue(lines, i):
            in_dialogue = True
            out.append(f"*{escape(line.lstrip('@').rstrip('^').strip())}*")
        elif in_dialogue and _PAREN.match(line):
            out.append(f"_{escape(line)}_")
        elif _TRANSITION.match(line) and not in_dialogue:
            out.append(f"_{escape(line.lstrip('>').strip())}_")
        else:
            out.append(inline(line))
    return "\n".join(out)
