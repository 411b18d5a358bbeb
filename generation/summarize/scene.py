"""/summarize scene offline: who wants what, what changes, and the scene's turn.

A scene arrives as Fountain (a reply of /dialogue, or pasted): a heading (INT./EXT.),
action paragraphs, character cues in CAPS, (parentheticals) and dialogue. "NAME: line"
scripts are read too. Everything reported is quoted from the scene, as the thread
summary does; nothing is invented:

- wants: per speaker, the line that says what they want most plainly ("I need…", "give
  me…", "you have to…"), else their longest line;
- what changes: the opening picture against the closing one (first and last action, or
  first and last line);
- the turn: the line after which the scene is no longer the same, found the way TextTiling
  finds a topic boundary (how many words after a line were not used before it), leaning
  towards lines that sound like a turn ("then I'll…", "no.", "you knew") and towards the
  second half, where turns live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import fountain
from generation.summarize.paste import parse_pasted
from generation.summarize.text import content_set, fold, sentences, trim_words

WANT = re.compile(
    r"\b(?:i|we) (?:need|want|have to|must|came (?:here )?(?:for|to)|am here for|'m here for"
    r"|'m asking|am asking)\b|\bi(?:'m| am) (?:going to|not leaving|taking)\b"
    r"|\bgive (?:me|us|it)\b|\byou (?:need|have|owe|want)\b|\blet me\b|\bi'll\b|\bwe'll\b"
)
TURN = re.compile(
    r"\b(?:then i'll|without you|i meant it|you knew|the truth|i know|i lied|it was you"
    r"|what if|maybe what|i quit|we're done|it's over|no more|goodbye|leave|get out|fine\.?$"
    r"|you're right|i'm sorry|i can't)\b|^no[.!]"
)


@dataclass
class SceneLine:
    speaker: str | None
    """None for action."""
    text: str


@dataclass
class SceneSummary:
    heading: str | None
    speakers: list[str]
    wants: list[tuple[str, str]]
    opening: str | None
    ending: str | None
    turn: SceneLine | None
    line_count: int
    extractive: bool = True
    engine: str = "offline extractive summarizer"
    notes: list[str] = field(default_factory=list)


def parse_scene(text: str) -> tuple[str | None, list[SceneLine]]:
    """The heading and the lines of a Fountain scene (or of "NAME: line" dialogue): one
    line per speech (parentheticals left out) and per action paragraph."""
    heading: str | None = None
    out: list[SceneLine] = []
    speaker: str | None = None
    rows: list[str] = []

    def flush() -> None:
        if rows:
            out.append(SceneLine(speaker, " ".join(rows)))
            rows.clear()

    for el in fountain.parse(text):
        if el.kind in ("action", "dialogue"):
            if el.kind == "action" and not rows:
                speaker = None  # a new action paragraph
            rows.append(el.text)
            continue
        if el.kind == "parenthetical":
            continue
        flush()
        if el.kind == "heading":
            heading = heading or el.text
        elif el.kind == "character":
            speaker = _title(fountain.cue_parts(el.text)[0])
    flush()
    if not any(line.speaker for line in out):
        pasted = parse_pasted(text)
        if len(pasted) >= 2:
            return heading, [SceneLine(m.author, m.text) for m in pasted]
    return heading, out


def _title(cue: str) -> str:
    return " ".join(w.capitalize() for w in cue.split())


def summarize_scene(text: str) -> SceneSummary:
    heading, lines = parse_scene(text)
    speakers = list(dict.fromkeys(ln.speaker for ln in lines if ln.speaker))
    spoken = [ln for ln in lines if ln.speaker]
    action = [ln for ln in lines if ln.speaker is None]
    wants = [(s, _want(s, spoken)) for s in speakers]
    opening = trim_words(action[0].text, 30) if action else (spoken[0].text if spoken else None)
    ending = None
    if lines:
        last = lines[-1]
        ending = trim_words(last.text, 30)
        if last.speaker is not None:
            ending = f"{last.speaker}: {ending}"
        if len(lines) == 1:
            ending = None
    return SceneSummary(
        heading, speakers, [w for w in wants if w[1]], opening, ending, find_turn(lines), len(lines)
    )


def _want(speaker: str, spoken: list[SceneLine]) -> str:
    theirs = [ln for ln in spoken if ln.speaker == speaker]
    for ln in theirs:
        for sent in sentences(ln.text):
            if WANT.search(fold(sent)) and len(content_set(sent)) >= 2:
                return trim_words(sent, 30)
    if not theirs:
        return ""
    longest = max(theirs, key=lambda ln: len(content_set(ln.text)))
    return trim_words(sentences(longest.text)[0] if sentences(longest.text) else longest.text, 30)


def find_turn(lines: list[SceneLine]) -> SceneLine | None:
    """The line where the scene turns (see the module docstring), or None for tiny scenes."""
    spoken = [i for i, ln in enumerate(lines) if ln.speaker]
    if len(spoken) < 3:
        return None
    seen: set[str] = set()
    before: list[frozenset[str]] = []
    for ln in lines:
        before.append(frozenset(seen))
        seen |= content_set(ln.text)
    best, best_score = None, -1.0
    n = len(lines)
    for i in spoken[1:]:
        ln = lines[i]
        tokens = content_set(ln.text)
        after: set[str] = set()
        for later in lines[i + 1 : i + 4]:
            after |= content_set(later.text)
        novelty = len((tokens | after) - before[i]) / (1 + len(tokens | after))
        cue = 1.0 if TURN.search(fold(ln.text)) else 0.0
        position = 0.5 if i >= n / 2 else 0.0
        score = novelty + cue + position - (0.6 if i == spoken[-1] and n > 4 else 0.0)
        if score > best_score:
            best, best_score = ln, score
    return best


def render_scene(s: SceneSummary) -> str:
    """The scene summary as a Reply body."""
    lines = [f"**Scene summary** · {s.line_count} lines · {s.engine}"]
    if s.extractive:
        lines.append("_Extractive: lines quoted from the scene, no model._")
    if s.heading:
        lines += ["", f"**Where:** {s.heading}"]
    lines += ["", "**Who wants what**"]
    lines += [f"- **{who}**: “{want}”" for who, want in s.wants] or ["_No one speaks._"]
    lines += ["", "**What changes**"]
    if s.opening and s.ending:
        lines += [f"- Opens: {s.opening}", f"- Ends: {s.ending}"]
    else:
        lines.append("_Too short to tell._")
    lines += ["", "**The turn**"]
    if s.turn is not None:
        who = f"**{s.turn.speaker}**: " if s.turn.speaker else ""
        lines.append(f"- {who}“{trim_words(s.turn.text, 40)}”")
    else:
        lines.append("_No clear turn: the scene is too short._")
    lines += [f"_{n}_" for n in s.notes]
    return "\n".join(lines)
